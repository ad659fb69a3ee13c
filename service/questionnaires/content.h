/*
 * content.h - the content of a questionnaire version: sections, questions,
 * thresholds (the format is stated in docs/questionnaires.md).
 *
 * content_check() is the one reader of a content document. It checks the
 * shape of every member (types, enums, lengths, ranges, which members a
 * question type may have) and returns a normalised copy with every default
 * written out, so that what is stored, exported and scored never depends on
 * what a client left out. With strict it also checks the rules that need
 * the whole sheet: unique codes, what depends_on names, no cycles, the
 * thresholds' order. A draft is saved without them; validate, publish,
 * import and the score preview hold a sheet to them.
 *
 * Control references are checked here for their form only; whether they
 * exist is a question for the catalogue table (see content_controls()).
 */
#ifndef ITAKU_QUESTIONNAIRE_CONTENT_H
#define ITAKU_QUESTIONNAIRE_CONTENT_H

#include <jansson.h>
#include <stddef.h>
#include "core/problem.h"

#define CONTENT_MAX_SECTIONS 50
#define CONTENT_MAX_QUESTIONS 1000

enum content_type {
	CONTENT_SCALE, CONTENT_SINGLE, CONTENT_MULTI, CONTENT_TEXT, CONTENT_NUMBER, CONTENT_DATE,
	CONTENT_FILE
};

/* "scale", "single_choice", ... in enum content_type order; NULL-terminated. */
extern const char *const content_answer_types[];
/* The scale answers: yes, partially, no, not_applicable; NULL-terminated. */
extern const char *const content_scale_answers[];

/* Returns the normalised content (caller decrefs), or NULL with errors on
 * p whose pointers start at the content's root. */
json_t *content_check(struct problem *p, json_t *content, int strict);

/* The answer type of a question of normalised content. */
enum content_type content_type_of(json_t *question);

/* Whether answers of this type carry a score by themselves. */
int content_type_scored(enum content_type t);

/* Number of questions in (normalised) content. */
size_t content_question_count(json_t *content);

/* [{"pointer", "ref"}] for every control reference in normalised content,
 * so that the caller can ask the catalogue which are unknown (caller
 * decrefs). */
json_t *content_controls(json_t *content);

#endif
