#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

enum { CHUNK_MIN = 64 * 1024 };

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	size_t align = _Alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct arena_chunk *c = a->head;
	if (c == NULL || c->size - c->used < size) {
		size_t want = size > CHUNK_MIN ? size : CHUNK_MIN;
		c = malloc(sizeof(*c) + want);
		if (c == NULL)
			die_system("out of memory (%zu bytes)", want);
		c->size = want;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	/* most strings fit the stack buffer: one formatting pass */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *
arena_push(struct arena *a, void *v, size_t *n, size_t *cap, size_t elem)
{
	void **vec = v;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *nv = arena_alloc(a, ncap * elem);
		if (*n)
			memcpy(nv, *vec, *n * elem);
		*vec = nv;
		*cap = ncap;
	}
	unsigned char *slot = (unsigned char *)*vec + (*n)++ * elem;
	memset(slot, 0, elem);
	return slot;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
