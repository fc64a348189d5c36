/* libFuzzer target: hostile evidence (a capture, a firewall log, SA status
 * or an IPsec log, chosen by the first byte) on a pfSense pair, through
 * the evidence checks and the reports. Run from the repository root. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz_diagnose.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static importer_fn chosen;

static bool
diagnose_with(struct arena *ar, struct input_file *in, struct site *unused)
{
	(void)unused;
	char *specs[2] = {"A=tests/fixtures/pairs/healthy/siteA",
			  "B=tests/fixtures/pairs/healthy/siteB"};
	struct site **sites;
	if (!sites_load(ar, specs, 2, true, &sites))
		return false;
	chosen(ar, in, sites[0]);
	fuzz_diagnose_sites(ar, sites, 2);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const importer_fn importers[] = {
	    pcap_import, log_filterlog_import, status_sa_import,
	    log_ipsec_import};
	if (size < 1)
		return 0;
	chosen = importers[data[0] % 4];
	return fuzz_import_bytes(data + 1, size - 1, diagnose_with);
}
