/*
 * recheck.h - re-checks: a follow-up assessment of the questions that
 * failed (or of all), linked to the original and its findings, and the
 * closing of those findings when the re-check is completed.
 *
 * A re-check is an assessment with recheck_of (the completed assessment
 * it re-checks) and recheck_codes (the questions it asks again). It is
 * created as a draft of the same template version, for the same vendor,
 * engagement and subcontract link, and is then sent like any other;
 * send excludes every question not in recheck_codes with reason
 * "not_rechecked" (recheck_exclusions()).
 */
#ifndef ITAKU_RECHECK_H
#define ITAKU_RECHECK_H

#include <jansson.h>
#include "db/db.h"

struct req;

/* POST /v1/assessments/{id}/recheck */
int recheck_create(struct req *r);

/* The exclusions a re-check adds when sent: every question of content
 * whose code is not in recheck_codes (a JSON array of codes; NULL or
 * null: not a re-check, nothing added) ->
 * {"reason": "not_rechecked", "level": "question"}. A new object (caller
 * decrefs); the caller lets applicability's own reasons win:
 * json_object_update_missing(excluded, extra). */
json_t *recheck_exclusions(json_t *content, json_t *recheck_codes);

/* Closes the findings a completed re-check covers: every open or
 * in_progress finding of the assessment it re-checks (and of the ones
 * that one re-checks, up the chain) whose question_code passes in the
 * re-check's stored answers becomes resolved, with resolved_by = actor,
 * resolved_by_assessment = recheck_id, audited as
 * finding.resolved_by_recheck by actor and recorded in its history (kind
 * resolved_by_recheck).
 *
 * Passing: the question is asked and shown in the re-check (not
 * excluded, which includes not_rechecked, not hidden), answered, scoring
 * 1 by the scoring rule (answers of the unscored types score 1 when
 * given; an answer that does not count, such as not_applicable or a
 * null-score choice, does not pass), and the reviewer did not mark it
 * returned. Findings without a question_code stay for staff to close.
 *
 * Runs on db in the caller's transaction (call it from the completion
 * handler, before or after the move to completed, with the assessment
 * locked). An assessment that is not a re-check closes nothing. Returns
 * 0 with *closed set, or a negative db_err. */
int recheck_close_findings(struct db_conn *db, const char *tenant, const char *recheck_id,
			      const char *actor, int *closed);

#endif
