/*
 * valid.h - reading fields of a JSON request body with validation.
 *
 * Each reader looks up one member of obj. When the member is present but
 * wrong it appends {pointer, message} to p and returns the "absent" value;
 * handlers read every field first and answer 422 once when
 * problem_error_count(p) > 0, so a client learns about all bad fields at
 * once. Returned strings are borrowed from obj.
 */
#ifndef ITAKU_VALID_H
#define ITAKU_VALID_H

#include <jansson.h>
#include <stddef.h>
#include "core/problem.h"

#define JV_REQUIRED 1
#define JV_OPTIONAL 0

/* A JSON Pointer (RFC 6901) "/name" to a member whose name the client
 * chose: "~" and "/" escaped, a long name shortened on a character
 * boundary (cap >= 4). Returns 1 when shortened. */
int jv_pointer(char *buf, size_t cap, const char *name);

/* Rejects members not named in allowed (NULL-terminated). */
void jv_only(struct problem *p, json_t *obj, const char *const allowed[]);

/* A string of minlen..maxlen characters (Unicode code points), without
 * control characters other than tab and newline. */
const char *jv_string(struct problem *p, json_t *obj, const char *name, int required,
		      size_t minlen, size_t maxlen);

/* A string from a NULL-terminated list; returns its index or -1. */
int jv_enum(struct problem *p, json_t *obj, const char *name, int required,
	    const char *const values[]);

/* An RFC 3339 timestamp with a time-zone offset ("2026-04-01T09:00:00+09:00").
 * A JSON null is accepted when nullable and reported through *is_null. */
const char *jv_timestamp(struct problem *p, json_t *obj, const char *name, int required,
			 int nullable, int *is_null);

/* True when s is an RFC 3339 date-time. */
int jv_is_timestamp(const char *s);

/* Number of code points in a UTF-8 string (jansson has validated it). */
size_t jv_utf8_len(const char *s);

/* Depth of the deepest nesting in a JSON text, counted without parsing it,
 * so that hostile nesting is refused before the parser recurses. */
int jv_depth(const char *text, size_t len);

/* A plausible e-mail address: one @, something on both sides, a dot in
 * the domain, no spaces. Deliverability is not ours to judge. */
int jv_is_email(const char *s);

/* A calendar date as YYYY-MM-DD (years 1900-2999). */
int jv_is_date(const char *s);
const char *jv_date(struct problem *p, json_t *obj, const char *name, int required);
/* A UUID in canonical text form; returned borrowed, NULL when absent, null
 * or wrong. */
const char *jv_uuid(struct problem *p, json_t *obj, const char *name, int required);
/* Integer in min..max. Returns 1 and sets *out when present, 0 when absent
 * or null, -1 when wrong (or required and absent). */
int jv_int(struct problem *p, json_t *obj, const char *name, int required, long long min,
	   long long max, long long *out);
/* A number (integer or real) in min..max; same returns as jv_int. */
int jv_number(struct problem *p, json_t *obj, const char *name, int required, double min,
	      double max, double *out);
/* Boolean; same returns as jv_int. */
int jv_bool(struct problem *p, json_t *obj, const char *name, int required, int *out);
/* An array of at most maxitems distinct strings of minlen..maxlen code
 * points, each from values when values is not NULL. Returns the borrowed
 * array, or NULL when absent, null or wrong. */
json_t *jv_strings(struct problem *p, json_t *obj, const char *name, size_t maxitems,
		   size_t minlen, size_t maxlen, const char *const values[]);
/* An object; NULL (and no error) when absent or null. */
json_t *jv_object(struct problem *p, json_t *obj, const char *name);
/* An array of minitems..maxitems; NULL when absent or null (an error when
 * required) or wrong. */
json_t *jv_array(struct problem *p, json_t *obj, const char *name, int required, size_t minitems,
		 size_t maxitems);
/* Copies member name of obj into out when present and not null (a
 * normalised copy keeps what was checked, and leaves absent what was). */
void jv_keep(json_t *out, json_t *obj, const char *name);
/* Whether member name is absent, null or an empty array: then "is
 * required", where a wrong value has its reader's own message. */
int jv_empty(json_t *obj, const char *name);
/* Prefixes the pointers of the errors added since index from, after a
 * nested object was checked on its own ("/contacts/2" + "/email"). */
void jv_rebase(struct problem *p, size_t from, const char *prefix);

#endif
