/*
 * trail.h - the append-only audit trail: recording and verifying.
 *
 * Every change is recorded on the same connection and inside the same
 * transaction as the change (a handler calls req_audit(), which names the
 * request's key; jobs call audit_record_as()), so the two commit or roll
 * back together. The database assigns each event its place in the
 * tenant's hash chain (see sql/functions/10_platform.sql) and refuses
 * UPDATE, DELETE and TRUNCATE on the table. Knows nothing of HTTP.
 */
#ifndef ITAKU_AUDIT_TRAIL_H
#define ITAKU_AUDIT_TRAIL_H

#include <jansson.h>
#include "db/db.h"
#include "util/crypto.h"

/* Records a change by actor (see the OpenAPI document's AuditEvent.actor).
 * before/after are borrowed and may be NULL (creation, deletion);
 * actor_key_id and request_id may be NULL. Returns 0 or a negative db_err. */
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

/* The walk of a tenant's chain: checked events, and the first that breaks
 * it (0 and reason NULL when the chain is sound). */
struct audit_verdict {
	long long checked;
	long long first_invalid_seq;
	const char *reason;        /* static text, or NULL */
};

/* Walks tenant_id's chain in one read-only snapshot of its own (the
 * connection must be outside a transaction). Returns 0 with *out filled, or
 * a negative db_err. */
int audit_verify_chain(struct db_conn *db, const char *tenant_id, struct audit_verdict *out);

#endif
