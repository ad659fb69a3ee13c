/*
 * templates.c - questionnaire templates.
 */
#include "questionnaires/templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/etag.h"
#include "http/page.h"
#include "http/query.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

static const char *const fields[] = { "name", "name_en", "description", NULL };
static const char *const statuses[] = { "active", "archived", NULL };

#define RECORD "x(name text, name_en text, description text)"
#define JSON_OUT "questionnaire_template_json(t)::text"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into questionnaire_templates as t (tenant_id, name, name_en, description, created_by, updated_by)"
	" select $1, x.name, x.name_en, x.description, $3, $3 from jsonb_to_record($2::jsonb) as " RECORD
	" returning id, version, " JSON_OUT);
static struct db_stmt get_stmt = DB_STMT(
	"select version, " JSON_OUT " from questionnaire_templates t where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " JSON_OUT ", $3::int[] is null or version = any($3::int[])"
	"  from questionnaire_templates t where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update questionnaire_templates t set (name, name_en, description) ="
	"       (select x.name, x.name_en, x.description from jsonb_to_record($3::jsonb) as " RECORD "),"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	" where tenant_id = $1 and id = $2"
	" returning id, version, " JSON_OUT);
/* $3 true to archive, false to restore; $4 actor */
static struct db_stmt archive_stmt = DB_STMT(
	"update questionnaire_templates t"
	"   set archived_at = case when $3::boolean then now() end,"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	" where tenant_id = $1 and id = $2"
	" returning version, " JSON_OUT);
/* $1 tenant, $2 status, $3/$4 keyset, $5 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select t.created_at::text, t.id::text, " JSON_OUT " from questionnaire_templates t"
	" where t.tenant_id = $1"
	"   and ($2::text is null or (t.archived_at is null) = ($2 = 'active'))"
	"   and ($3::timestamptz is null or (t.created_at, t.id) > ($3::timestamptz, $4::uuid))"
	" order by t.created_at, t.id limit $5");

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_object(), *v;
	size_t before = problem_error_count(p);
	const char *key;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v)
		json_object_set(doc, key, v);
	jv_string(p, doc, "name", JV_REQUIRED, 1, 200);
	jv_string(p, doc, "name_en", JV_OPTIONAL, 1, 200);
	jv_string(p, doc, "description", JV_OPTIONAL, 1, 4000);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource template = {
	.type = "questionnaire_template", .path = "/v1/questionnaire-templates/",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .insert_args = "tenant doc actor",
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt, .update_args = "tenant id doc actor",
};

int templates_create(struct req *r)
{
	return resource_create(r, &template, r->who.tenant_id);
}

int templates_get(struct req *r)
{
	return resource_get(r, &template);
}

int templates_update(struct req *r)
{
	return resource_update(r, &template);
}

int templates_list(struct req *r)
{
	const char *params[5] = { r->who.tenant_id, query_enum(r, "status", statuses) };

	if (query_fail(r))
		return -1;
	return page_list(r, &list_stmt, 5, params, 2);
}

static int set_archived(struct req *r, int archive)
{
	const char *id = req_param_uuid(r, "id", "questionnaire_template");
	const char *params[4] = { r->who.tenant_id, id, archive ? "true" : "false", r->who.key_id };
	json_t *current = NULL, *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, &template, id, &current))
		goto out;
	if (json_is_null(json_object_get(current, "archived_at")) != archive) {
		if (archive)
			req_fail(r, 409, "conflict", "the template is already archived");
		else
			req_fail(r, 409, "conflict", "the template is not archived");
		goto out;
	}
	if ((err = db_exec(r->db, &archive_stmt, 4, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, archive ? "questionnaire_template.archived" :
			     "questionnaire_template.restored", "questionnaire_template", id, current, after)))
		goto out;
	ret = req_commit_json(r, 200, after, atol(PQgetvalue(res, 0, 0)));
	after = NULL;
out:
	json_decref(current);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

int templates_archive(struct req *r)
{
	return set_archived(r, 1);
}

int templates_restore(struct req *r)
{
	return set_archived(r, 0);
}
