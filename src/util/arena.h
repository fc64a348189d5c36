/* Arena: one owner for everything a run builds, freed at once. */
#ifndef UTIL_ARENA_H
#define UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out, for ceilings and benchmarks */
};

void arena_init(struct arena *a);
/* Zeroed memory aligned for any type; exits 3 on out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grows *v (count *n, capacity *cap) by one element, returns it zeroed. */
void *arena_push(struct arena *a, void *v, size_t *n, size_t *cap, size_t elem);
void arena_free(struct arena *a);

#define ARENA_PUSH(a, vec, n, cap)                                             \
	((__typeof__(vec))arena_push((a), &(vec), &(n), &(cap), sizeof(*(vec))))

#endif
