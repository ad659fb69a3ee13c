/*
 * utf8.h - cutting text without breaking characters.
 *
 * Fixed buffers (problem details, database messages) hold text that may be
 * longer than they are. Cutting by bytes can split a multi-byte character,
 * and one broken character makes the whole JSON body unencodable, so every
 * copy into a fixed buffer goes through these helpers. Input is assumed to
 * be UTF-8; bytes that are not are left as they are (the JSON layer refuses
 * them), only the cut itself never creates an invalid sequence.
 */
#ifndef ITAKU_UTF8_H
#define ITAKU_UTF8_H

#include <stdarg.h>
#include <stddef.h>

/* The largest n <= max such that s[0..n) ends on a character boundary.
 * len is strlen(s) or less. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* Copies src into dst (cap bytes, cap > 0), cut on a character boundary,
 * always NUL-terminated. Returns 1 when src was cut, else 0. */
int utf8_copy(char *dst, size_t cap, const char *src);

/* vsnprintf into dst, then drops a character the cut left incomplete.
 * Returns 1 when the text was cut, else 0. */
int utf8_vformat(char *dst, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int utf8_format(char *dst, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
