/* libFuzzer target: every status-archive member reader (netstat,
 * ifconfig, arp, ndp, setkey -DP, pfctl -vvsr/-vvss, _errors.txt,
 * Product-Info) on the same
 * arbitrary text, then the box checks' inputs are walked. */
#include <stdint.h>
#include <string.h>

#include "import/status/st_readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena ar;
	arena_init(&ar);
	char *buf = arena_strndup(&ar, (const char *)data, size);
	struct boxstate b;
	memset(&b, 0, sizeof(b));
	st_read_netstat(&ar, &b, "f", buf, size);
	st_read_ifconfig(&ar, &b, "f", buf, size);
	st_read_arp(&ar, &b, "f", buf, size);
	st_read_ndp(&ar, &b, "f", buf, size);
	st_read_spd(&ar, &b, "f", buf, size);
	st_read_pfrules(&ar, &b, "f", buf, size);
	st_read_pfstates(&ar, &b, "f", buf, size);
	st_read_errors(&ar, &b, "f", buf, size);
	st_read_product(&ar, buf, size);
	arena_free(&ar);
	return 0;
}
