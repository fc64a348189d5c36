#!/usr/bin/env bash
# hostB has no default route: requests are delivered to it, it cannot
# answer anything outside its own subnet. (The UDP probe reaches hostB's
# LAN too, but nc -u -l connects back to the sender before it reads and
# fails without a route: the listener reports nothing.)
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_GW=none
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 1 "10.0.1.10.[0-9]+ > 10.0.2.10.5003: UDP" "the UDP probe is delivered on gwB's LAN"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
	lab_cap_expect gwB lan0 none "10.0.2.10.5001 > 10.0.1.10" "no SYN-ACK from hostB"
}

lab_main host-gateway host-gateway gwB
