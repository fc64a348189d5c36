/* Fuzz target: bytes as ESP (bit 1 clear) or a UDP 4500 payload (set). */
#include "fuzz_dissect_one.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dissect_one(data, size, dissect_esp, dissect_udp_4500);
}
