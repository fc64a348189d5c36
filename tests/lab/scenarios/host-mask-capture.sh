#!/usr/bin/env bash
# host-mask decided from the LAN capture alone: no host facts are given;
# hostB's ARP for the remote address is the evidence (and it, not a missing
# gateway, explains the unanswered requests)
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_PLEN=8
HB_FACTS=none
EXPECT_CITE=gwB/lan0.pcap
EXPECT_PROBES="ping=fail tcp=timeout udp=ok xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 1 "ARP, Request who-has 10.0.1.10 tell 10.0.2.10" "hostB ARPs for the remote host"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
}

lab_main host-mask-capture host-mask gwB
