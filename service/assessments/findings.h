/*
 * findings.h - findings (是正措置): what a vendor must fix after an
 * assessment, proposed from its failing answers, confirmed, edited or
 * added by staff, answered by the vendor through its respondent link, and
 * closed by staff or by a re-check (assessments/recheck.h).
 *
 * Invariants the database keeps (sql/functions/85_findings.sql): a
 * finding belongs to its assessment's vendor; it is opened only once the
 * assessment is submitted, in review or completed; every change appends
 * to finding_events with the row's updated_by as the actor, so writers
 * set updated_by to the actor ("api_key:<prefix>",
 * "respondent_link:<prefix>"); opening one emits finding.opened.
 *
 * A failing answer, the one rule proposals and re-checks share: a
 * question that is asked and shown (not excluded when sent, not hidden by
 * depends_on), scored (weight > 0, or a knockout), and either answered
 * with a score below 1 (an answer that does not count, such as
 * not_applicable, does not fail) or unanswered while required.
 */
#ifndef ITAKU_FINDINGS_H
#define ITAKU_FINDINGS_H

#include <jansson.h>
#include "core/problem.h"
#include "db/db.h"

struct req;

int findings_proposals(struct req *r);            /* GET  /v1/assessments/{id}/finding-proposals */
int findings_create(struct req *r);               /* POST /v1/assessments/{id}/findings */
int findings_list_for_assessment(struct req *r);  /* GET  /v1/assessments/{id}/findings */
int findings_list(struct req *r);                 /* GET  /v1/findings */
int findings_get(struct req *r);                  /* GET  /v1/findings/{id}, with its history */
int findings_update(struct req *r);               /* PATCH /v1/findings/{id} */
int findings_set_status(struct req *r);           /* POST /v1/findings/{id}/status */

/* The failing answers of content for answers and excluded (both may be
 * NULL), knockouts first, then by score ascending, then in sheet order:
 * [{code, section, question (the question object), answer (or null),
 *   score, knockout}] (caller decrefs; question is a reference into content). */
json_t *findings_failing(json_t *content, json_t *answers, json_t *excluded);

/* An assessment as findings need it, read on db: {status, vendor_id,
 * recheck_of, recheck_codes, content, answers, excluded, reviews}
 * (caller decrefs). Returns 0, 1 when tenant has no such assessment, or
 * a negative db_err. */
int findings_sheet(struct db_conn *db, const char *tenant, const char *assessment_id, json_t **sheet);

/* For the respondent link (assessments/respond.c). Both run on db in the
 * caller's transaction, which has already checked that the link is live
 * and names assessment_id; neither begins nor commits.
 *
 * findings_for_vendor: the findings the vendor sees for assessment_id:
 * its own and, for a re-check, those of the assessments it re-checks,
 * oldest first: {"items": [{id, question_code, title, detail, severity,
 * owner, due_on, overdue, status, response}]}. Never staff's reasons,
 * who decided, or internal history. *out is new (caller decrefs).
 * Returns 0 or a negative db_err.
 *
 * findings_vendor_respond: stores response {plan?, progress?,
 * evidence_refs?} (at least plan or progress; plan and progress 1-4000
 * characters; evidence_refs up to 20 distinct strings of 1-500, such as
 * file ids or document names) as the finding's vendor_response, with
 * "at" and "by" = actor (e.g. "respondent_link:<prefix>"), audited as
 * finding.vendor_responded by actor, and appended to its history (kind
 * vendor_response). Only while the finding is open or in_progress.
 * Returns 0 with *out the finding as findings_for_vendor shows it, or -1
 * with p filled: 422 validation-failed (pointers under the response's
 * root), 404 not-found (no such finding for this assessment), 409
 * invalid-transition (resolved or risk accepted), or a database failure
 * mapped as req_fail_db() maps it (503, 409 conflict, 500). */
/* Whether status (resolved, risk_accepted) closes a finding. */
int findings_closed(const char *status);

int findings_for_vendor(struct db_conn *db, const char *tenant, const char *assessment_id, json_t **out);
int findings_vendor_respond(struct db_conn *db, const char *tenant, const char *assessment_id,
			    const char *finding_id, json_t *response, const char *actor,
			    struct problem *p, json_t **out);

#endif
