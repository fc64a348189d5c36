/* libFuzzer target: configctl_import() (OPNsense configctl ipsec list
 * JSON) on arbitrary bytes. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_bytes(data, size, configctl_import);
}
