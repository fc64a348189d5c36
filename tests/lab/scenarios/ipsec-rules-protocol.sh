#!/usr/bin/env bash
# gwB's forward rule from the tunnel (ipsec0) to its LAN passes TCP only:
# TCP works, ping, UDP and traceroute die on gwB after decryption.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_FWD_TUN_LAN=tcp
EXPECT_PROBES="ping=fail tcp=ok udp=fail xfer=ok trace=no rping=ok"

scenario_verify() {
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
	lab_cap_expect gwB lan0 none "10.0.1.10 > 10.0.2.10: ICMP echo request" "no echo request on gwB's LAN"
	lab_cap_expect gwB nflog 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "gwB logs the drop"
	lab_cap_expect gwB nflog 1 "10.0.1.10.[0-9]+ > 10.0.2.10.5003: UDP" "gwB logs the UDP drop"
}

lab_main ipsec-rules-protocol ipsec-rules-protocol gwB
