/*
 * assessments.h - assessments from the outsourcer's side: create, read,
 * list, change while draft, send (the question set is fixed then), cancel.
 *
 * The states and who moves them are in docs/assessments.md. The vendor's
 * side (links, answers, evidence, submission) is in assessments/respond.h;
 * review, return and completion in assessments/review.h.
 */
#ifndef ITAKU_ASSESSMENTS_H
#define ITAKU_ASSESSMENTS_H

#include <jansson.h>
#include "core/problem.h"
#include "db/db.h"

struct req;

int assessments_create(struct req *r);
int assessments_create_for_vendor(struct req *r);
int assessments_list(struct req *r);
int assessments_list_for_vendor(struct req *r);
int assessments_get(struct req *r);
int assessments_update(struct req *r);
int assessments_send(struct req *r);
int assessments_cancel(struct req *r);

/* Locks assessment id of the caller's tenant (FOR UPDATE) and returns its
 * JSON as the API shows it (caller decrefs): 404 when missing, 412 when
 * If-Match names another version. The status is json "status". Returns 0
 * or -1 with a problem on r. */
int assessments_lock(struct req *r, const char *id, json_t **current);

/* 409 invalid-transition unless current's "status" is one of allowed (a
 * space-separated list), naming the status and what cannot be done
 * (action, a catalogued phrase). Returns 0 or -1. */
int assessments_require(struct req *r, json_t *current, const char *allowed, const char *action);

/* Reads obj's "respondent" {name, email, department?, language? (default
 * ja)} (errors under /respondent), completing its language; borrowed,
 * NULL when absent (an error when required) or wrong. */
json_t *assessments_read_respondent(struct problem *p, json_t *obj, int required);

/* The content (normalised) of the version an assessment sends, read on
 * r->db (caller decrefs). Returns 0 or -1 with a problem on r. */
int assessments_content(struct req *r, json_t *assessment, json_t **content);

/* Sets status (and the columns a move sets: see the statement) and
 * answers with the assessment, audited as action; the caller has locked
 * it with assessments_lock() and holds the transaction. extra is a JSON
 * object of the other columns to set (score, reviews, ...; may be NULL).
 * Returns 0 or -1, for req_end(). */
int assessments_move(struct req *r, json_t *current, const char *status, json_t *extra,
		     const char *action);

/* The question set sending fixes: every question of content (normalised)
 * not asked given facts (assessment_facts()) and the assessment's own
 * limits (self: its JSON, or NULL for a new one): a re-check's
 * recheck_codes, a forwarded child's forward_sections -> why, as
 * "excluded" stores it (caller decrefs). NULL when nothing at all would be
 * asked: such an assessment is not sent. Pure; shared by send and by
 * campaigns (assessments/campaigns.h), so that both fix the same set. */
json_t *assessments_exclusions(json_t *content, json_t *facts, json_t *self);

#endif
