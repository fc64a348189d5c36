/* libFuzzer target: the Linux kernel-fact importers (sysctl dump,
 * ip -d link text) on arbitrary bytes. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_bytes(data, size, cfg_sysctl_import);
	return fuzz_import_bytes(data, size, cfg_iplink_import);
}
