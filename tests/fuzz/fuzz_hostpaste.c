/* libFuzzer target: hostfacts_paste_read() (pasted ipconfig, ip addr,
 * ifconfig, route print, netstat -rn) and the recogniser on arbitrary
 * bytes; each host it yields must have a sane prefix length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/hosts/hostfacts_paste.h"
#include "import/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena ar;
	arena_init(&ar);
	diag_set_quiet(true);
	char *text = arena_alloc(&ar, size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct site s = {.name = "fuzz"};
	struct input_file in = {.path = "fuzz"};
	(void)hostfacts_paste_recognize(data, size);
	(void)hostfacts_paste_read(&ar, &in, &s, text, size);
	for (size_t i = 0; i < s.nhosts; i++)
		if (s.hosts[i].plen > fam_bits(s.hosts[i].addr.fam))
			abort();
	arena_free(&ar);
	return 0;
}
