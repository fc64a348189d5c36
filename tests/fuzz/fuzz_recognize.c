/* libFuzzer target: input_recognize() on arbitrary bytes, the head of any
 * file a user may drop into a site folder. */
#include <stddef.h>
#include <stdint.h>

#include "import/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < 8192 ? size : 8192; /* what load.c reads */
	(void)input_recognize(data, n, NULL);
	return 0;
}
