/*
 * events.c - GET /v1/audit-events and GET /v1/audit-events/verification.
 */
#include "audit/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/page.h"
#include "http/req.h"
#include "json/valid.h"

/* ---- GET /v1/audit-events ---------------------------------------------- */

static struct db_stmt list_stmt = DB_STMT(
	"select $9::text, seq::text, json_build_object("
	"   'id', id, 'seq', seq, 'occurred_at', occurred_at, 'actor_key_id', actor_key_id,"
	"   'actor', actor, 'action', action, 'resource_type', resource_type,"
	"   'resource_id', resource_id, 'before', before, 'after', after,"
	"   'request_id', request_id, 'hash', hash, 'prev_hash', prev_hash)"
	"  from audit_events"
	" where tenant_id = $1"
	"   and ($2::text is null or resource_type = $2)"
	"   and ($3::text is null or resource_id = $3)"
	"   and ($4::uuid is null or actor_key_id = $4)"
	"   and ($5::timestamptz is null or occurred_at >= $5)"
	"   and ($6::timestamptz is null or occurred_at < $6)"
	"   and ($7::text is null or action = $7)"
	"   and ($8::bigint is null or case when $9 = 'asc' then seq > $8 else seq < $8 end)"
	" order by case when $9 = 'asc' then seq end asc, case when $9 = 'desc' then seq end desc"
	" limit $10");

/* Notes an invalid timestamp parameter on r->problem. PostgreSQL alone
 * would also accept words such as "yesterday"; the contract is RFC 3339. */
static void check_time(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (v && !jv_is_timestamp(v))
		problem_add_parameter(&r->problem, name, "must be an RFC 3339 timestamp");
}

int audit_list(struct req *r)
{
	const char *order = req_query(r, "order");
	const char *actor = req_query(r, "actor_key_id");
	struct page pg = { 0 };
	const char *params[10];
	char limit[16];
	PGresult *res = NULL;
	int err, ret = -1;

	if (!order)
		order = "desc";
	if (strcmp(order, "asc") && strcmp(order, "desc"))
		problem_add_parameter(&r->problem, "order", "must be asc or desc");
	if (actor && !crypto_is_uuid(actor))
		problem_add_parameter(&r->problem, "actor_key_id", "must be a UUID");
	check_time(r, "since");
	check_time(r, "until");
	if (page_parse(r, &pg))
		goto out;
	if (problem_error_count(&r->problem)) {
		req_fail(r, 400, "invalid-parameter", "some query parameters are invalid; see errors");
		goto out;
	}
	if (pg.after && (json_array_size(pg.after) != 2 || !page_after(&pg, 0) ||
			 strcmp(page_after(&pg, 0), order))) {
		problem_add_parameter(&r->problem, "cursor", "was issued for another order");
		req_fail(r, 400, "invalid-cursor", "the cursor does not match this listing");
		goto out;
	}
	if (!req_db(r))
		goto out;
	snprintf(limit, sizeof(limit), "%d", pg.limit + 1);
	params[0] = r->who.tenant_id;
	params[1] = req_query(r, "resource_type");
	params[2] = req_query(r, "resource_id");
	params[3] = actor;
	params[4] = req_query(r, "since");
	params[5] = req_query(r, "until");
	params[6] = req_query(r, "action");
	params[7] = page_after(&pg, 1);
	params[8] = order;
	params[9] = limit;
	if ((err = db_exec(r->db, &list_stmt, 10, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = page_respond_rows(r, &pg, res, 2);   /* keys: order, seq */
out:
	PQclear(res);
	page_free(&pg);
	return ret;
}

/* ---- GET /v1/audit-events/verification ---------------------------------- */

int audit_verify(struct req *r)
{
	struct audit_verdict v;
	int err;

	if (!req_db(r))
		return -1;
	if ((err = audit_verify_chain(r->db, r->who.tenant_id, &v)))
		return req_fail_db(r, err);
	return req_json(r, 200, json_pack("{s:b, s:I, s:o, s:o}", "valid", v.reason == NULL,
					  "events_checked", (json_int_t)v.checked,
					  "first_invalid_seq", v.reason ? json_integer(v.first_invalid_seq) : json_null(),
					  "reason", v.reason ? json_string(v.reason) : json_null()));
}
