#!/usr/bin/env bash
# Phase 2 (ESP) proposals with no overlap, phase 1 fine: gwA offers only
# AES-CBC-256 with SHA-256, gwB accepts only AES-GCM-16-128. The IKE SA
# comes up; the CHILD_SA inside IKE_AUTH is refused (NO_PROPOSAL_CHOSEN)
# and no traffic passes. Asserted from both folders, the logs and SA
# status alone, and the two swanctl.conf alone.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

A_ESP_PROPOSALS=aes256-sha256-modp2048
LAB_EXPECT_UP=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="proposal-mismatch confirmed gwA|gwB charon.log"
EXPECT_FROM_CONFIGS="proposal-mismatch predicted gwA|gwB swanctl.conf"

scenario_verify() {
	lab_swanctl gwA --list-sas | grep -q "siteB: #.*ESTABLISHED" ||
		lab_fail "gwA's IKE SA should be ESTABLISHED"
	grep -q "no acceptable proposal found" "$WORK/gwB/charon.log" ||
		lab_fail "gwB did not refuse the ESP proposals"
}

lab_main esp-proposal-mismatch proposal-mismatch 'gwA|gwB'
