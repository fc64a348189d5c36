#!/usr/bin/env bash
# host-gateway decided from the LAN capture alone (no host facts): requests
# delivered to hostB, never answered; the capture cannot tell a missing
# gateway from a silent host firewall, so the finding is suspected
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_GW=none
HB_FACTS=none
EXPECT_CITE=gwB/lan0.pcap
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
	lab_cap_expect gwB lan0 none "10.0.2.10.5001 > 10.0.1.10" "no SYN-ACK from hostB"
}

lab_main host-gateway-capture host-gateway gwB
