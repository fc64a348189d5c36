#!/usr/bin/env bash
# The child SA is missing: the IKE SA stays ESTABLISHED but the child "lan"
# was closed (swanctl --terminate --child) and nothing brings it back
# (start_action = none, no trap). swanctl.conf still has the child; only the
# runtime status (--list-sas) shows it is gone. Without its route in table
# 220, gwA sends hostA's traffic out the default route in clear. Both ends
# lack the SA: either site is accepted.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_inject() {
	lab_swanctl gwA --terminate --child lan --timeout 5 >/dev/null 2>&1 ||
		lab_fail "cannot terminate the child SA"
	lab_wait_for 50 sh -c "! swanctl --list-sas --uri unix://$WORK/gwB/charon.vici | grep -q INSTALLED" ||
		lab_fail "gwB still has the child SA"
}

scenario_verify() {
	lab_swanctl gwA --list-sas | grep -q "siteB: #.*ESTABLISHED" ||
		lab_fail "gwA's IKE SA should still be ESTABLISHED"
	lab_sa_installed gwA lan && lab_fail "gwA's child SA is back"
	lab_cap_expect gwA wan0 1 "198.51.100.1 > 10.0.2.10: ICMP echo request" "hostA's ping leaves gwA's WAN NATed, in clear"
	lab_cap_expect gwA ipsec0 none "> 10.0.2.10" "nothing for hostB enters the tunnel"
}

lab_main sa-missing sa-missing 'gwA|gwB'
