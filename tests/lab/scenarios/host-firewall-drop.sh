#!/usr/bin/env bash
# hostB's own firewall drops new traffic from site A (established traffic
# passes, so hostB can still reach site A).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_FW=drop
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=ok"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 none "10.0.2.10 > 10.0.1.10: ICMP echo reply" "no reply from hostB"
	lab_cap_expect gwB lan0 none "10.0.2.10.5001 > 10.0.1.10.[0-9]+: Flags \\[R" "no reset from hostB"
}

lab_main host-firewall-drop host-firewall gwB
