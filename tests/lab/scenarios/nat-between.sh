#!/usr/bin/env bash
# Healthy tunnel through a NAT: gwB sits behind a home router (natB) that
# holds 198.51.100.2 and forwards IKE and NAT-T to gwB's private WAN
# address 192.168.1.2. strongSwan detects the NAT and wraps ESP in UDP
# 4500. gwA's peer address (the public one) is not gwB's own address: the
# tool must not call that a phase 1 peer mismatch, nor want gwA's remote
# address changed to a private one. Every probe passes; diagnose must find
# nothing wrong.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

WITH_NAT_B=1
EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwA wan0 1 "198.51.100.2.4500 > 198.51.100.1.4500|198.51.100.1.4500 > 198.51.100.2.4500" "NAT-T between gwA and the NAT's public address"
	lab_cap_expect gwB wan0 1 "192.168.1.2.4500 > 198.51.100.1.4500" "gwB sends from its private address"
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
	grep -q "NAT detected\|local host is behind NAT" "$WORK/gwB/charon.log" ||
		lab_fail "gwB's charon did not detect the NAT"
}

lab_main nat-between none gwA
