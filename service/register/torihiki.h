/*
 * torihiki.h - 取適法 (中小受託取引適正化法) answers of an engagement and of
 * the tenant, and the engagement's coverage view.
 *
 * The rules live in the database (sql/functions/89_torihiki.sql):
 * torihiki_coverage() decides covered / not_covered / unknown from
 * recorded figures only, torihiki_payment_risks() is rule 7 of the
 * negotiation rules. This module validates what is recorded: the
 * transaction type (asked, never derived from the outsourcing category),
 * the order date, the payment terms (merged member by member) and the
 * tenant's own capital, headcount and statement on a superior bargaining
 * position (settings.torihiki).
 */
#ifndef ITAKU_TORIHIKI_H
#define ITAKU_TORIHIKI_H

#include <jansson.h>
#include "core/problem.h"

struct req;

/* The recorded transaction types; NULL-terminated. */
extern const char *const torihiki_types[];

/* Checks torihiki_type, ordered_on and payment_terms of a merged
 * engagement document; patch is what the client sent. payment_terms in
 * doc is replaced by its normalised form: every member present, those of
 * the other due basis cleared when the patch changed the basis. */
void torihiki_check_engagement(struct problem *p, json_t *doc, json_t *patch);

/* Checks the torihiki member of a settings patch (may be NULL) and merges
 * it into current, the settings object in force. */
void torihiki_check_settings(struct problem *p, json_t *patch);
void torihiki_merge_settings(json_t *current, json_t *patch);

/* GET /v1/engagements/{id}/torihiki */
int torihiki_get(struct req *r);

#endif
