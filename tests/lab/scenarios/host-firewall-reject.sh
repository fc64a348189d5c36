#!/usr/bin/env bash
# hostB's own firewall rejects new traffic from site A (established traffic
# passes, so hostB can still reach site A). traceroute reaches hostB,
# which answers its last probe with admin-prohibited (!X).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

HB_FW=reject
EXPECT_PROBES="ping=fail tcp=refused udp=fail xfer=fail trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwB lan0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests delivered on gwB's LAN"
	lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP host 10.0.2.10 unreachable - admin prohibited" "hostB answers admin-prohibited"
	lab_cap_expect gwB lan0 1 "10.0.2.10.5001 > 10.0.1.10.[0-9]+: Flags \\[R" "hostB resets the TCP connection"
}

lab_main host-firewall-reject host-firewall gwB
