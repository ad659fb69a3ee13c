/*
 * problem.h - RFC 9457 problem details.
 *
 * Every error the service answers is application/problem+json built here:
 * {type, title, status, detail, code?, errors?: [{pointer|parameter,
 * message, code}]}. type is "urn:itaku:problem:<slug>"; the slugs are
 * listed in the OpenAPI document. Texts are written in English and
 * rendered in the request's language from the catalogue (i18n/catalog.h),
 * which also gives each its stable code. Details never carry SQL, stack
 * traces or secrets; extension members (p->members) carry data, never
 * text to translate.
 */
#ifndef ITAKU_PROBLEM_H
#define ITAKU_PROBLEM_H

#include <jansson.h>
#include "i18n/catalog.h"

struct problem {
	int status;                /* 0 = none */
	const char *slug;          /* static string */
	const char *title;         /* static string */
	char detail[1024];
	json_t *errors;            /* owned; NULL or an array */
	int retry_after;           /* seconds; 0 = no Retry-After header */
	char allow[96];            /* Allow header for 405, "" otherwise */
	json_t *members;           /* owned; NULL or extension members (RFC 9457
	                            * section 3.2) added to the body, each listed
	                            * in the OpenAPI document's Problem */
};

/* Sets p (releasing any previous errors) and returns -1, so that handlers can
 * write `return problem_set(...)`. title may be NULL for the default title of
 * the status. */
int problem_set(struct problem *p, int status, const char *slug, const char *title,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Appends {pointer, message} (pointer is a JSON Pointer into the body). */
void problem_add_pointer(struct problem *p, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends {parameter, message} for a query parameter or header. */
void problem_add_parameter(struct problem *p, const char *parameter, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Number of field errors collected so far. */
size_t problem_error_count(const struct problem *p);

/* Builds the JSON body in lang; the caller must json_decref it. */
json_t *problem_to_json(const struct problem *p, enum lang lang);

void problem_clear(struct problem *p);

/* Default (English) title for an HTTP status. */
const char *problem_status_title(int status);

#endif
