/* libFuzzer target: a config.xml through the whole diagnosis: import, the
 * engine's traces of every chosen flow, every check, the text and JSON
 * reports. Hostile configs must not crash the engine either. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_diagnose.h"
#include "import/pfsense/cfg_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena ar;
	arena_init(&ar);
	diag_set_quiet(true);
	struct xml_parser *p = xml_begin(&ar, "fuzz.xml", &xml_config_limits);
	bool ok = xml_feed(p, (const char *)data, size, true);
	struct xnode *root = xml_end(p);
	struct site *s = arena_alloc(&ar, sizeof(*s));
	s->name = "fuzz";
	struct input_file in = {.path = "fuzz.xml", .kind = INPUT_PFSENSE_XML};
	if (ok && root && cfg_import_tree(&ar, root, &in, s)) {
		struct site **sites = &s;
		fuzz_diagnose_sites(&ar, sites, 1);
	}
	arena_free(&ar);
	return 0;
}
