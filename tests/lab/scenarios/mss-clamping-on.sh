#!/usr/bin/env bash
# Same black hole as mss-clamping (ipsec0 MTU 1400, frag-needed dropped),
# but both gateways clamp the MSS of forwarded SYNs to the route MTU: the
# transfer passes and diagnose must find nothing wrong.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_DROP_FRAGNEEDED=1 B_DROP_FRAGNEEDED=1
A_MSS_CLAMP="rt mtu" B_MSS_CLAMP="rt mtu"
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwA ipsec0 1 "10.0.1.10.[0-9]+ > 10.0.2.10.5002: Flags \[S\].*mss 1360" "gwA clamps hostA's SYN to 1360"
	lab_cap_expect gwA lan0 1 "10.0.2.10.5002 > 10.0.1.10.[0-9]+: Flags \[S\.\].*mss 1360" "hostA receives a SYN-ACK clamped to 1360"
	lab_cap_expect gwA nflog none "need to frag" "no frag-needed was needed"
}

lab_main mss-clamping-on none gwA
