/*
 * answers.h - answers to a questionnaire version: their form, and which
 * questions they leave shown.
 *
 * Answers are one JSON object, question code -> value (docs/questionnaires.md,
 * "Answers"); a null value is no answer. The content is normalised and
 * holds to the strict rules (content_check()), so every depends_on names
 * an existing scale or choice question and there is no cycle.
 */
#ifndef ITAKU_QUESTIONNAIRE_ANSWERS_H
#define ITAKU_QUESTIONNAIRE_ANSWERS_H

#include <jansson.h>
#include "core/problem.h"

/* Where a question stands for a set of answers. */
enum answer_state {
	ANSWER_IN,        /* asked */
	ANSWER_EXCLUDED,  /* not asked: the sheet, section or question does not
			     apply, or it is exempt (decided when sent) */
	ANSWER_HIDDEN     /* not shown: its depends_on does not match */
};

/* Checks every answer against its question's type; the errors' pointers
 * are prefix + "/" + code. Returns 0, or -1 with errors on p. */
int answers_check(struct problem *p, json_t *content, json_t *answers, const char *prefix);

/* Whether value counts as an answer (not null, not "", not []). */
int answers_given(json_t *value);

/* The state of every question: an object code -> enum answer_state as an
 * integer (caller decrefs). excluded: an object whose keys are the codes
 * decided out when sent (may be NULL). */
json_t *answers_states(json_t *content, json_t *answers, json_t *excluded);

#endif
