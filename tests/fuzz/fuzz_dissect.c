/* Fuzz target: whole packets of every link type ipsecdiag dissects; the
 * first byte picks the link type, the second whether snaplen cut it. */
#include "import/pcap/dissect/dissect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int lts[] = {LT_NULL,	 LT_ETHERNET,  LT_RAW,
				  LT_LOOP,	 LT_ENC,       LT_LINUX_SLL,
				  LT_PFLOG,	 LT_IPV4,      LT_IPV6,
				  LT_LINUX_SLL2, LT_RAW_DLT12, LT_NFLOG};
	if (size < 2)
		return 0;
	struct pkt p;
	int lt = lts[data[0] % (sizeof(lts) / sizeof(*lts))];
	uint32_t wire = (uint32_t)(size - 2) + (data[1] & 1) * 100;
	dissect_packet(lt, data + 2, (uint32_t)(size - 2), wire, &p);
	return 0;
}
