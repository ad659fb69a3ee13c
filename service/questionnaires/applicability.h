/*
 * applicability.h - when a question is asked: conditions on the context an
 * assessment is sent for, and exemptions by certification
 * (docs/questionnaires.md, "Applicability" and "Exemptions").
 *
 * The readers check one block each and return its normalised copy; errors
 * go to p with pointers relative to the block, like every jv_ reader.
 */
#ifndef ITAKU_QUESTIONNAIRE_APPLICABILITY_H
#define ITAKU_QUESTIONNAIRE_APPLICABILITY_H

#include <jansson.h>
#include "core/problem.h"

/* Reads obj's "applicability" member, when there is one, into out (errors
 * under /applicability). */
void applicability_read(struct problem *p, json_t *obj, json_t *out);

/* One exemption object; returns its normalised copy (caller decrefs). */
json_t *applicability_check_exemption(struct problem *p, json_t *e);

/* Which questions of (normalised) content are not asked in the context
 * facts describes (assessment_facts() in sql/functions): an object code ->
 * {"reason": "not_applicable" | "exempt", "level": "sheet" | "section" |
 * "question", "explanation_ja", "explanation_en"?, "certification",
 * "certification_id"} (caller decrefs). Without an engagement a condition
 * on it holds only when it asks for false. */
json_t *applicability_resolve(json_t *content, json_t *facts);

#endif
