#!/usr/bin/env bash
# hostB's default gateway is 10.0.2.254, an address no router holds:
# requests are delivered, hostB ARPs for 10.0.2.254 and never answers.
# Decided from hostB's pasted `ip addr` / `ip route` (default via
# 10.0.2.254, not gwB's 10.0.2.1).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_GW=10.0.2.254
HB_FACTS=paste
EXPECT_CITE=gwB/hosts
EXPECT_PROBES="ping=fail tcp=timeout udp=ok xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 1 "ARP, Request who-has 10.0.2.254 tell 10.0.2.10" "hostB ARPs for its wrong gateway"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
}

lab_main host-gateway-wrong host-gateway gwB
