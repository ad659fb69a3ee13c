/*
 * valid.c - JSON field readers.
 */
#include "json/valid.h"
#include "util/crypto.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PTR_MAX 128

static void pointer_of(char *buf, size_t cap, const char *name)
{
	/* Member names here are our own identifiers: no "~" or "/" to escape. */
	snprintf(buf, cap, "/%s", name);
}

/* The opening every reader shares: looks name up in obj and fills ptr with
 * its pointer. Returns the member, or NULL when it is absent or null (then
 * "is required" is reported when it is). */
static json_t *jv_member(struct problem *p, json_t *obj, const char *name, int required,
			 char ptr[PTR_MAX])
{
	json_t *v = json_object_get(obj, name);

	pointer_of(ptr, PTR_MAX, name);
	if (v && !json_is_null(v))
		return v;
	if (required)
		problem_add_pointer(p, ptr, "is required");
	return NULL;
}

/* A JSON Pointer (RFC 6901) to a member whose name the client chose: "~"
 * and "/" escaped, a long name shortened on a character boundary. Returns
 * 1 when shortened. */
int jv_pointer(char *buf, size_t cap, const char *name)
{
	size_t len = strlen(name), keep = utf8_prefix(name, len, (cap - 2) / 2), n = 0;

	buf[n++] = '/';
	for (size_t i = 0; i < keep; i++) {
		if (name[i] == '~' || name[i] == '/') {
			buf[n++] = '~';
			buf[n++] = name[i] == '~' ? '0' : '1';
		} else {
			buf[n++] = name[i];
		}
	}
	buf[n] = '\0';
	return keep < len;
}

void jv_only(struct problem *p, json_t *obj, const char *const allowed[])
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		int known = 0;
		char ptr[514];

		for (size_t i = 0; allowed[i]; i++)
			known |= strcmp(key, allowed[i]) == 0;
		if (known)
			continue;
		/* Every unknown member is refused, whatever its name's length. */
		if (jv_pointer(ptr, sizeof(ptr), key))
			problem_add_pointer(p, ptr, "is not a known field (its name, %zu bytes long, is shown shortened)",
					    strlen(key));
		else
			problem_add_pointer(p, ptr, "is not a known field");
	}
}

size_t jv_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

const char *jv_string(struct problem *p, json_t *obj, const char *name, int required,
		      size_t minlen, size_t maxlen)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);
	const char *s;
	size_t len;

	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		problem_add_pointer(p, ptr, "must be a string");
		return NULL;
	}
	s = json_string_value(v);
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c < 0x20 && *c != '\t' && *c != '\n') {
			problem_add_pointer(p, ptr, "must not contain control characters");
			return NULL;
		}
	}
	len = jv_utf8_len(s);
	if (len < minlen || len > maxlen) {
		if (minlen == maxlen)
			problem_add_pointer(p, ptr, "must be %zu characters long", minlen);
		else
			problem_add_pointer(p, ptr, "must be %zu to %zu characters long", minlen, maxlen);
		return NULL;
	}
	return s;
}

int jv_enum(struct problem *p, json_t *obj, const char *name, int required,
	    const char *const values[])
{
	char ptr[PTR_MAX], list[256] = "";
	json_t *v = jv_member(p, obj, name, required, ptr);
	size_t n = 0;

	if (!v)
		return -1;
	for (int i = 0; json_is_string(v) && values[i]; i++) {
		if (strcmp(json_string_value(v), values[i]) == 0)
			return i;
	}
	for (int i = 0; values[i] && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", values[i]);
	problem_add_pointer(p, ptr, "must be one of: %s", list);
	return -1;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int jv_is_timestamp(const char *s)
{
	int mon, day, hour, min, sec;

	/* YYYY-MM-DDTHH:MM:SS */
	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	mon = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	hour = (s[11] - '0') * 10 + (s[12] - '0');
	min = (s[14] - '0') * 10 + (s[15] - '0');
	sec = (s[17] - '0') * 10 + (s[18] - '0');
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0;
	s += 19;
	if (*s == '.') {
		int n = 0;

		for (s++; isdigit((unsigned char)*s); s++)
			n++;
		if (n == 0 || n > 9)
			return 0;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return 1;
	return (*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
	       s[6] == '\0';
}

const char *jv_timestamp(struct problem *p, json_t *obj, const char *name, int required,
			 int nullable, int *is_null)
{
	json_t *present = json_object_get(obj, name), *v;
	char ptr[PTR_MAX];

	if (is_null)
		*is_null = 0;
	if (present && json_is_null(present) && nullable) {
		if (is_null)
			*is_null = 1;
		return NULL;
	}
	if (!(v = jv_member(p, obj, name, required, ptr)))
		return NULL;
	if (!json_is_string(v) || !jv_is_timestamp(json_string_value(v))) {
		problem_add_pointer(p, ptr, "must be an RFC 3339 timestamp such as 2026-04-01T09:00:00+09:00");
		return NULL;
	}
	return json_string_value(v);
}

int jv_depth(const char *text, size_t len)
{
	int depth = 0, max = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return max;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int jv_is_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

const char *jv_date(struct problem *p, json_t *obj, const char *name, int required)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return NULL;
	if (!json_is_string(v) || !jv_is_date(json_string_value(v))) {
		problem_add_pointer(p, ptr, "must be a date as YYYY-MM-DD");
		return NULL;
	}
	return json_string_value(v);
}

int jv_int(struct problem *p, json_t *obj, const char *name, int required, long long min,
	   long long max, long long *out)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return required ? -1 : 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		problem_add_pointer(p, ptr, "must be an integer from %lld to %lld", min, max);
		return -1;
	}
	*out = json_integer_value(v);
	return 1;
}

int jv_number(struct problem *p, json_t *obj, const char *name, int required, double min,
	      double max, double *out)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return required ? -1 : 0;
	if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max) {
		problem_add_pointer(p, ptr, "must be a number from %g to %g", min, max);
		return -1;
	}
	*out = json_number_value(v);
	return 1;
}

int jv_bool(struct problem *p, json_t *obj, const char *name, int required, int *out)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return required ? -1 : 0;
	if (!json_is_boolean(v)) {
		problem_add_pointer(p, ptr, "must be true or false");
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

json_t *jv_strings(struct problem *p, json_t *obj, const char *name, size_t maxitems,
		   size_t minlen, size_t maxlen, const char *const values[])
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, 0, ptr), *item;
	size_t i, j;

	if (!v)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) > maxitems) {
		problem_add_pointer(p, ptr, "must be an array of at most %zu strings", maxitems);
		return NULL;
	}
	json_array_foreach(v, i, item) {
		const char *s = json_is_string(item) ? json_string_value(item) : NULL;
		size_t len = s ? jv_utf8_len(s) : 0;
		int ok = s && len >= minlen && len <= maxlen;

		for (const char *c = s; ok && *c; c++)
			ok = (unsigned char)*c >= 0x20;
		if (ok && values) {
			ok = 0;
			for (j = 0; values[j]; j++)
				ok |= strcmp(s, values[j]) == 0;
		}
		for (j = 0; ok && j < i; j++)
			ok = strcmp(s, json_string_value(json_array_get(v, j))) != 0;
		if (!ok) {
			problem_add_pointer(p, ptr, "item %zu is not allowed here (duplicate, wrong length or unknown value)", i);
			return NULL;
		}
	}
	return v;
}

void jv_rebase(struct problem *p, size_t from, const char *prefix)
{
	for (size_t i = from; i < json_array_size(p->errors); i++) {
		json_t *e = json_array_get(p->errors, i);
		const char *ptr = json_string_value(json_object_get(e, "pointer"));
		char buf[256];

		if (!ptr)
			continue;
		snprintf(buf, sizeof(buf), "%s%s", prefix, ptr);
		json_object_set_new(e, "pointer", json_string(buf));
	}
}

const char *jv_uuid(struct problem *p, json_t *obj, const char *name, int required)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return NULL;
	if (!json_is_string(v) || !crypto_is_uuid(json_string_value(v))) {
		problem_add_pointer(p, ptr, "must be a UUID");
		return NULL;
	}
	return json_string_value(v);
}

json_t *jv_object(struct problem *p, json_t *obj, const char *name)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, 0, ptr);

	if (!v || json_is_object(v))
		return v;
	problem_add_pointer(p, ptr, "must be an object");
	return NULL;
}

json_t *jv_array(struct problem *p, json_t *obj, const char *name, int required, size_t minitems,
		 size_t maxitems)
{
	char ptr[PTR_MAX];
	json_t *v = jv_member(p, obj, name, required, ptr);

	if (!v)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) < minitems || json_array_size(v) > maxitems) {
		problem_add_pointer(p, ptr, "must be an array of %zu to %zu items", minitems, maxitems);
		return NULL;
	}
	return v;
}

void jv_keep(json_t *out, json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	if (v && !json_is_null(v))
		json_object_set(out, name, v);
}

int jv_empty(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	return !v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0);
}

int jv_is_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ')
			return 0;
	return s[-1] != '.';
}
