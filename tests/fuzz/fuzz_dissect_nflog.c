/* Fuzz target: bytes as an NFLOG record (link type 239); the first byte
 * says whether snaplen cut it. */
#include "import/pcap/dissect/dissect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct pkt p;
	uint32_t wire = (uint32_t)(size - 1) + (data[0] & 1) * 100;
	dissect_packet(LT_NFLOG, data + 1, (uint32_t)(size - 1), wire, &p);
	/* the prefix points into the record */
	if (p.nflog_prefix &&
	    (p.nflog_prefix < data + 1 ||
	     p.nflog_prefix + p.nflog_prefix_len > data + size))
		__builtin_trap();
	return 0;
}
