/*
 * audit.c - recording, listing and verifying audit events.
 */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/page.h"
#include "http/req.h"
#include "json/valid.h"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into audit_events (tenant_id, actor_key_id, actor, action, resource_type,"
	"                          resource_id, before, after, request_id)"
	" values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)");

int audit_record_as(struct db_conn *db, const char *tenant_id, const char *actor_key_id,
		    const char *actor, const char *request_id, const char *action,
		    const char *resource_type, const char *resource_id,
		    json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT) : NULL;
	const char *params[9] = { tenant_id, actor_key_id, actor, action, resource_type,
				  resource_id, b, a, request_id };
	int err = db_exec(db, &insert_stmt, 9, params, NULL);

	free(b);
	free(a);
	return err;
}

int audit_record(struct req *r, const char *action, const char *resource_type,
		 const char *resource_id, json_t *before, json_t *after)
{
	char actor[32];

	snprintf(actor, sizeof(actor), "api_key:%s", r->who.prefix);
	return audit_record_as(r->db, r->who.tenant_id, r->who.key_id, actor, r->request_id,
			       action, resource_type, resource_id, before, after);
}

void audit_hash(const char *const fields[AUDIT_NFIELDS], char out[CRYPTO_SHA256_HEX_LEN])
{
	size_t len = 0, off = 0;
	char *buf;

	for (int i = 0; i < AUDIT_NFIELDS; i++)
		len += strlen(fields[i]) + 1;
	buf = malloc(len);
	if (!buf) {
		out[0] = '\0';
		return;
	}
	for (int i = 0; i < AUDIT_NFIELDS; i++) {
		size_t n = strlen(fields[i]);

		memcpy(buf + off, fields[i], n);
		off += n;
		if (i + 1 < AUDIT_NFIELDS)
			buf[off++] = '\n';
	}
	crypto_sha256_hex(buf, off, out);
	free(buf);
}

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

static struct db_stmt chain_stmt = DB_STMT(
	"select prev_hash, tenant_id::text, seq::text, id::text,"
	"       ((extract(epoch from occurred_at) * 1000000)::bigint)::text,"
	"       coalesce(actor_key_id::text, ''), actor, action, resource_type, resource_id,"
	"       coalesce(before::text, ''), coalesce(after::text, ''), coalesce(request_id, ''),"
	"       hash"
	"  from audit_events a where tenant_id = $1 and seq > $2::bigint"
	" order by a.seq limit 1000");   /* a.seq: the bare name would sort the text column */
static struct db_stmt head_stmt = DB_STMT(
	"select last_seq, last_hash from audit_chain_heads where tenant_id = $1");

int audit_verify(struct req *r)
{
	char prev[CRYPTO_SHA256_HEX_LEN], after[24] = "0", computed[CRYPTO_SHA256_HEX_LEN];
	const char *params[2] = { r->who.tenant_id, after };
	long long checked = 0, expect_seq = 1, bad_seq = 0;
	const char *reason = NULL;
	PGresult *res = NULL;
	int err;

	memset(prev, '0', 64);
	prev[64] = '\0';
	if (!req_db(r))
		return -1;
	/* One snapshot for the whole walk, so concurrent writers cannot make a
	 * sound chain look broken. */
	if ((err = db_begin_snapshot(r->db)))
		return req_fail_db(r, err);
	for (;;) {
		int n;

		if ((err = db_exec(r->db, &chain_stmt, 2, params, &res)))
			goto fail;
		n = PQntuples(res);
		for (int i = 0; i < n && !reason; i++) {
			const char *fields[AUDIT_NFIELDS];
			long long seq = atoll(PQgetvalue(res, i, AUDIT_F_SEQ));

			for (int f = 0; f < AUDIT_NFIELDS; f++)
				fields[f] = PQgetvalue(res, i, f);
			audit_hash(fields, computed);
			if (seq != expect_seq)
				reason = "an event is missing from the sequence";
			else if (strcmp(fields[AUDIT_F_PREV_HASH], prev))
				reason = "prev_hash does not match the previous event's hash";
			else if (strcmp(computed, PQgetvalue(res, i, AUDIT_NFIELDS)))
				reason = "the event's content does not match its hash";
			if (reason) {
				bad_seq = seq;
				break;
			}
			memcpy(prev, computed, sizeof(prev));
			expect_seq++;
			checked++;
			snprintf(after, sizeof(after), "%lld", seq);
		}
		PQclear(res);
		res = NULL;
		if (reason || n < 1000)
			break;
	}
	if (!reason) {
		if ((err = db_exec(r->db, &head_stmt, 1, params, &res)))
			goto fail;
		if (PQntuples(res) == 1 && (atoll(PQgetvalue(res, 0, 0)) != checked ||
					    strcmp(PQgetvalue(res, 0, 1), prev))) {
			reason = "the chain head does not match the last event (events were removed)";
			bad_seq = checked + 1;
		}
		PQclear(res);
	}
	db_rollback(r->db);
	return req_json(r, 200, json_pack("{s:b, s:I, s:o, s:o}", "valid", reason == NULL,
					  "events_checked", (json_int_t)checked,
					  "first_invalid_seq", reason ? json_integer(bad_seq) : json_null(),
					  "reason", reason ? json_string(reason) : json_null()));
fail:
	db_rollback(r->db);
	return req_fail_db(r, err);
}
