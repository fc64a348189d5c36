#!/usr/bin/env bash
# PFS on one side only: gwA's ESP proposal carries MODP_2048, gwB's none.
# The first CHILD_SA is built inside IKE_AUTH without a key exchange, so
# the tunnel comes up and works (checked with a ping); gwA's child has a
# short rekey_time (8 s) and life_time (12 s): its rekey (CREATE_CHILD_SA
# with KE) is refused with NO_PROPOSAL_CHOSEN, and at the end of its life
# the CHILD_SA is deleted. Then nothing passes. The tool must name
# pfs-mismatch and say that it bites at the rekey, from both folders, the
# logs and SA status alone, and the two swanctl.conf alone.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_ESP_PROPOSALS=aes128gcm16
A_CHILD_EXTRA="				rekey_time = 8s
				life_time = 12s
				rand_time = 0s"
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_SAYS="rekey"
EXPECT_FROM_LOGS="pfs-mismatch confirmed gwA|gwB charon.log"
EXPECT_FROM_CONFIGS="pfs-mismatch predicted gwA|gwB swanctl.conf"

scenario_inject() {
	lab_ns hA ping -n -c 1 -W 2 "$HB_ADDR" >"$WORK/ping-before-rekey.txt" 2>&1 ||
		lab_fail "the tunnel did not work before the rekey"
	lab_log "ping through the tunnel ok before the rekey"
	lab_wait_for 250 sh -c "! swanctl --list-sas --uri unix://$WORK/gwA/charon.vici | grep -q INSTALLED" ||
		lab_fail "gwA's CHILD_SA outlived its life_time"
	lab_wait_for 50 sh -c "! swanctl --list-sas --uri unix://$WORK/gwB/charon.vici | grep -q INSTALLED" ||
		lab_fail "gwB still has the CHILD_SA"
}

scenario_verify() {
	grep -q "NO_PROPOSAL_CHOSEN" "$WORK/gwA/charon.log" ||
		lab_fail "gwA's rekey was not refused with NO_PROPOSAL_CHOSEN"
	lab_swanctl gwA --list-sas | grep -q "siteB: #.*ESTABLISHED" ||
		lab_fail "gwA's IKE SA should still be ESTABLISHED"
}

lab_main pfs-rekey pfs-mismatch 'gwA|gwB'
