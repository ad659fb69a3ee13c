/*
 * auth.c - Bearer key verification with a small in-process cache.
 *
 * The permission table below is the single source of truth for roles; the
 * OpenAPI document repeats it (x-permission on each operation) and a test
 * walks every role against every permission class.
 */
#include "http/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include "http/req.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_EDITOR] = "editor",
	[ROLE_VIEWER] = "viewer",
	[ROLE_INTEGRATION] = "integration",
};

static const unsigned role_perms[ROLE_COUNT] = {
	[ROLE_ADMIN] = PERM_ANY | PERM_READ | PERM_WRITE | PERM_SYNC | PERM_AUDIT | PERM_ADMIN,
	[ROLE_EDITOR] = PERM_ANY | PERM_READ | PERM_WRITE | PERM_SYNC | PERM_AUDIT,
	[ROLE_VIEWER] = PERM_ANY | PERM_READ | PERM_AUDIT,
	[ROLE_INTEGRATION] = PERM_ANY | PERM_READ | PERM_SYNC,
};

static const struct { unsigned bit; const char *name; } perm_names[] = {
	{ PERM_READ, "read" }, { PERM_WRITE, "write" }, { PERM_SYNC, "sync" },
	{ PERM_AUDIT, "audit" }, { PERM_ADMIN, "admin" },
};

const char *auth_role_name(enum role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "unknown";
}

int auth_role_parse(const char *name, enum role *role)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (name && strcmp(name, role_names[i]) == 0) {
			*role = (enum role)i;
			return 0;
		}
	}
	return -1;
}

int auth_role_allows(enum role role, unsigned perm)
{
	if ((unsigned)role >= ROLE_COUNT)
		return 0;
	return (role_perms[role] & perm) == perm;
}

json_t *auth_role_permissions(enum role role)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++) {
		if (auth_role_allows(role, perm_names[i].bit))
			json_array_append_new(a, json_string(perm_names[i].name));
	}
	return a;
}

int auth_key_generate(char key[AUTH_KEY_LEN + 1], char prefix[AUTH_PREFIX_LEN + 1],
		      char hash[CRYPTO_SHA256_HEX_LEN])
{
	if (crypto_token("itk_", key, hash))
		return -1;
	memcpy(prefix, key, AUTH_PREFIX_LEN);
	prefix[AUTH_PREFIX_LEN] = '\0';
	return 0;
}

/* ---- cache ------------------------------------------------------------ */

#define CACHE_SLOTS 1024

struct cache_entry {
	char hash[CRYPTO_SHA256_HEX_LEN];  /* "" = empty slot */
	struct principal who;
	time_t valid_until;                /* monotonic seconds */
	time_t key_expires;                /* wall clock; 0 = never */
};

static struct cache_entry cache[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static time_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static unsigned slot_of(const char *hash)
{
	char head[5];

	memcpy(head, hash, 4);
	head[4] = '\0';
	return (unsigned)strtoul(head, NULL, 16) % CACHE_SLOTS;
}

static int cache_get(const char *hash, struct principal *who)
{
	struct cache_entry *e = &cache[slot_of(hash)];
	int hit = 0;

	pthread_mutex_lock(&cache_mu);
	if (strcmp(e->hash, hash) == 0 && e->valid_until > mono_now() &&
	    (e->key_expires == 0 || e->key_expires > time(NULL))) {
		*who = e->who;
		hit = 1;
	}
	pthread_mutex_unlock(&cache_mu);
	return hit;
}

static void cache_put(const char *hash, const struct principal *who, int ttl, time_t key_expires)
{
	struct cache_entry *e = &cache[slot_of(hash)];

	pthread_mutex_lock(&cache_mu);
	memcpy(e->hash, hash, sizeof(e->hash));
	e->who = *who;
	e->valid_until = mono_now() + ttl;
	e->key_expires = key_expires;
	pthread_mutex_unlock(&cache_mu);
}

void auth_cache_forget(const char *key_id)
{
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].hash[0] && strcmp(cache[i].who.key_id, key_id) == 0)
			cache[i].hash[0] = '\0';
	}
	pthread_mutex_unlock(&cache_mu);
}

/* ---- verification ----------------------------------------------------- */

/* One round trip: read the key and, at most once a minute, stamp
 * last_used_at. */
static struct db_stmt lookup_stmt = DB_STMT(
	"with k as (select tenant_id, id, role, prefix, expires_at, revoked_at"
	"             from api_keys where key_hash = $1),"
	"     touch as (update api_keys a set last_used_at = now() from k"
	"                where a.tenant_id = k.tenant_id and a.id = k.id"
	"                  and k.revoked_at is null"
	"                  and (k.expires_at is null or k.expires_at > now())"
	"                  and (a.last_used_at is null or a.last_used_at < now() - interval '60 seconds')"
	"               returning 1)"
	"select k.tenant_id, k.id, k.role, k.prefix,"
	"       k.revoked_at is not null,"
	"       k.expires_at is not null and k.expires_at <= now(),"
	"       coalesce(floor(extract(epoch from k.expires_at))::bigint, 0),"
	"       (select count(*) from touch)"
	"  from k");

static int unauthorized(struct req *r, const char *detail)
{
	req_set_header(r, "WWW-Authenticate", "Bearer realm=\"itaku\"");
	return req_fail(r, 401, "unauthorized", "%s", detail);
}

int auth_authenticate(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	const char *key;
	char hash[CRYPTO_SHA256_HEX_LEN];
	const char *params[1] = { hash };
	struct db_conn *db;
	PGresult *res = NULL;
	int ttl = r->app->cfg.auth_cache_ttl_s, err;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return unauthorized(r, "send an API key as 'Authorization: Bearer <key>'");
	key = h + 7;
	while (*key == ' ')
		key++;
	if (strlen(key) != AUTH_KEY_LEN || strncmp(key, "itk_", 4) != 0)
		return unauthorized(r, "the API key is not valid");
	crypto_sha256_hex(key, AUTH_KEY_LEN, hash);

	if (ttl > 0 && cache_get(hash, &r->who))
		return 0;

	db = req_db(r);
	if (!db)
		return -1;
	err = db_exec(db, &lookup_stmt, 1, params, &res);
	if (err)
		return req_fail_db(r, err);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return unauthorized(r, "the API key is not valid");
	}
	if (strcmp(PQgetvalue(res, 0, 4), "t") == 0) {
		PQclear(res);
		return unauthorized(r, "the API key has been revoked");
	}
	if (strcmp(PQgetvalue(res, 0, 5), "t") == 0) {
		PQclear(res);
		return unauthorized(r, "the API key has expired");
	}
	snprintf(r->who.tenant_id, sizeof(r->who.tenant_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(r->who.key_id, sizeof(r->who.key_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(r->who.prefix, sizeof(r->who.prefix), "%s", PQgetvalue(res, 0, 3));
	if (auth_role_parse(PQgetvalue(res, 0, 2), &r->who.role)) {
		PQclear(res);
		return req_fail(r, 500, "internal", "the API key has an unknown role");
	}
	if (ttl > 0)
		cache_put(hash, &r->who, ttl, (time_t)atoll(PQgetvalue(res, 0, 6)));
	PQclear(res);
	return 0;
}
