/* placeholder until the config importer lands */
#include "import/load.h"

bool
cfg_pfsense_import(struct arena *ar, struct input_file *in, struct site *s)
{
	(void)ar;
	(void)s;
	struct srcloc loc = {.file = in->path};
	diag(DIAG_ERROR, &loc, "config import not built yet");
	return false;
}
