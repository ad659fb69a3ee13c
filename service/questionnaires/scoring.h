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
 *     "hidden": [code], "excluded": [code] } */
json_t *scoring_score(json_t *content, json_t *answers, json_t *excluded);

/* x rounded half up to one decimal place. */
double scoring_round(double x);

#endif
