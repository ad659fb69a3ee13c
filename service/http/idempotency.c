/*
 * idempotency.c - stored responses for retried POSTs.
 */
#include "http/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"

/* A reservation left pending for 5 minutes belongs to a process that died
 * mid-request; since its transaction never committed, taking it over is safe. */
static struct db_stmt reserve_stmt = DB_STMT(
	"insert into idempotency_keys (tenant_id, key, fingerprint) values ($1, $2, $3)"
	" on conflict (tenant_id, key) do update"
	"   set fingerprint = excluded.fingerprint, status = null, headers = null, body = null,"
	"       created_at = now(), completed_at = null"
	" where idempotency_keys.created_at < now() - interval '24 hours'"
	"    or (idempotency_keys.status is null"
	"        and idempotency_keys.created_at < now() - interval '5 minutes')"
	" returning 1");
static struct db_stmt load_stmt = DB_STMT(
	"select fingerprint, status, headers::text, body from idempotency_keys"
	" where tenant_id = $1 and key = $2");
static struct db_stmt store_stmt = DB_STMT(
	"update idempotency_keys set status = $3::int, headers = $4::jsonb, body = $5,"
	"       completed_at = now()"
	" where tenant_id = $1 and key = $2");
static struct db_stmt drop_stmt = DB_STMT(
	"delete from idempotency_keys where tenant_id = $1 and key = $2 and status is null");

static const char *const kept_headers[] = { "Content-Type", "Location", "ETag", "Itaku-Sync-Result" };

static int key_valid(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (k[i] < 0x21 || k[i] > 0x7e)
			return 0;
	}
	return 1;
}

static void fingerprint(struct req *r, char out[CRYPTO_SHA256_HEX_LEN])
{
	size_t mlen = strlen(r->u->http_verb), plen = strlen(r->u->url_path);
	size_t blen = r->u->binary_body_length, n = mlen + plen + blen + 2;
	char *buf = malloc(n);

	if (!buf) {
		out[0] = '\0';
		return;
	}
	memcpy(buf, r->u->http_verb, mlen);
	buf[mlen] = '\n';
	memcpy(buf + mlen + 1, r->u->url_path, plen);
	buf[mlen + 1 + plen] = '\n';
	if (blen)
		memcpy(buf + mlen + plen + 2, r->u->binary_body, blen);
	crypto_sha256_hex(buf, n, out);
	free(buf);
}

static int replay(struct req *r, PGresult *res)
{
	json_t *headers = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	const char *body = PQgetvalue(res, 0, 3);
	int status = atoi(PQgetvalue(res, 0, 1));
	const char *name;
	json_t *v;

	ulfius_set_binary_body_response(r->res, (unsigned)status, body, strlen(body));
	r->status = status;
	json_object_foreach(headers, name, v) {
		if (json_is_string(v))
			req_set_header(r, name, json_string_value(v));
	}
	json_decref(headers);
	req_set_header(r, "Idempotent-Replayed", "true");
	r->replayed = 1;
	return 1;
}

int idem_begin(struct req *r, struct idem *st)
{
	const char *key = req_header(r, "Idempotency-Key");
	const char *params[3];
	struct db_conn *db;
	PGresult *res = NULL;
	int err, ret;

	memset(st, 0, sizeof(*st));
	if (!key)
		return 0;
	if (!key_valid(key)) {
		problem_add_parameter(&r->problem, "Idempotency-Key",
				      "must be 1 to 255 visible ASCII characters");
		return req_fail(r, 400, "invalid-parameter", "the Idempotency-Key header is invalid");
	}
	snprintf(st->key, sizeof(st->key), "%s", key);
	fingerprint(r, st->fingerprint);
	db = req_db(r);
	if (!db)
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = st->key;
	params[2] = st->fingerprint;
	err = db_exec(db, &reserve_stmt, 3, params, &res);
	if (err)
		return req_fail_db(r, err);
	if (PQntuples(res) == 1) {
		PQclear(res);
		if ((err = db_begin(db))) {
			db_exec(db, &drop_stmt, 2, params, NULL);
			return req_fail_db(r, err);
		}
		st->active = 1;
		return 0;
	}
	PQclear(res);
	err = db_exec(db, &load_stmt, 2, params, &res);
	if (err)
		return req_fail_db(r, err);
	if (PQntuples(res) != 1) {
		/* Dropped between our two statements: the first request failed. */
		ret = req_fail(r, 409, "idempotency-in-progress",
			       "a request with this Idempotency-Key just failed; retry it");
	} else if (strcmp(PQgetvalue(res, 0, 0), st->fingerprint) != 0) {
		ret = req_fail(r, 422, "idempotency-key-reused",
			       "this Idempotency-Key was used for a different request");
	} else if (PQgetisnull(res, 0, 1)) {
		ret = req_fail(r, 409, "idempotency-in-progress",
			       "a request with this Idempotency-Key is still being processed");
		r->problem.retry_after = 1;
	} else {
		ret = replay(r, res);
	}
	PQclear(res);
	return ret;
}

/* The body to keep for replays: as sent, except that a route's secret
 * members are left out (the replay then answers the resource without them). */
static char *stored_body(struct req *r)
{
	const char *sent = r->res->binary_body ? (const char *)r->res->binary_body : "";
	size_t len = r->res->binary_body_length;
	json_t *doc;
	char *text;

	if (!r->secret_members)
		return strndup(sent, len);
	doc = json_loadb(sent, len, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return strdup("{}");   /* never keep what might hold the secret */
	}
	for (const char *m = r->secret_members; *m;) {
		size_t n = strcspn(m, " ");
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)n, m);
		json_object_del(doc, name);
		m += n + (m[n] == ' ');
	}
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static char *captured_headers(struct req *r)
{
	json_t *h = json_object();
	char *text;

	for (size_t i = 0; i < sizeof(kept_headers) / sizeof(kept_headers[0]); i++) {
		const char *v = u_map_get_case(r->res->map_header, kept_headers[i]);

		if (v)
			json_object_set_new(h, kept_headers[i], json_string(v));
	}
	text = json_dumps(h, JSON_COMPACT);
	json_decref(h);
	return text;
}

int idem_finish(struct req *r, struct idem *st, int rc)
{
	const char *params[5];
	char status[8], *headers = NULL, *body = NULL;
	struct db_conn *db = r->db;
	int err = 0;

	if (!st->active)
		return 0;
	st->active = 0;
	params[0] = r->who.tenant_id;
	params[1] = st->key;
	if (rc == 0 && r->status >= 200 && r->status < 300) {
		snprintf(status, sizeof(status), "%d", r->status);
		headers = captured_headers(r);
		body = stored_body(r);
		params[2] = status;
		params[3] = headers;
		params[4] = body;
		err = db_exec(db, &store_stmt, 5, params, NULL);
		if (!err)
			err = db_commit(db);
		free(headers);
		free(body);
		if (!err)
			return 0;
	}
	db_rollback(db);
	db_exec(db, &drop_stmt, 2, params, NULL);
	return err ? req_fail_db(r, err) : 0;
}
