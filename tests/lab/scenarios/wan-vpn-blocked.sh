#!/usr/bin/env bash
# After the SA is up, a rule at the top of gwB's input chain drops UDP 4500
# from the peer: ESP-in-UDP from gwA dies on gwB's WAN, the SA still shows
# INSTALLED.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_inject() {
	lab_ns gB nft insert rule inet filter input iifname '"wan0"' \
		ip saddr "$A_WAN_IP" udp dport 4500 \
		log prefix '"input drop: "' group 1 drop ||
		lab_fail "cannot insert the WAN block"
}

scenario_verify() {
	lab_cap_expect gwB wan0 1 "198.51.100.1.4500 > 198.51.100.2.4500: UDP" "ESP in UDP arrives at gwB"
	lab_cap_expect gwB nflog 1 "198.51.100.1.4500 > 198.51.100.2.4500: UDP" "gwB logs the dropped ESP in UDP"
	lab_cap_expect gwB ipsec0 none "10.0.1.10 > 10.0.2.10" "nothing decrypted on gwB"
	lab_sa_installed gwB lan || lab_fail "gwB's SA should still show INSTALLED"
}

lab_main wan-vpn-blocked wan-vpn-blocked gwB
