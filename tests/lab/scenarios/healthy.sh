#!/usr/bin/env bash
# Healthy tunnel: every probe passes both ways; diagnose must find nothing
# wrong (no error finding, exit 0).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwA wan0 1 "UDP, encap|ESP|4500 > .*4500" "ESP in UDP 4500 on the WAN"
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
	lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP echo reply" "replies on gwB LAN"
	lab_cap_expect gwA wan0 none "10.0.2.10: ICMP" "nothing in clear on the WAN"
}

lab_main healthy none gwA
