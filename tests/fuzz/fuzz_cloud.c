/* libFuzzer target: cloud_import() (AWS text or key=value profile) on
 * arbitrary bytes. */
#include "fuzz_import.h"
#include "import/cloud/cloud.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_bytes(data, size, cloud_import);
}
