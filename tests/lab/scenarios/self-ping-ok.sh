#!/usr/bin/env bash
# The gateway's own traffic on a strongSwan/Linux gateway: charon's route
# in table 220 carries "src 10.0.2.1" (an own address inside the local
# traffic selector), so gwB's ping to hostA without a source address goes
# into the tunnel and is answered. From its WAN address (ping -I
# 198.51.100.2, what pfSense does without a source) no policy covers it:
# libipsec drops it, no answer. `trace self` must say delivered,
# `trace self:wan0` self-traffic-uncovered, `trace self:lan0` delivered.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_probe() {
	lab_ns gB ping -n -c 2 -i 0.2 -W 1 10.0.1.10 >"$WORK/probes/self.txt" 2>&1
	SELF_RC=$?
	lab_ns gB ping -n -c 2 -i 0.2 -W 1 -I 198.51.100.2 10.0.1.10 \
		>"$WORK/probes/self-wan.txt" 2>&1
	SELF_WAN_RC=$?
}

scenario_verify() {
	[ "$SELF_RC" -eq 0 ] || lab_fail "gwB's ping without a source failed"
	[ "$SELF_WAN_RC" -ne 0 ] || lab_fail "gwB's ping from its WAN address was answered"
	lab_cap_expect gwB ipsec0 1 "10.0.2.1 > 10.0.1.10: ICMP echo request" "gwB's own ping (source 10.0.2.1) on ipsec0"
	lab_cap_expect gwA lan0 1 "10.0.2.1 > 10.0.1.10: ICMP echo request" "and delivered to hostA"
	lab_cap_expect gwA lan0 none "198.51.100.2 > 10.0.1.10" "the WAN-sourced ping never arrives"
}

scenario_tool_check() {
	lab_trace_expect self 10.0.1.10 icmp 0
	lab_trace_expect self:wan0 10.0.1.10 icmp 1 self-traffic-uncovered
	lab_trace_expect self:lan0 10.0.1.10 icmp 0
}

lab_main self-ping-ok none gwA
