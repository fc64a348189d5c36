#include "util/cursor.h"

#include <string.h>

bool
cursor_get_u8(struct cursor *c, uint8_t *v)
{
	if (cursor_left(c) < 1)
		return false;
	*v = c->p[c->off++];
	return true;
}

bool
cursor_get_u16be(struct cursor *c, uint16_t *v)
{
	if (cursor_left(c) < 2)
		return false;
	const uint8_t *q = c->p + c->off;
	*v = (uint16_t)(q[0] << 8 | q[1]);
	c->off += 2;
	return true;
}

bool
cursor_get_u32be(struct cursor *c, uint32_t *v)
{
	if (cursor_left(c) < 4)
		return false;
	const uint8_t *q = c->p + c->off;
	*v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
	     q[3];
	c->off += 4;
	return true;
}

bool
cursor_get_u32le(struct cursor *c, uint32_t *v)
{
	if (cursor_left(c) < 4)
		return false;
	const uint8_t *q = c->p + c->off;
	*v = (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 |
	     q[0];
	c->off += 4;
	return true;
}

bool
cursor_get_u64be(struct cursor *c, uint64_t *v)
{
	uint32_t hi, lo;
	if (cursor_left(c) < 8)
		return false;
	cursor_get_u32be(c, &hi);
	cursor_get_u32be(c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

bool
cursor_get_bytes(struct cursor *c, void *dst, size_t n)
{
	if (cursor_left(c) < n)
		return false;
	memcpy(dst, c->p + c->off, n);
	c->off += n;
	return true;
}

bool
cursor_skip(struct cursor *c, size_t n)
{
	if (cursor_left(c) < n)
		return false;
	c->off += n;
	return true;
}

bool
cursor_peek_u8(const struct cursor *c, size_t at, uint8_t *v)
{
	if (cursor_left(c) <= at)
		return false;
	*v = c->p[c->off + at];
	return true;
}

bool
cursor_sub(struct cursor *c, size_t n, struct cursor *child)
{
	if (cursor_left(c) < n)
		return false;
	*child = cursor_make(c->p + c->off, n);
	c->off += n;
	return true;
}

struct cursor
cursor_sub_upto(struct cursor *c, size_t n, bool *truncated)
{
	size_t left = cursor_left(c);
	*truncated = left < n;
	if (left < n)
		n = left;
	struct cursor child = cursor_make(c->p + c->off, n);
	c->off += n;
	return child;
}
