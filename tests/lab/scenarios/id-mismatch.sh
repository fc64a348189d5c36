#!/usr/bin/env bash
# gwB expects site A to identify itself as the FQDN siteA.example; gwA
# sends its address. gwB finds no peer config for that identity ("no
# matching peer config found") and answers AUTHENTICATION_FAILED: no IKE
# SA. Asserted from both folders, the logs and SA status alone, and the
# two swanctl.conf alone.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

B_REMOTE_ID=siteA.example
LAB_EXPECT_UP=0
EXPECT_PROBES="ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"
EXPECT_ALSO="sa-missing"
EXPECT_FROM_LOGS="ike-id-mismatch confirmed gwB charon.log"
EXPECT_FROM_CONFIGS="ike-id-mismatch predicted gwB swanctl.conf"

scenario_verify() {
	grep -q "no matching peer config found" "$WORK/gwB/charon.log" ||
		lab_fail "gwB found a peer config"
}

lab_main id-mismatch ike-id-mismatch gwB
