#!/usr/bin/env bash
# rp_filter=1 on both gateways in the ordinary shape: charon's route to the
# remote network in table 220 leaves by ipsec0, the interface decrypted
# packets arrive on, so strict reverse-path filtering passes them. Every
# probe passes; diagnose must not call rp_filter a problem.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

COLLECT_SYSCTL=1
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_inject() {
	lab_sysctl gA net.ipv4.conf.all.rp_filter=1
	lab_sysctl gB net.ipv4.conf.all.rp_filter=1
}

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP echo reply" "replies on gwB LAN"
	return 0
}

lab_main rp-filter-strict-ok none gwA
