/* libFuzzer target: a hostile nftables ruleset on a real Linux gateway
 * (tests/fixtures/mixed/base, run from the repository root) facing a
 * pfSense site, through traces, checks and the text report. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz_diagnose.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
diagnose_with(struct arena *ar, struct input_file *in, struct site *unused)
{
	(void)unused;
	char *specs[2] = {"A=tests/fixtures/mixed/healthy/siteA/config.xml",
			  "B=tests/fixtures/mixed/base/ip-addr.json,"
			  "tests/fixtures/mixed/base/ip-route.json,"
			  "tests/fixtures/mixed/base/ip-rule.txt,"
			  "tests/fixtures/mixed/base/swanctl.conf"};
	struct site **sites;
	if (!sites_load(ar, specs, 2, true, &sites))
		return false;
	cfg_nft_import(ar, in, sites[1]);
	fuzz_diagnose_sites(ar, sites, 2);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_bytes(data, size, diagnose_with);
}
