/* libFuzzer target: the loose box readers (setkey -DP, netstat -rnW,
 * ifconfig, arp -an) and the text ip route reader on arbitrary bytes. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_bytes(data, size, box_spd_import);
	fuzz_import_bytes(data, size, box_netstat_import);
	fuzz_import_bytes(data, size, box_ifconfig_import);
	fuzz_import_bytes(data, size, box_arp_import);
	return fuzz_import_bytes(data, size, cfg_iproute_text_import);
}
