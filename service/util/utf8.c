/*
 * utf8.c - cutting text without breaking characters.
 */
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

static int continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the sequence a lead byte announces; 1 for ASCII and for bytes
 * that cannot lead (they are kept or dropped one by one). */
static size_t sequence_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc2)
		return 2;
	return 1;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t lead = max;

	if (len <= max)
		return len;
	/* s[max] is the first byte left out. When it continues a character,
	 * that character began before the cut: drop back to its lead byte. */
	if (!continuation(u[max]))
		return max;
	while (lead > 0 && max - lead < 3 && continuation(u[lead]))
		lead--;
	return continuation(u[lead]) ? max : lead;   /* stray bytes: no character to keep whole */
}

int utf8_copy(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src), n = utf8_prefix(src, len, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
	return n < len;
}

int utf8_vformat(char *dst, size_t cap, const char *fmt, va_list ap)
{
	int want = vsnprintf(dst, cap, fmt, ap);
	size_t have, lead;

	if (want < 0) {
		dst[0] = '\0';
		return 0;
	}
	if ((size_t)want < cap)
		return 0;
	/* vsnprintf kept cap - 1 bytes; drop a last character it cut short. */
	have = strlen(dst);
	lead = have;
	while (lead > 0 && have - lead < 4 && continuation((unsigned char)dst[lead - 1]))
		lead--;
	if (lead > 0 && lead - 1 + sequence_len((unsigned char)dst[lead - 1]) > have)
		dst[lead - 1] = '\0';
	return 1;
}

int utf8_format(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int cut;

	va_start(ap, fmt);
	cut = utf8_vformat(dst, cap, fmt, ap);
	va_end(ap);
	return cut;
}
