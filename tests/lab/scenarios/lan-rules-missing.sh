#!/usr/bin/env bash
# gwA has no forward rule from its LAN to the tunnel: hostA's traffic dies
# on gwA's LAN side and never enters ipsec0; B -> A still works.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_FWD_LAN_TUN=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=ok"

scenario_verify() {
	lab_cap_expect gwA lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests reach gwA's LAN"
	lab_cap_expect gwA ipsec0 none "10.0.1.10 > 10.0.2.10: ICMP echo request" "nothing enters gwA ipsec0"
	lab_cap_expect gwA nflog 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "gwA logs the drop"
}

lab_main lan-rules-missing lan-rules-missing gwA
