/*
 * api_keys.h - /v1/api-keys (admin): create (the key is shown once), list,
 * read, rename or re-date (If-Match), revoke.
 */
#ifndef ITAKU_API_KEYS_H
#define ITAKU_API_KEYS_H

#include "db/db.h"
#include "http/auth.h"

struct req;

int api_keys_create(struct req *r);
int api_keys_list(struct req *r);
int api_keys_get(struct req *r);
int api_keys_update(struct req *r);
int api_keys_revoke(struct req *r);
int api_keys_me(struct req *r);

/* Creates a key outside a request (bootstrap). key receives the secret.
 * Returns 0 or a negative db_err. Must run inside a transaction. */
int api_keys_insert(struct db_conn *db, const char *tenant_id, const char *name, enum role role,
		    char key[AUTH_KEY_LEN + 1], char id[CRYPTO_UUID_LEN]);

#endif
