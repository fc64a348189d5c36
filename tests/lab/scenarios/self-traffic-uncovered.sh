#!/usr/bin/env bash
# gwB routes into the tunnel by source (`ip rule from 10.0.2.0/24 lookup
# 100`, table 100: 10.0.1.0/24 dev ipsec0; no route in table 220). LAN
# traffic works. gwB's own ping without a source address picks it from
# the main table's default route: 198.51.100.2, which no rule and no
# policy covers: it leaves the WAN in clear (seen in wan0.pcap) and is
# never answered. With -I 10.0.2.1 it takes the rule and is answered.
# diagnose: no error, the capture confirms self-traffic-uncovered (a
# warning); `trace self` dies of self-traffic-uncovered, `trace self:lan0`
# is delivered.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_inject() {
	lab_ns gB ip route flush table 220
	lab_ns gB ip route add 10.0.1.0/24 dev ipsec0 table 100
	lab_ns gB ip rule add from 10.0.2.0/24 lookup 100 pref 100
}

scenario_probe() {
	lab_ns gB ping -n -c 2 -i 0.2 -W 1 10.0.1.10 >"$WORK/probes/self.txt" 2>&1
	SELF_RC=$?
	lab_ns gB ping -n -c 2 -i 0.2 -W 1 -I 10.0.2.1 10.0.1.10 \
		>"$WORK/probes/self-lan.txt" 2>&1
	SELF_LAN_RC=$?
}

scenario_verify() {
	[ "$SELF_RC" -ne 0 ] || lab_fail "gwB's ping without a source was answered"
	[ "$SELF_LAN_RC" -eq 0 ] || lab_fail "gwB's ping from 10.0.2.1 failed"
	lab_cap_expect gwB wan0 1 "198.51.100.2 > 10.0.1.10: ICMP echo request" "gwB's own ping leaves the WAN in clear"
	lab_cap_expect gwA lan0 1 "10.0.2.1 > 10.0.1.10: ICMP echo request" "the LAN-sourced one arrives at hostA"
}

scenario_tool_check() {
	local w
	w=$(jq -r '[.findings[]? | select(.id == "self-traffic-uncovered" and
		.site == "gwB") | .evidence | tostring] | join(" ")' \
		"$OUT/diagnose.json")
	grep -q 'gwB/wan0.pcap' <<<"$w" ||
		lab_tool_fail "diagnose: no self-traffic-uncovered@gwB from wan0.pcap"
	lab_trace_expect self 10.0.1.10 icmp 1 self-traffic-uncovered
	lab_trace_expect self:lan0 10.0.1.10 icmp 0
}

lab_main self-traffic-uncovered none gwA
