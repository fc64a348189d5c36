#!/usr/bin/env bash
# Phase 2 selectors that do not meet at all: gwB expects site A's network
# to be 10.0.3.0/24, gwA proposes 10.0.1.0/24. Nothing to narrow to: gwB
# answers TS_UNACCEPTABLE, the IKE SA stays up without a CHILD_SA.
# Asserted from both folders, the logs and SA status alone, and the two
# swanctl.conf alone.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_REMOTE_TS=10.0.3.0/24
LAB_EXPECT_UP=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="p2-mismatch confirmed gwA|gwB charon.log"
EXPECT_FROM_CONFIGS="p2-mismatch predicted gwA|gwB swanctl.conf"

scenario_verify() {
	grep -q "TS_UNACCEPTABLE" "$WORK/gwA/charon.log" ||
		lab_fail "gwA did not get TS_UNACCEPTABLE"
}

lab_main ts-unacceptable p2-mismatch 'gwA|gwB'
