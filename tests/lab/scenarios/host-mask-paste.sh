#!/usr/bin/env bash
# host-mask decided from hostB's own `ip addr` and `ip route` output pasted
# into gwB/hosts (HB_FACTS=paste), as a user would: the pasted /8 is the
# evidence
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_PLEN=8
HB_FACTS=paste
EXPECT_CITE=gwB/hosts
EXPECT_PROBES="ping=fail tcp=timeout udp=ok xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 1 "ARP, Request who-has 10.0.1.10 tell 10.0.2.10" "hostB ARPs for the remote host"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
}

lab_main host-mask-paste host-mask gwB
