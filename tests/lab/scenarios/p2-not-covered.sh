#!/usr/bin/env bash
# Wrong remote network: site B has two LANs, 10.0.2.0/24 (hostB) and
# 10.0.3.0/24, and both ends agree on 10.0.1.0/24 === 10.0.3.0/24 only. The
# SA is up, but no child covers hostB's network: gwA sends the traffic out
# its default route, NATed, in clear.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_REMOTE_TS=10.0.3.0/24 B_LOCAL_TS=10.0.3.0/24 B_LAN1=10.0.3.1/24
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwA wan0 1 "198.51.100.1 > 10.0.2.10: ICMP echo request" "hostA's ping leaves gwA's WAN NATed, in clear"
	lab_cap_expect gwA wan0 1 "198.51.100.1.[0-9]+ > 10.0.2.10.5001: Flags \[S\]" "the TCP SYN leaves in clear"
	lab_cap_expect gwA ipsec0 none "> 10.0.2.10" "nothing for hostB enters the tunnel"
}

lab_main p2-not-covered p2-not-covered gwA
