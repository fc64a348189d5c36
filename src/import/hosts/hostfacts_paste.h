/* Host facts as users paste them: Windows `ipconfig /all` and `route
 * print`, Linux `ip addr` / `ip route` (text or -j), macOS and BSD
 * `ifconfig` / `netstat -rn`, several hosts in one file. */
#ifndef IMPORT_HOSTFACTS_PASTE_H
#define IMPORT_HOSTFACTS_PASTE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"
#include "util/arena.h"

/* Does the head of a file look like one of these outputs? The content
 * test the recogniser calls (src/import/recognize.c). */
bool hostfacts_paste_recognize(const unsigned char *h, size_t n);

/* Reads text (NUL-terminated, len bytes) of file `in` into s->hosts,
 * one host per address with a known mask. False (with diagnostics)
 * when it holds binary data or no usable host. */
bool hostfacts_paste_read(struct arena *ar, struct input_file *in,
			  struct site *s, const char *text, size_t len);

#endif
