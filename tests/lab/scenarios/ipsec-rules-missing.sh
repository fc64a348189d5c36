#!/usr/bin/env bash
# gwB has no forward rule from the tunnel (ipsec0) to its LAN: everything
# from site A dies on gwB after decryption; B -> A still works.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_FWD_TUN_LAN=none
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=ok"

scenario_verify() {
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
	lab_cap_expect gwB lan0 none "10.0.1.10 > 10.0.2.10: ICMP echo request|10.0.1.10.[0-9]+ > 10.0.2.10.500[123]:" "no request from site A on gwB's LAN"
	lab_cap_expect gwB nflog 1 "10.0.1.10.[0-9]+ > 10.0.2.10.5001: Flags \[S\]" "gwB logs the SYN drop"
}

lab_main ipsec-rules-missing ipsec-rules-missing gwB
