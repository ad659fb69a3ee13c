/*
 * token_link.c - see token_link.h.
 */
#include "http/token_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"

int token_link_new(const char tag[5], char token[CRYPTO_TOKEN_LEN + 1], char hash[CRYPTO_SHA256_HEX_LEN],
		   char prefix[TOKEN_LINK_PREFIX_LEN + 1])
{
	if (crypto_token(tag, token, hash))
		return -1;
	memcpy(prefix, token, TOKEN_LINK_PREFIX_LEN);
	prefix[TOKEN_LINK_PREFIX_LEN] = '\0';
	return 0;
}

int token_link_find(struct req *r, const char tag[5], struct db_stmt *find, int ncols, int rate,
		    PGresult **res)
{
	const char *token = req_param(r, "token");
	char hash[CRYPTO_SHA256_HEX_LEN];
	const char *params[1] = { hash };
	int err, wait;

	*res = NULL;
	/* The same answer for a malformed token as for an unknown one. */
	if (!token || strlen(token) != CRYPTO_TOKEN_LEN || strncmp(token, tag, 4) != 0)
		return req_fail(r, 404, "not-found", "no link at this address");
	crypto_sha256_hex(token, strlen(token), hash);
	if (!req_db(r))
		return -1;
	if ((err = db_exec(r->db, find, 1, params, res)))
		return req_fail_db(r, err);
	if (PQntuples(*res) == 0)
		err = req_fail(r, 404, "not-found", "no link at this address");
	else if (atoi(PQgetvalue(*res, 0, ncols)) > rate) {
		wait = atoi(PQgetvalue(*res, 0, ncols + 1));
		err = req_fail(r, 429, "rate-limited", "this link has made too many requests; try again in %d s",
			       wait > 0 ? wait : 1);
		r->problem.retry_after = wait > 0 ? wait : 1;
	} else if (strcmp(PQgetvalue(*res, 0, ncols + 2), "t"))
		err = req_fail(r, 410, "link-gone",
			       "this link no longer works (expired or revoked); ask the sender for a new link");
	if (err) {
		PQclear(*res);
		*res = NULL;
	}
	return err;
}

int token_link_revoke(struct req *r, const char *id, const char *noun, struct db_stmt *lock,
		      struct db_stmt *revoke, const char *resource, const char *action)
{
	const char *params[3] = { r->who.tenant_id, id, r->who.key_id };
	json_t *before = NULL, *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1, revoked;

	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, lock, 2, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", noun);
		goto out;
	}
	before = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	revoked = !strcmp(PQgetvalue(res, 0, 1), "t");
	PQclear(res);
	res = NULL;
	if (!revoked) {
		if ((err = db_exec(r->db, revoke, 3, params, &res)))
			goto out;
		after = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
		if ((err = req_audit(r, action, resource, id, before, after)))
			goto out;
	}
	ret = req_commit_json(r, 200, after ? after : json_incref(before), 0);
	after = NULL;
out:
	json_decref(before);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}
