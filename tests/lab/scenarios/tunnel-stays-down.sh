#!/usr/bin/env bash
# DPD teardown that nothing repairs: gwA starts the tunnel once when its
# config is loaded (start_action start, not trap), DPD every 2 s with
# dpd_action clear, close_action none; gwB is responder only. gwB's charon
# is killed (a crash, no DELETE) and started again: gwA's DPD gets no
# answer, gives up and clears the SA, and nobody starts it again. The
# tunnel stays down. The tool must name tunnel-stays-down from both
# folders, the logs and SA status alone, and the two swanctl.conf alone.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_START_ACTION=start A_DPD_DELAY=2s
A_CHILD_EXTRA="				dpd_action = clear
				close_action = none"
LAB_EXPECT_UP=start
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="tunnel-stays-down confirmed gwA charon.log"
EXPECT_FROM_CONFIGS="tunnel-stays-down predicted gwA swanctl.conf"

scenario_inject() {
	lab_ns hA ping -n -c 1 -W 2 "$HB_ADDR" >"$WORK/ping-before.txt" 2>&1 ||
		lab_fail "the tunnel did not work before gwB's restart"
	lab_charon_restart gB gwB
	lab_log "gwB's charon killed and started again"
	lab_wait_for 300 sh -c "! swanctl --list-sas --uri unix://$WORK/gwA/charon.vici | grep -q siteB" ||
		lab_fail "gwA's DPD did not clear the SA"
}

scenario_verify() {
	grep -q "giving up after\|peer not responding" "$WORK/gwA/charon.log" ||
		lab_fail "gwA's DPD did not give up"
	lab_swanctl gwB --list-sas | grep -q siteA && lab_fail "gwB has an SA again"
	return 0
}

lab_main tunnel-stays-down tunnel-stays-down gwA
