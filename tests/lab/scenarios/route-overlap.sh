#!/usr/bin/env bash
# Disappearing traffic: gwA has a second tunnel, to an old branch office gwC
# (198.51.100.3), whose remote network 10.0.2.0/25 lies inside site B's
# 10.0.2.0/24. Both SAs are up. On Linux a connected or static route in the
# main table would not steal the traffic (table 220 is looked up first,
# tests/lab/README.md), but another child with a more specific remote network does:
# libipsec picks the most specific policy, so hostA's traffic to hostB
# (10.0.2.10) is encrypted to gwC and never reaches gwB.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

WITH_GWC=1
A_EXTRA_CONNS=$(lab_swanctl_conn siteC "$A_WAN_IP" "$C_WAN_IP" "$A_LAN" 10.0.2.0/25 old)$'\n'
A_EXTRA_SECRETS=$(lab_swanctl_secret ike-siteC "$A_WAN_IP" "$C_WAN_IP")$'\n'
GWC_CONF="connections {
$(lab_swanctl_conn siteA "$C_WAN_IP" "$A_WAN_IP" 10.0.2.0/25 "$A_LAN" old)
}
secrets {
$(lab_swanctl_secret ike-siteC "$A_WAN_IP" "$C_WAN_IP")
}
"
LAB_SA_CHILDREN="A:lan B:lan A:old C:old"
# tcp: gwC ARPs for hostB on its empty LAN; the connect fails by the
# 3 s ARP timeout (unreachable) or by nc's own 3 s timeout, whichever first
EXPECT_PROBES="ping=fail tcp=timeout|unreachable udp=fail xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwA ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "hostA's ping enters gwA ipsec0"
	lab_cap_expect gwA wan0 3 "198.51.100.1.4500 > 198.51.100.3.4500: UDP" "ESP in UDP goes to gwC"
	lab_cap_expect gwB ipsec0 none "10.0.1.10 > 10.0.2.10" "nothing from hostA reaches gwB"
}

lab_main route-overlap route-overlap gwA
