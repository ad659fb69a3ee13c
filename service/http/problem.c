/*
 * problem.c - problem details.
 */
#include "http/problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/utf8.h"

const char *problem_status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 412: return "Precondition failed";
	case 413: return "Request body too large";
	case 415: return "Unsupported media type";
	case 422: return "Unprocessable content";
	case 428: return "Precondition required";
	case 429: return "Too many requests";
	case 500: return "Internal server error";
	case 503: return "Service unavailable";
	default: return "Error";
	}
}

void problem_clear(struct problem *p)
{
	json_decref(p->errors);
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

json_t *problem_to_json(const struct problem *p)
{
	char type[96];
	json_t *o;

	snprintf(type, sizeof(type), "urn:itaku:problem:%s", p->slug ? p->slug : "error");
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", type,
		      "title", p->title ? p->title : problem_status_title(p->status),
		      "status", p->status, "detail", p->detail);
	if (!o)   /* not valid UTF-8 after all: keep the verdict, drop the text */
		o = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", problem_status_title(p->status),
			      "status", p->status, "detail", problem_status_title(p->status));
	if (p->errors && json_array_size(p->errors))
		json_object_set(o, "errors", p->errors);
	return o;
}
