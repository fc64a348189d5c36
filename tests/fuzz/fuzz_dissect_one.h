/* The single-dissector fuzz targets: the first byte of an input says
 * whether snaplen cut the packet (bit 0) and, for a target with two
 * dissectors, which one reads it (bit 1); the rest is what it reads. */
#ifndef FUZZ_DISSECT_ONE_H
#define FUZZ_DISSECT_ONE_H

#include <string.h>

#include "import/pcap/dissect/dissect.h"

typedef void dissector(struct cursor *c, struct pkt *p);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline int
fuzz_dissect_one(const uint8_t *data, size_t size, dissector *first,
		 dissector *second)
{
	if (size < 1)
		return 0;
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.cut = data[0] & 1;
	p.payload_len = (uint32_t)size;
	struct cursor c = cursor_make(data + 1, size - 1);
	(data[0] & 2 && second ? second : first)(&c, &p);
	return 0;
}

#endif
