#!/usr/bin/env bash
# The tunnel's MTU (ipsec0, 1400) is below the LANs' 1500, the gateways drop
# the ICMP fragmentation-needed they generate, and nothing clamps the MSS:
# ping and the TCP handshake work, the 200 KB transfer stalls (PMTU black
# hole). Both ends lack clamping: either site is accepted.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_DROP_FRAGNEEDED=1 B_DROP_FRAGNEEDED=1
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=stall trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwA nflog 1 "ICMP 10.0.2.10 unreachable - need to frag \(mtu 1400\)" "gwA drops its own frag-needed"
	lab_cap_expect gwA lan0 1 "10.0.1.10.[0-9]+ > 10.0.2.10.5002: Flags \[S\].*mss 1460" "hostA's SYN announces MSS 1460"
	lab_cap_expect gwA lan0 2 "10.0.1.10.[0-9]+ > 10.0.2.10.5002: Flags \[\.\].*length 1448" "full-size segments sent (and resent)"
	lab_cap_expect gwA ipsec0 none "length 1448" "no full-size segment enters the tunnel"
}

lab_main mss-clamping mss-clamping 'gwA|gwB'
