/* Replays saved fuzzer inputs (tests/fuzz/crashers/<target>/) through a
 * target without libFuzzer, so the normal test run covers them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			return 2;
		}
		size_t cap = 1 << 16, n = 0, r;
		uint8_t *buf = malloc(cap);
		while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
			n += r;
			if (n == cap)
				buf = realloc(buf, cap *= 2);
		}
		fclose(f);
		if (buf == NULL)
			return 2;
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}
