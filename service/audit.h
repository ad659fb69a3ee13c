/*
 * audit.h - the append-only audit trail.
 *
 * Every change a handler makes is recorded with audit_record() on the same
 * connection and inside the same transaction as the change, so the two
 * commit or roll back together. The database assigns each event its place
 * in the tenant's hash chain (see sql/migrations/0001_platform.sql) and
 * refuses UPDATE, DELETE and TRUNCATE on the table.
 */
#ifndef ITAKU_AUDIT_H
#define ITAKU_AUDIT_H

#include <jansson.h>
#include "db/db.h"
#include "util/crypto.h"

struct req;

/* Records a change made by the request's API key. before/after are borrowed
 * and may be NULL (creation, deletion). Returns 0 or a negative db_err. */
int audit_record(struct req *r, const char *action, const char *resource_type,
		 const char *resource_id, json_t *before, json_t *after);

/* Same, for changes made outside a request (the CLI). actor_key_id may be NULL. */
int audit_record_as(struct db_conn *db, const char *tenant_id, const char *actor_key_id,
		    const char *actor, const char *request_id, const char *action,
		    const char *resource_type, const char *resource_id,
		    json_t *before, json_t *after);

/* The fields hashed for one event, as text, in chain order. */
enum {
	AUDIT_F_PREV_HASH, AUDIT_F_TENANT, AUDIT_F_SEQ, AUDIT_F_ID, AUDIT_F_TIME_US,
	AUDIT_F_ACTOR_KEY, AUDIT_F_ACTOR, AUDIT_F_ACTION, AUDIT_F_TYPE, AUDIT_F_RESOURCE,
	AUDIT_F_BEFORE, AUDIT_F_AFTER, AUDIT_F_REQUEST, AUDIT_NFIELDS
};

/* Computes an event's hash from its fields (an independent implementation
 * of audit_event_content() + sha256 in SQL). */
void audit_hash(const char *const fields[AUDIT_NFIELDS], char out[CRYPTO_SHA256_HEX_LEN]);

/* GET /v1/audit-events and GET /v1/audit-events/verification. */
int audit_list(struct req *r);
int audit_verify(struct req *r);

#endif
