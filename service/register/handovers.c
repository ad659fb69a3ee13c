/*
 * handovers.c - handover ledger entries.
 */
#include "register/handovers.h"

#include <stdio.h>
#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

static const char *const fields[] = {
	"item", "classification", "handed_over_on", "method", "handed_by", "received_by",
	"return_due_on", "status", "closed_on", "erasure_certificate_ref", "note", NULL
};
static const char *const classifications[] = { "public", "internal", "confidential", "secret", NULL };
static const char *const methods[] = { "encrypted_transfer", "physical_media", "system_access",
				       "paper", "email", "other", NULL };
static const char *const statuses[] = { "held", "returned", "erased", NULL };

#define RECORD \
	"x(item text, classification text, handed_over_on date, method text, handed_by text," \
	" received_by text, return_due_on date, status text, closed_on date," \
	" erasure_certificate_ref text, note text)"
#define COLUMNS \
	"item, classification, handed_over_on, method, handed_by, received_by, return_due_on," \
	" status, closed_on, erasure_certificate_ref, note"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into handovers as h (tenant_id, engagement_id, " COLUMNS ")"
	" select $1, e.id, x.* from engagements e, jsonb_to_record($3::jsonb) as " RECORD
	"  where e.tenant_id = $1 and e.id = $2"
	" returning id, version, handover_json(h)::text");
static struct db_stmt get_stmt = DB_STMT(
	"select version, handover_json(h)::text from handovers h where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, handover_json(h)::text, $3::int[] is null or version = any($3::int[])"
	"  from handovers h where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update handovers h set (" COLUMNS ") = (select " COLUMNS " from jsonb_to_record($3::jsonb) as " RECORD "),"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning id, version, handover_json(h)::text");

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_pack("{s:s}", "status", "held"), *v;
	size_t before = problem_error_count(p);
	const char *key, *on, *due, *closed, *cert;
	int status;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v)
		json_object_set(doc, key, v);
	jv_string(p, doc, "item", JV_REQUIRED, 1, 500);
	jv_enum(p, doc, "classification", JV_REQUIRED, classifications);
	on = jv_date(p, doc, "handed_over_on", JV_REQUIRED);
	jv_enum(p, doc, "method", JV_REQUIRED, methods);
	jv_string(p, doc, "handed_by", JV_OPTIONAL, 0, 200);
	jv_string(p, doc, "received_by", JV_OPTIONAL, 0, 200);
	due = jv_date(p, doc, "return_due_on", JV_OPTIONAL);
	status = jv_enum(p, doc, "status", JV_REQUIRED, statuses);
	closed = jv_date(p, doc, "closed_on", JV_OPTIONAL);
	cert = jv_string(p, doc, "erasure_certificate_ref", JV_OPTIONAL, 1, 1000);
	jv_string(p, doc, "note", JV_OPTIONAL, 0, 4000);
	if (on && due && strcmp(due, on) < 0)
		problem_add_pointer(p, "/return_due_on", "must not be before handed_over_on");
	if (on && closed && strcmp(closed, on) < 0)
		problem_add_pointer(p, "/closed_on", "must not be before handed_over_on");
	if (status == 0 && closed)
		problem_add_pointer(p, "/closed_on", "must be empty while the item is held");
	if (status > 0 && !closed)
		problem_add_pointer(p, "/closed_on", "is required once the item is returned or erased");
	if (status == 2 && !cert)
		problem_add_pointer(p, "/erasure_certificate_ref",
				    "is required to record an erasure: keep the vendor's certificate of erasure");
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource handover = {
	.type = "handover", .path = "/v1/handovers/", .parent = "engagement",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .insert_args = "tenant parent doc",
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt, .update_args = "tenant id doc", .remove = NULL,
};

int handovers_create(struct req *r)
{
	return resource_create(r, &handover, req_param_uuid(r, "id", "engagement"));
}

int handovers_get(struct req *r)
{
	return resource_get(r, &handover);
}

int handovers_update(struct req *r)
{
	return resource_update(r, &handover);
}

/* $1 tenant, $2 engagement or null, $3 status, $4 overdue, $5-$8 vendor
 * scope (http/scope.h; the engagement's vendor), $9/$10 keyset, $11 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select h.handed_over_on::text, h.id::text, handover_json(h)::text from handovers h"
	" where h.tenant_id = $1 and ($2::uuid is null or h.engagement_id = $2::uuid)"
	"   and ($3::text is null or h.status = $3)"
	"   and ($4::boolean is null or (h.status = 'held' and h.return_due_on < tokyo_today()) = $4::boolean)"
	"   and vendor_in_scope($1, (select e.vendor_id from engagements e"
	"                             where e.tenant_id = h.tenant_id and e.id = h.engagement_id), $5, $6, $7, $8::text[])"
	"   and ($9::date is null or (h.handed_over_on, h.id) > ($9::date, $10::uuid))"
	" order by h.handed_over_on, h.id limit $11");
static struct db_stmt engagement_exists_stmt = DB_STMT(
	"select 1 from engagements where tenant_id = $1 and id = $2");

static int list(struct req *r, const char *engagement)
{
	const char *status = query_enum(r, "status", statuses);
	int overdue = query_bool(r, "overdue");
	const char *params[11];
	struct scope sc;
	int ret;

	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	params[2] = status;
	params[3] = overdue < 0 ? NULL : overdue ? "true" : "false";
	scope_params(&sc, params + 4);
	ret = resource_list(r, engagement, "engagement", &engagement_exists_stmt, &list_stmt, 11, params);
	scope_free(&sc);
	return ret;
}

int handovers_list_for_engagement(struct req *r)
{
	const char *engagement = req_param_uuid(r, "id", "engagement");

	return engagement ? list(r, engagement) : -1;
}

int handovers_list(struct req *r)
{
	return list(r, NULL);
}
