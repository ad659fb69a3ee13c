/*
 * auth.h - API keys, roles and the permission table.
 *
 * A key is "itk_" followed by 43 base64url characters (256 random bits).
 * Only its SHA-256 is stored, with the first 12 characters as a visible
 * prefix. Verified keys are cached in-process for ITAKU_AUTH_CACHE_TTL_S
 * seconds so that most requests need no extra database round trip; revoking
 * a key drops it from this process's cache at once and from other replicas'
 * caches within the TTL.
 */
#ifndef ITAKU_AUTH_H
#define ITAKU_AUTH_H

#include "util/crypto.h"

enum role { ROLE_ADMIN, ROLE_EDITOR, ROLE_VIEWER, ROLE_INTEGRATION, ROLE_COUNT };

/* Permission classes. Each route requires one (0 = public). */
enum perm {
	PERM_PUBLIC = 0,
	PERM_ANY = 1 << 0,     /* any valid key */
	PERM_READ = 1 << 1,    /* read tenant data */
	PERM_WRITE = 1 << 2,   /* create and change tenant data */
	PERM_SYNC = 1 << 3,    /* ERP upserts and batches by external_ref */
	PERM_AUDIT = 1 << 4,   /* read the audit trail */
	PERM_ADMIN = 1 << 5,   /* API keys, webhooks, tenant settings */
};

#define AUTH_KEY_LEN 47        /* "itk_" + 43 */
#define AUTH_PREFIX_LEN 12

struct principal {
	char tenant_id[CRYPTO_UUID_LEN];
	char key_id[CRYPTO_UUID_LEN];
	char prefix[AUTH_PREFIX_LEN + 1];
	enum role role;
};

const char *auth_role_name(enum role role);
/* Returns 0 and sets *role, or -1 for an unknown name. */
int auth_role_parse(const char *name, enum role *role);
/* True when role holds every bit of perm. */
int auth_role_allows(enum role role, unsigned perm);
/* Names of the permissions a role holds, for GET /v1/me; caller json_decrefs. */
struct json_t;
struct json_t *auth_role_permissions(enum role role);

/* Makes a new key: key (AUTH_KEY_LEN + 1), prefix, and the hex hash to store. */
int auth_key_generate(char key[AUTH_KEY_LEN + 1], char prefix[AUTH_PREFIX_LEN + 1],
		      char hash[CRYPTO_SHA256_HEX_LEN]);

struct req;
/* Verifies the Bearer key of r and fills r->who. Returns 0, or -1 with a
 * 401 (or 503) problem on r. */
int auth_authenticate(struct req *r);

/* Drops a key from this process's cache (after revocation or change). */
void auth_cache_forget(const char *key_id);

#endif
