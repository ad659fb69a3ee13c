/*
 * csv.c - writing and reading RFC 4180 records.
 */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

#define FORMULA "=+-@\t\r"

void csv_put(struct csv_buf *b, const char *s, size_t n)
{
	char *next;

	if (b->failed)
		return;
	if (!(next = realloc(b->data, b->len + n + 1))) {
		b->failed = 1;
		return;
	}
	b->data = next;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* A formula character after any number of apostrophes: guarded with one
 * more apostrophe, which csv_unguard() takes off, so that any text comes
 * back as it was written. */
static int needs_guard(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr(FORMULA, *s);
}

void csv_field(struct csv_buf *b, const char *s, int first, int textual)
{
	if (!first)
		csv_put(b, ",", 1);
	if (!s)
		return;
	if (textual && needs_guard(s)) {
		csv_put(b, "\"'", 2);
	} else if (!strpbrk(s, ",\"\r\n") && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
		csv_put(b, s, strlen(s));
		return;
	} else {
		csv_put(b, "\"", 1);
	}
	for (; *s; s++) {
		if (*s == '"')
			csv_put(b, "\"", 1);
		csv_put(b, s, 1);
	}
	csv_put(b, "\"", 1);
}

void csv_end_record(struct csv_buf *b)
{
	csv_put(b, "\r\n", 2);
}

void csv_buf_free(struct csv_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

const char *csv_unguard(const char *s)
{
	return s[0] == '\'' && needs_guard(s + 1) ? s + 1 : s;
}

/* Appends one field of n bytes to fields. Returns 0 or -1. */
static int add_field(json_t *fields, const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);

	return v ? json_array_append_new(fields, v) : -1;
}

int csv_read(struct csv_reader *rd, json_t **fields, size_t max_field, const char **why)
{
	/* rd->field: the field being read, so that an error can name it */
	json_t *out;
	char *field = NULL;
	size_t cap = 0, n;

	*fields = NULL;
	if (rd->p >= rd->end)
		return 0;
	out = json_array();
	for (rd->field = 0;; rd->field++) {
		n = 0;
		if (rd->p < rd->end && *rd->p == '"') {
			rd->p++;
			for (;;) {
				if (rd->p >= rd->end) {
					*why = "a quoted field is not closed";
					goto fail;
				}
				if (*rd->p == '"' && rd->p + 1 < rd->end && rd->p[1] == '"') {
					rd->p++;
				} else if (*rd->p == '"') {
					rd->p++;
					break;
				}
				if (n + 1 > max_field) {
					*why = "a field is longer than allowed";
					goto fail;
				}
				if (n + 1 > cap) {
					char *next = realloc(field, cap = cap ? cap * 2 : 256);

					if (!next)
						goto nomem;
					field = next;
				}
				field[n++] = *rd->p++;
			}
			if (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n') {
				*why = "text follows a closing quote";
				goto fail;
			}
			if (add_field(out, field ? field : "", n))
				goto nomem;
		} else {
			const char *start = rd->p;

			while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n')
				rd->p++;
			if ((size_t)(rd->p - start) > max_field) {
				*why = "a field is longer than allowed";
				goto fail;
			}
			if (add_field(out, start, (size_t)(rd->p - start)))
				goto nomem;
		}
		if (rd->p < rd->end && *rd->p == ',') {
			rd->p++;
			continue;
		}
		if (rd->p < rd->end && *rd->p == '\r')
			rd->p++;
		if (rd->p < rd->end && *rd->p == '\n')
			rd->p++;
		break;
	}
	free(field);
	rd->record++;
	*fields = out;
	return 1;
nomem:
	*why = "out of memory";
fail:
	free(field);
	json_decref(out);
	return -1;
}
