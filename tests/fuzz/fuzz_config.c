/* libFuzzer target: config.xml parse (bounded expat tree) and import. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena ar;
	arena_init(&ar);
	diag_set_quiet(true);
	struct xml_parser *p = xml_begin(&ar, "fuzz.xml", &xml_config_limits);
	/* two chunks, so state carried across feeds is exercised too */
	size_t half = size / 2;
	bool ok = xml_feed(p, (const char *)data, half, false) &&
		  xml_feed(p, (const char *)data + half, size - half, true);
	struct xnode *root = xml_end(p);
	if (ok && root) {
		struct site s;
		memset(&s, 0, sizeof(s));
		s.name = "fuzz";
		struct input_file in = {.path = "fuzz.xml",
					.kind = INPUT_PFSENSE_XML};
		cfg_import_tree(&ar, root, &in, &s);
	}
	arena_free(&ar);
	return 0;
}
