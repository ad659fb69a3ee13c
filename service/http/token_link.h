/*
 * token_link.h - capability links a vendor uses without an account: the
 * token in the path is the credential.
 *
 * A token is a 4-character tag ("ita_", "itn_", ...) + 256 random bits;
 * the database keeps only its SHA-256 and its first TOKEN_LINK_PREFIX_LEN
 * characters (the prefix, shown to staff and named in the audit trail).
 * Finding a link spends one request of its per-minute budget in the same
 * statement, so the limit holds across replicas, and a dead link spends
 * its budget too (someone is trying it). An unknown or malformed token
 * answers 404; an expired or revoked one 410; a link over its budget 429
 * with Retry-After.
 */
#ifndef ITAKU_TOKEN_LINK_H
#define ITAKU_TOKEN_LINK_H

#include "db/db.h"
#include "util/crypto.h"

struct req;

#define TOKEN_LINK_PREFIX_LEN 12
#define TOKEN_LINK_WINDOW_S "60"

/* A new token for tag with its hash and prefix. Returns 0 or -1 (the
 * system random generator failed). */
int token_link_new(const char tag[5], char token[CRYPTO_TOKEN_LEN + 1], char hash[CRYPTO_SHA256_HEX_LEN],
		   char prefix[TOKEN_LINK_PREFIX_LEN + 1]);

/* The SQL that spends a link's budget, for a table with window_start,
 * window_count, last_used_at, revoked_at, expires_at and token_hash:
 * $1 hash -> columns, then the requests in this window, the seconds until
 * it resets, and whether the link still works. */
#define TOKEN_LINK_FIND(table, columns) \
	"update " table " l" \
	"   set window_start = case when l.window_start <= now() - make_interval(secs => " TOKEN_LINK_WINDOW_S ")" \
	"                           then now() else l.window_start end," \
	"       window_count = case when l.window_start <= now() - make_interval(secs => " TOKEN_LINK_WINDOW_S ")" \
	"                           then 1 else l.window_count + 1 end," \
	"       last_used_at = case when l.revoked_at is null and l.expires_at > now()" \
	"                           then now() else l.last_used_at end" \
	" where token_hash = $1" \
	" returning " columns ", window_count," \
	"           ceil(extract(epoch from window_start + make_interval(secs => " TOKEN_LINK_WINDOW_S ") - now()))::int," \
	"           revoked_at is null and expires_at > now()"

/* Finds the link of the request's path parameter "token" with find (made
 * with TOKEN_LINK_FIND, ncols columns of its own), outside any
 * transaction: 404 for a token without tag or unknown, 429 beyond rate
 * requests a minute, 410 when gone (noun names the link in the texts).
 * Returns 0 with *res the row (caller PQclears), or -1 with a problem on r. */
int token_link_find(struct req *r, const char tag[5], struct db_stmt *find, int ncols, int rate,
		    PGresult **res);

/* Revokes the tenant's link id (POST .../{id}/revoke): lock ($1 tenant,
 * $2 id -> the link's JSON, whether it is revoked already) and revoke
 * ($1, $2, $3 the key -> the link's JSON) name the table; noun names the
 * link in a 404, resource and action in the audit event. The link stops working at once and stays listed; revoking
 * twice changes nothing. Ends the request (req_end). */
int token_link_revoke(struct req *r, const char *id, const char *noun, struct db_stmt *lock,
		      struct db_stmt *revoke, const char *resource, const char *action);

#endif
