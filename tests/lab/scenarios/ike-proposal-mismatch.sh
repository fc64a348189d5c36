#!/usr/bin/env bash
# Phase 1 proposals with no overlap: gwA offers only AES-CBC-256 with
# SHA-256, gwB accepts only AES-GCM-16-128. gwB answers gwA's
# IKE_SA_INIT with NO_PROPOSAL_CHOSEN after logging both lists; no IKE SA,
# no CHILD_SA. Asserted three ways: all of both folders, the charon logs
# and SA status alone (confirmed, citing charon.log:LINE), the two
# swanctl.conf alone (predicted, citing swanctl.conf:LINE).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_IKE_PROPOSALS=aes256-sha256-modp2048
LAB_EXPECT_UP=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="proposal-mismatch confirmed gwA|gwB charon.log"
EXPECT_FROM_CONFIGS="proposal-mismatch predicted gwA|gwB swanctl.conf"

scenario_verify() {
	grep -q "received proposals unacceptable" \
		"$WORK/gwB/charon.log" ||
		lab_fail "gwB did not refuse the IKE proposals"
	grep -q "received NO_PROPOSAL_CHOSEN" "$WORK/gwA/charon.log" ||
		lab_fail "gwA did not get NO_PROPOSAL_CHOSEN"
}

lab_main ike-proposal-mismatch proposal-mismatch 'gwA|gwB'
