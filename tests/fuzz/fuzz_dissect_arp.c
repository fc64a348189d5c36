/* Fuzz target: bytes as an ARP packet. */
#include "fuzz_dissect_one.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dissect_one(data, size, dissect_arp, NULL);
}
