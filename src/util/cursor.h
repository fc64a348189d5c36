/* Bounds-checked reader for binary input (captures). Every getter returns
 * false past the end and leaves the cursor unchanged; length-prefixed
 * fields are read through a child cursor (cursor_sub). */
#ifndef UTIL_CURSOR_H
#define UTIL_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p;
	size_t len, off;
};

static inline struct cursor
cursor_make(const void *p, size_t len)
{
	return (struct cursor){p, len, 0};
}

static inline size_t
cursor_left(const struct cursor *c)
{
	return c->len - c->off;
}

bool cursor_get_u8(struct cursor *c, uint8_t *v);
bool cursor_get_u16be(struct cursor *c, uint16_t *v);
bool cursor_get_u32be(struct cursor *c, uint32_t *v);
bool cursor_get_u32le(struct cursor *c, uint32_t *v);
bool cursor_get_u64be(struct cursor *c, uint64_t *v);
bool cursor_get_bytes(struct cursor *c, void *dst, size_t n);
bool cursor_skip(struct cursor *c, size_t n);
/* Peeks without moving. */
bool cursor_peek_u8(const struct cursor *c, size_t at, uint8_t *v);
/* Child cursor over the next n bytes; the parent moves past them. */
bool cursor_sub(struct cursor *c, size_t n, struct cursor *child);
/* Child over the next n bytes or what is left, whichever is shorter
 * (snaplen-truncated packets); *truncated tells which. */
struct cursor cursor_sub_upto(struct cursor *c, size_t n, bool *truncated);

#endif
