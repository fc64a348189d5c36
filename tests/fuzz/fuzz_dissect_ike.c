/* Fuzz target: bytes as an IKE message (UDP 500 payload). */
#include <string.h>

#include "import/dissect/dissect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.cut = data[0] & 1;
	p.payload_len = (uint32_t)size;
	struct cursor c = cursor_make(data + 1, size - 1);
	dissect_ike(&c, &p);
	return 0;
}
