#include "import/nft_match.h"
#include "import/load.h"
bool nft_json_import(struct arena *ar, struct input_file *in, struct site *s,
		     const char *buf, size_t len);
bool
nft_json_import(struct arena *ar, struct input_file *in, struct site *s,
		const char *buf, size_t len)
{
	(void)ar; (void)s; (void)buf; (void)len;
	struct srcloc loc = {.file = in->path};
	diag(DIAG_ERROR, &loc, "nft JSON not built yet");
	return false;
}
