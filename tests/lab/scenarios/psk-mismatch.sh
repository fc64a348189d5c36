#!/usr/bin/env bash
# The pre-shared keys differ. gwB cannot verify gwA's AUTH payload ("tried
# 1 shared key ... but MAC mismatched") and answers AUTHENTICATION_FAILED:
# no IKE SA. Asserted from both folders, the logs and SA status alone,
# and the two swanctl.conf alone (the keys compared, never printed).
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_PSK=lab-psk-typo-not-secret
LAB_EXPECT_UP=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="ike-auth-mismatch confirmed gwA|gwB charon.log"
EXPECT_FROM_CONFIGS="ike-auth-mismatch predicted gwA|gwB swanctl.conf"

scenario_verify() {
	grep -q "AUTHENTICATION_FAILED" "$WORK/gwA/charon.log" ||
		lab_fail "gwA did not get AUTHENTICATION_FAILED"
}

lab_main psk-mismatch ike-auth-mismatch 'gwA|gwB'
