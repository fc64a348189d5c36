#!/usr/bin/env bash
# Phase 2 networks do not mirror: gwA has 10.0.1.0/24 === 10.0.2.0/24, gwB
# has 10.0.2.0/24 === 10.0.1.0/25, so IKEv2 narrows the SA to
# 10.0.1.0/25 === 10.0.2.0/24. hostA (here 10.0.1.200) is outside the
# intersection: its packets enter gwA's ipsec0 and libipsec finds no
# policy for them (nothing leaves on the WAN); hostB's replies to it leave
# gwB in clear. The mismatch belongs to both ends: either site is accepted.
# (The narrow side is site A's network: a /25 on site B's would leave gwB
# without a local address inside its own selector, and kernel-libipsec
# then refuses to install the route.)
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_REMOTE_TS=10.0.1.0/25 HA_ADDR=10.0.1.200
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_verify() {
	grep -q "local  10.0.1.0/25" <(lab_swanctl gwA --list-sas) ||
		lab_fail "gwA's SA was not narrowed to 10.0.1.0/25"
	lab_cap_expect gwA ipsec0 1 "10.0.1.200 > 10.0.2.10: ICMP echo request" "hostA's ping enters gwA ipsec0"
	lab_cap_expect gwB ipsec0 none "10.0.1.200 > 10.0.2.10" "nothing from hostA comes out of the tunnel"
	lab_cap_expect gwB wan0 1 "198.51.100.2 > 10.0.1.200: ICMP echo request" "hostB's ping to hostA leaves gwB NATed, in clear"
}

lab_main p2-mismatch p2-mismatch 'gwA|gwB'
