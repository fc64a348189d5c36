#!/usr/bin/env bash
# rp_filter=1 where a destination-only model would drop, the kernel does
# not: gwB routes its LAN's traffic into the tunnel with `ip rule iif lan0
# lookup 100` (no route in table 220). For a forwarded packet the kernel's
# reverse-path lookup runs as if from the forward route's output device
# (lan0, __mkroute_input() passes FIB_RES_OIF), so the iif rule applies and
# the route back leaves by ipsec0: every probe passes. diagnose must not
# say linux-rp-filter.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

COLLECT_SYSCTL=1
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_inject() {
	lab_ns gB ip route flush table 220
	lab_ns gB ip route add 10.0.1.0/24 dev ipsec0 table 100
	lab_ns gB ip rule add iif lan0 lookup 100 pref 100
	lab_sysctl gB net.ipv4.conf.all.rp_filter=1
}

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP echo reply" "replies on gwB LAN"
}

lab_main rp-filter-iif-ok none gwA
