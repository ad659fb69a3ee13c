/*
 * compose.c - MIME text of one mail.
 */
#include "mail/compose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/crypto.h"

int compose_address_ok(const char *a)
{
	const char *at = a ? strchr(a, '@') : NULL;

	if (!at || at == a || !at[1] || strchr(at + 1, '@') || strlen(a) > 254)
		return 0;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>(),;:\"\\[]", *p))
			return 0;
	return 1;
}

static int plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* An encoded word is "=?UTF-8?B?" + base64 + "?=", at most 75 characters:
 * 63 characters of base64, so at most 45 bytes of text each. */
#define WORD_BYTES 45

int compose_header_words(const char *value, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t used = 0;

	if (plain_ascii(value)) {
		if (strlen(value) >= cap)
			return -1;
		memcpy(out, value, strlen(value) + 1);
		return 0;
	}
	out[0] = '\0';
	while (*p) {
		char b64[4 * ((WORD_BYTES + 2) / 3) + 1];
		size_t take = 0;
		int n;

		while (p[take] && take + utf8_len(p + take) <= WORD_BYTES)
			take += utf8_len(p + take);
		crypto_b64_encode(p, take, b64);
		n = snprintf(out + used, cap - used, "%s=?UTF-8?B?%s?=", used ? "\r\n " : "", b64);
		if (n < 0 || (size_t)n >= cap - used)
			return -1;
		used += (size_t)n;
		p += take;
	}
	return 0;
}

/* A growing buffer; on failure it is freed and stays NULL. */
struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (!b->s)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *s2 = realloc(b->s, cap);

		if (!s2) {
			free(b->s);
			b->s = NULL;
			return;
		}
		b->s = s2;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* The body with CRLF line ends, base64 in lines of 76. */
static void put_body(struct buf *b, const char *body)
{
	struct buf crlf = { malloc(256), 0, 256 };
	char line[77];

	for (const char *p = body; crlf.s && *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			put(&crlf, "\r", 1);
		put(&crlf, p, 1);
	}
	if (!crlf.s) {
		free(b->s);
		b->s = NULL;
		return;
	}
	for (size_t i = 0; i < crlf.len; i += 57) {
		size_t n = crlf.len - i < 57 ? crlf.len - i : 57;

		crypto_b64_encode((const unsigned char *)crlf.s + i, n, line);
		puts_(b, line);
		put(b, "\r\n", 2);
	}
	free(crlf.s);
}

char *compose_message(const struct compose *m, size_t *len)
{
	struct buf b = { malloc(4096), 0, 4096 };
	char words[2048], line[2300], date[64];
	const char *domain = strchr(m->from, '@') + 1;
	struct tm tm;

	if (!b.s)
		return NULL;
	b.s[0] = '\0';
	gmtime_r(&m->date, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(line, sizeof(line), "Date: %s\r\n", date);
	puts_(&b, line);
	if (m->from_name && *m->from_name && plain_ascii(m->from_name)) {
		/* a quoted string: drop what would need escaping */
		size_t n = 0;

		for (const char *p = m->from_name; *p && n < sizeof(words) - 1; p++)
			if (*p != '"' && *p != '\\')
				words[n++] = *p;
		words[n] = '\0';
		snprintf(line, sizeof(line), "From: \"%s\" <%s>\r\n", words, m->from);
	} else if (m->from_name && *m->from_name && compose_header_words(m->from_name, words, sizeof(words)) == 0) {
		snprintf(line, sizeof(line), "From: %s <%s>\r\n", words, m->from);
	} else {
		snprintf(line, sizeof(line), "From: %s\r\n", m->from);
	}
	puts_(&b, line);
	snprintf(line, sizeof(line), "To: %s\r\n", m->to);
	puts_(&b, line);
	if (compose_header_words(m->subject, words, sizeof(words)))
		snprintf(words, sizeof(words), "(subject too long)");
	snprintf(line, sizeof(line), "Subject: %s\r\n", words);
	puts_(&b, line);
	snprintf(line, sizeof(line), "Message-ID: <%s@%s>\r\n", m->message_id, domain);
	puts_(&b, line);
	/* Out-of-office replies and the like should not answer a robot. */
	puts_(&b, "Auto-Submitted: auto-generated\r\n"
		  "MIME-Version: 1.0\r\n"
		  "Content-Type: text/plain; charset=UTF-8\r\n"
		  "Content-Transfer-Encoding: base64\r\n\r\n");
	put_body(&b, m->body);
	if (b.s)
		*len = b.len;
	return b.s;
}
