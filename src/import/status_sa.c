#include "import/linux.h"
#include "import/load.h"
bool
status_sa_import(struct arena *ar, struct input_file *in, struct site *s)
{
	(void)ar; (void)s;
	struct srcloc loc = {.file = in->path};
	diag(DIAG_ERROR, &loc, "not built yet");
	return false;
}
