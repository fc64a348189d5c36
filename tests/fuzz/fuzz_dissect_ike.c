/* Fuzz target: bytes as an IKE message (UDP 500 payload). */
#include "fuzz_dissect_one.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dissect_one(data, size, dissect_ike, NULL);
}
