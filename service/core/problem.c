/*
 * problem.c - problem details.
 */
#include "core/problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/utf8.h"

const char *problem_status_title(int status)
{
	return catalog_status_title(status, LANG_EN);
}

void problem_clear(struct problem *p)
{
	json_decref(p->errors);
	json_decref(p->members);
	memset(p, 0, sizeof(*p));
}

int problem_set(struct problem *p, int status, const char *slug, const char *title,
		const char *fmt, ...)
{
	va_list ap;
	json_t *errors = p->errors;

	/* Field errors collected before the verdict stay with it. */
	p->errors = NULL;
	problem_clear(p);
	p->errors = errors;
	p->status = status;
	p->slug = slug;
	p->title = title ? title : problem_status_title(status);
	va_start(ap, fmt);
	utf8_vformat(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	return -1;
}

static void add_error(struct problem *p, const char *field, const char *where,
		      const char *fmt, va_list ap)
{
	char msg[256];
	json_t *e;

	utf8_vformat(msg, sizeof(msg), fmt, ap);
	if (!p->errors)
		p->errors = json_array();
	/* An error is never lost: one whose location is not valid text is
	 * reported against the whole body. */
	e = json_pack("{s:s, s:s}", field, where, "message", msg);
	if (!e)
		e = json_pack("{s:s, s:s}", field, "", "message", msg);
	json_array_append_new(p->errors, e);
}

void problem_add_pointer(struct problem *p, const char *pointer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(p, "pointer", pointer, fmt, ap);
	va_end(ap);
}

void problem_add_parameter(struct problem *p, const char *parameter, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(p, "parameter", parameter, fmt, ap);
	va_end(ap);
}

size_t problem_error_count(const struct problem *p)
{
	return p->errors ? json_array_size(p->errors) : 0;
}

/* A field error in lang, with the code of its message. */
static json_t *error_json(json_t *e, enum lang lang)
{
	const char *msg = json_string_value(json_object_get(e, "message"));
	json_t *out = json_deep_copy(e);
	char text[1024];
	const char *code = catalog_render(msg ? msg : "", lang, text, sizeof(text));
	json_t *s = json_string(text);

	json_object_set_new(out, "message", s ? s : json_string(msg ? msg : ""));
	json_object_set_new(out, "code", json_string(code ? code : "uncatalogued"));
	return out;
}

json_t *problem_to_json(const struct problem *p, enum lang lang)
{
	char type[96], detail[1024];
	const char *title = p->title && lang == LANG_EN ? p->title : catalog_status_title(p->status, lang);
	const char *code = catalog_render(p->detail, lang, detail, sizeof(detail));
	json_t *o;

	snprintf(type, sizeof(type), "urn:itaku:problem:%s", p->slug ? p->slug : "error");
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", title, "status", p->status,
		      "detail", detail);
	if (!o)   /* not valid UTF-8 after all: keep the verdict, drop the text */
		o = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", catalog_status_title(p->status, lang),
			      "status", p->status, "detail", catalog_status_title(p->status, lang));
	if (code)
		json_object_set_new(o, "code", json_string(code));
	if (p->errors && json_array_size(p->errors)) {
		json_t *errors = json_array(), *e;
		size_t i;

		json_array_foreach(p->errors, i, e)
			json_array_append_new(errors, error_json(e, lang));
		json_object_set_new(o, "errors", errors);
	}
	if (p->members)   /* never over the standard members */
		json_object_update_missing(o, p->members);
	return o;
}
