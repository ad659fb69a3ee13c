/*
 * idempotency.h - Idempotency-Key for POST.
 *
 * idem_begin() reserves the key in its own committed statement, so that a
 * concurrent duplicate sees the reservation and gets 409. It then opens the
 * transaction the handler's own db_begin()/db_commit() nest inside, and
 * idem_finish() stores the response in that same transaction before
 * committing: the change and its replayable response land together or not
 * at all. Only 2xx responses are stored; after any other outcome the
 * reservation is dropped so that the client may retry.
 *
 * Same key + same method, path and body within 24 h: the stored status,
 * body, Location and ETag are replayed with "Idempotent-Replayed: true".
 * Same key, different request: 422.
 */
#ifndef ITAKU_IDEMPOTENCY_H
#define ITAKU_IDEMPOTENCY_H

#include "util/crypto.h"

struct req;

struct idem {
	int active;                 /* a reservation is held and a transaction is open */
	char key[256];
	char fingerprint[CRYPTO_SHA256_HEX_LEN];
};

/* Returns 0 to run the handler, 1 when r already holds a replayed response,
 * or -1 with a problem on r (400 bad key, 409 in progress, 422 mismatch, 503). */
int idem_begin(struct req *r, struct idem *st);

/* Completes what idem_begin() started, given the handler's return code.
 * Returns 0, or -1 with a problem on r when the transaction could not be
 * committed (the handler's response must then not be sent). */
int idem_finish(struct req *r, struct idem *st, int rc);

#endif
