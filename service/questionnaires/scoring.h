/*
 * scoring.h - the score and verdict of a set of answers.
 *
 * The rule is stated once, in docs/questionnaires.md ("Scoring"), and
 * implemented once, here. Pure: no database, no request, no clock; the same
 * content and answers always give the same result.
 */
#ifndef ITAKU_QUESTIONNAIRE_SCORING_H
#define ITAKU_QUESTIONNAIRE_SCORING_H

#include <jansson.h>

/* content: normalised and strict (content_check()); answers: checked
 * (answers_check()); excluded: codes decided out when sent, or NULL.
 * Returns a new object (caller decrefs):
 *   { "overall": number|null, "verdict": "no_issues"|"watch"|"action_required"|null,
 *     "knockouts_failed": [code], "answered": n, "required_missing": [code],
 *     "sections": [{ "code", "score": number|null, "weight",
 *                    "asked": n, "answered": n, "counted": n }],
 *     "questions": { code: score in [0, 1] | null }   (asked ones only),
 *     "hidden": [code], "excluded": [code] } */
json_t *scoring_score(json_t *content, json_t *answers, json_t *excluded);

/* The score of one given answer (answers_given(value)) to question q of
 * content, by the same rule as scoring_score(): returns 1 with *s in
 * [0, 1] when the answer counts, 0 when it means "does not apply"
 * (not_applicable, a null-score choice). Answers of the unscored types
 * (text, number, date, file) score 1. For findings, which must judge one
 * answer as the score did. */
int scoring_answer(json_t *content, json_t *q, json_t *value, double *s);

/* x rounded half up to one decimal place. */
double scoring_round(double x);

#endif
