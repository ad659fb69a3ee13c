/*
 * trail.c - recording audit events and verifying a tenant's hash chain.
 */
#include "audit/trail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int audit_verify_chain(struct db_conn *db, const char *tenant_id, struct audit_verdict *out)
{
	char prev[CRYPTO_SHA256_HEX_LEN], after[24] = "0", computed[CRYPTO_SHA256_HEX_LEN];
	const char *params[2] = { tenant_id, after };
	long long expect_seq = 1;
	PGresult *res = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	memset(prev, '0', 64);
	prev[64] = '\0';
	/* One snapshot for the whole walk, so concurrent writers cannot make a
	 * sound chain look broken. */
	if ((err = db_begin_snapshot(db)))
		return err;
	for (;;) {
		int n;

		if ((err = db_exec(db, &chain_stmt, 2, params, &res)))
			goto out;
		n = PQntuples(res);
		for (int i = 0; i < n && !out->reason; i++) {
			const char *fields[AUDIT_NFIELDS];
			long long seq = atoll(PQgetvalue(res, i, AUDIT_F_SEQ));

			for (int f = 0; f < AUDIT_NFIELDS; f++)
				fields[f] = PQgetvalue(res, i, f);
			audit_hash(fields, computed);
			if (seq != expect_seq)
				out->reason = "an event is missing from the sequence";
			else if (strcmp(fields[AUDIT_F_PREV_HASH], prev))
				out->reason = "prev_hash does not match the previous event's hash";
			else if (strcmp(computed, PQgetvalue(res, i, AUDIT_NFIELDS)))
				out->reason = "the event's content does not match its hash";
			if (out->reason) {
				out->first_invalid_seq = seq;
				break;
			}
			memcpy(prev, computed, sizeof(prev));
			expect_seq++;
			out->checked++;
			snprintf(after, sizeof(after), "%lld", seq);
		}
		PQclear(res);
		res = NULL;
		if (out->reason || n < 1000)
			break;
	}
	if (!out->reason) {
		if ((err = db_exec(db, &head_stmt, 1, params, &res)))
			goto out;
		if (PQntuples(res) == 1 && (atoll(PQgetvalue(res, 0, 0)) != out->checked ||
					    strcmp(PQgetvalue(res, 0, 1), prev))) {
			out->reason = "the chain head does not match the last event (events were removed)";
			out->first_invalid_seq = out->checked + 1;
		}
	}
out:
	PQclear(res);
	db_rollback(db);
	return err;
}
