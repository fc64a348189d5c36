/* Byte classes of a filterlog CSV, 16 or 32 bytes at a time on x86-64
 * (SSE2 always, AVX2 when the CPU has it), one at a time elsewhere. */
#include <stdbool.h>
#include <string.h>

#include "import/logs/log_filterlog_class.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void
classify_scalar(const char *p, size_t n, struct flc_masks *m)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		unsigned char l = (unsigned char)(c | 0x20);
		uint64_t bit = 1ull << (i & 63);
		size_t w = i >> 6;
		bool digit = c >= '0' && c <= '9';
		bool ident = digit || (l >= 'a' && l <= 'z') || c == '-' ||
			     c == '.' || c == ':' || c == '_';
		m->comma[w] |= c == ',' ? bit : 0;
		m->digit[w] |= digit ? bit : 0;
		m->dot[w] |= c == '.' ? bit : 0;
		m->ident[w] |= ident ? bit : 0;
	}
}

#if defined(__x86_64__)
/* One 16-byte chunk: the four class masks in the low 16 bits each. */
static inline void
chunk_sse2(const char *p, uint32_t out[4])
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
				 _mm_set1_epi8('a'));
	__m128i alpha = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
	__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
	__m128i punct = _mm_or_si128(
	    _mm_or_si128(dot, _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
			 _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
	out[0] =
	    (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
	out[1] = (uint32_t)_mm_movemask_epi8(digit);
	out[2] = (uint32_t)_mm_movemask_epi8(dot);
	out[3] = (uint32_t)_mm_movemask_epi8(
	    _mm_or_si128(_mm_or_si128(digit, alpha), punct));
}

static void
classify_sse2(const char *p, size_t n, struct flc_masks *m)
{
	for (size_t w = 0; w < FLC_WORDS; w++) {
		uint64_t comma = 0, digit = 0, dot = 0, ident = 0;
		if (w * 64 < n) {
#pragma GCC unroll 4
			for (unsigned k = 0; k < 4; k++) {
				uint32_t o[4];
				chunk_sse2(p + w * 64 + k * 16, o);
				comma |= (uint64_t)o[0] << (16 * k);
				digit |= (uint64_t)o[1] << (16 * k);
				dot |= (uint64_t)o[2] << (16 * k);
				ident |= (uint64_t)o[3] << (16 * k);
			}
		}
		m->comma[w] = comma;
		m->digit[w] = digit;
		m->dot[w] = dot;
		m->ident[w] = ident;
	}
}

__attribute__((target("avx2"))) static inline void
chunk_avx2(const char *p, uint32_t out[4])
{
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
	__m256i digit =
	    _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
	__m256i a = _mm256_sub_epi8(_mm256_or_si256(v, _mm256_set1_epi8(0x20)),
				    _mm256_set1_epi8('a'));
	__m256i alpha =
	    _mm256_cmpeq_epi8(_mm256_min_epu8(a, _mm256_set1_epi8(25)), a);
	__m256i dot = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'));
	__m256i punct = _mm256_or_si256(
	    _mm256_or_si256(dot, _mm256_cmpeq_epi8(v, _mm256_set1_epi8('-'))),
	    _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':')),
			    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('_'))));
	out[0] = (uint32_t)_mm256_movemask_epi8(
	    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(',')));
	out[1] = (uint32_t)_mm256_movemask_epi8(digit);
	out[2] = (uint32_t)_mm256_movemask_epi8(dot);
	out[3] = (uint32_t)_mm256_movemask_epi8(
	    _mm256_or_si256(_mm256_or_si256(digit, alpha), punct));
}

__attribute__((target("avx2"))) static void
classify_avx2(const char *p, size_t n, struct flc_masks *m)
{
	for (size_t w = 0; w < FLC_WORDS; w++) {
		uint32_t lo[4], hi[4];
		if (w * 64 >= n) {
			m->comma[w] = m->digit[w] = m->dot[w] = m->ident[w] = 0;
			continue;
		}
		chunk_avx2(p + w * 64, lo);
		chunk_avx2(p + w * 64 + 32, hi);
		m->comma[w] = (uint64_t)hi[0] << 32 | lo[0];
		m->digit[w] = (uint64_t)hi[1] << 32 | lo[1];
		m->dot[w] = (uint64_t)hi[2] << 32 | lo[2];
		m->ident[w] = (uint64_t)hi[3] << 32 | lo[3];
	}
}
#endif

bool
flc_available(enum flc_how how)
{
#if defined(__x86_64__)
	if (how == FLC_AVX2) /* x86-64-v3: the mask parser's copy for it
			      * uses POPCNT and BMI2 too */
		return __builtin_cpu_supports("avx2") &&
		       __builtin_cpu_supports("bmi") &&
		       __builtin_cpu_supports("bmi2") &&
		       __builtin_cpu_supports("popcnt");
	return true;
#else
	return how == FLC_SCALAR;
#endif
}

enum flc_how
flc_best(void)
{
	return flc_available(FLC_AVX2)	 ? FLC_AVX2
	       : flc_available(FLC_SSE2) ? FLC_SSE2
					 : FLC_SCALAR;
}

void
flc_classify(const char *p, size_t n, enum flc_how how, struct flc_masks *m)
{
#if defined(__x86_64__)
	if (how == FLC_AVX2) {
		classify_avx2(p, n, m);
		return;
	}
	if (how == FLC_SSE2) {
		classify_sse2(p, n, m);
		return;
	}
#endif
	memset(m, 0, sizeof(*m));
	classify_scalar(p, n, m);
}
