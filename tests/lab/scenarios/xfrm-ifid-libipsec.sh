#!/usr/bin/env bash
# Route-based xfrm interfaces cannot be built here: the lab kernel has no
# xfrm interface support (`ip link add xfrm0 type xfrm ...`: "Unknown
# device type") and no ESP. What can be tested: gwB's child carries
# if_id_in/if_id_out 42 (a route-based config) while charon runs on
# kernel-libipsec. The SA is installed with the if_id (list-sas shows
# 0x0000002a) and libipsec, which ignores if_id, carries every probe.
# diagnose, given that config and gwB's `ip -d link` (ipsec0 TUN, no xfrm
# link), must not call the if_id a problem on this gateway. The kernel-xfrm
# verdicts (linux-xfrm-ifid) are golden fixtures: kernel-ifid-*.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_CHILD_EXTRA="if_id_in = 42
				if_id_out = 42"
COLLECT_IPLINK=1
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_verify() {
	lab_swanctl gwB --list-sas | grep -q '0x0000002a' ||
		lab_fail "gwB's SA does not carry if_id 0x2a"
	lab_ns gB ip link add xfrm0 type xfrm dev wan0 if_id 42 2>/dev/null &&
		lab_fail "this kernel has xfrm interfaces now: build the real scenario"
	lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP echo reply" "replies on gwB LAN"
}

scenario_tool_check() {
	grep -q "if_id_out = 42" "$OUT/gwB/swanctl.conf" ||
		lab_tool_fail "gwB/swanctl.conf lost the if_id"
	grep -q "ipsec0" "$OUT/gwB/ip-link.txt" ||
		lab_tool_fail "gwB/ip-link.txt has no ipsec0"
}

lab_main xfrm-ifid-libipsec none gwA
