/*
 * tenants.c - bootstrap: the only way to make the first key of a tenant.
 */
#include "tenants.h"

#include <string.h>
#include "api_keys.h"
#include "audit/trail.h"
#include "json/valid.h"

static struct db_stmt upsert_stmt = DB_STMT(
	"insert into tenants (name) values ($1)"
	" on conflict (name) do update set name = excluded.name"
	" returning id, xmax = 0, json_build_object('id', id, 'name', name, 'created_at', created_at)");

int tenants_bootstrap(struct db_conn *db, const char *name, FILE *out, char *err, size_t errlen)
{
	const char *params[1] = { name };
	char key[AUTH_KEY_LEN + 1], key_id[CRYPTO_UUID_LEN], tenant_id[CRYPTO_UUID_LEN];
	PGresult *res = NULL;
	json_t *after = NULL;
	int created, rc;

	if (!name || !*name || jv_utf8_len(name) > 200) {
		snprintf(err, errlen, "--tenant needs a name of 1 to 200 characters");
		return -1;
	}
	if ((rc = db_begin(db)) || (rc = db_exec(db, &upsert_stmt, 1, params, &res)))
		goto fail;
	snprintf(tenant_id, sizeof(tenant_id), "%s", PQgetvalue(res, 0, 0));
	created = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	if (created) {
		after = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
		rc = audit_record_as(db, tenant_id, NULL, "cli", NULL, "tenant.created", "tenant",
				     tenant_id, NULL, after);
		json_decref(after);
		if (rc)
			goto fail;
	}
	PQclear(res);
	res = NULL;
	if ((rc = api_keys_insert(db, tenant_id, "bootstrap admin", ROLE_ADMIN, key, key_id)) ||
	    (rc = db_commit(db)))
		goto fail;
	fprintf(out, "tenant %s: %s (%s)\n", created ? "created" : "exists", name, tenant_id);
	fprintf(out, "admin API key %s created; it is shown once, store it now:\n", key_id);
	fprintf(out, "%s\n", key);
	return 0;
fail:
	snprintf(err, errlen, "bootstrap failed: %s", db->message);
	PQclear(res);
	db_rollback(db);
	return -1;
}
