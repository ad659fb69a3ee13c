/*
 * compose.h - one mail as RFC 5322 / MIME text: UTF-8 plain text, the
 * subject and a non-ASCII display name as RFC 2047 encoded words, the
 * body in base64 (Japanese text is mostly non-ASCII, where base64 is
 * shorter than quoted-printable and never touches a line length limit).
 *
 * Pure: no I/O, no database. The addresses must already be checked with
 * compose_address_ok(), since they go into header lines as they are.
 */
#ifndef ITAKU_MAIL_COMPOSE_H
#define ITAKU_MAIL_COMPOSE_H

#include <stddef.h>
#include <time.h>

struct compose {
	const char *from;            /* address */
	const char *from_name;       /* display name (UTF-8) or NULL */
	const char *to;              /* address */
	const char *subject;         /* UTF-8, one line */
	const char *body;            /* UTF-8, lines separated by \n */
	const char *message_id;      /* unique left part; "@" and the From domain are added */
	time_t date;
};

/* 1 when a is an address fit for an envelope and a header line: one @,
 * no spaces, no control characters, nothing a header could be split on. */
int compose_address_ok(const char *a);

/* The whole message with CRLF line ends (caller frees), its length in
 * *len; NULL when out of memory. */
char *compose_message(const struct compose *m, size_t *len);

/* Writes into out (cap bytes) value as RFC 2047 "B" encoded words of at
 * most 75 characters each, folded with CRLF SP, cut only between UTF-8
 * characters; ASCII-only printable text is copied as it is. Returns 0,
 * or -1 when it does not fit. */
int compose_header_words(const char *value, char *out, size_t cap);

#endif
