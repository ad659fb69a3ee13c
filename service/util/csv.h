/*
 * csv.h - RFC 4180 text as spreadsheets write and read it.
 *
 * Writing: a growing buffer of CRLF-ended records. A text field that a
 * spreadsheet would run as a formula (it starts with = + - @ tab or CR) is
 * written with a leading apostrophe, the OWASP advice against CSV
 * injection; csv_unguard() takes it off again on reading.
 *
 * Reading: one record at a time from a buffer that is valid UTF-8 (the
 * caller checks), quoted fields with "" escapes, CRLF or LF line ends.
 */
#ifndef ITAKU_CSV_H
#define ITAKU_CSV_H

#include <jansson.h>
#include <stddef.h>

struct csv_buf {
	char *data;     /* owned; NUL-terminated while not failed */
	size_t len;
	int failed;     /* an allocation failed: the buffer is incomplete */
};

void csv_put(struct csv_buf *b, const char *s, size_t n);
/* One field; first: no comma before it; textual: guard formulas. NULL
 * writes an empty field. */
void csv_field(struct csv_buf *b, const char *s, int first, int textual);
void csv_end_record(struct csv_buf *b);
void csv_buf_free(struct csv_buf *b);

struct csv_reader {
	const char *p, *end;
	size_t record;   /* records read so far */
	size_t field;    /* after an error: the field (from 0) it is in */
};

/* Reads the next record as an array of strings (caller decrefs) into
 * *fields. Returns 1, 0 at the end of the text, or -1 with a reason in
 * why: an unterminated quote, a field longer than max_field bytes, text
 * after a closing quote; rd->field then says which field. */
int csv_read(struct csv_reader *rd, json_t **fields, size_t max_field, const char **why);

/* The field as written before csv_field() guarded it: s without the
 * apostrophe put before a formula character. */
const char *csv_unguard(const char *s);

#endif
