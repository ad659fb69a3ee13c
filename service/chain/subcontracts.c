/*
 * subcontracts.c - subcontract links as a resource: create, read, edit,
 * and the lists (per engagement, and across the tenant for the approval
 * queue).
 */
#include "chain/subcontracts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

const char *const subcontract_flow_down[] = { "equal_obligations", "direct_incident_notice",
	"recurrence_prevention", "status_reports_visible", "return_or_erasure", NULL };

static const char *const fields[] = { "parent_id", "vendor_id", "scope", "data_categories",
	"personal_data", "confidentiality", "reason", "starts_on", "ends_on", "flow_down", "status",
	NULL };
static const char *const flow_keys[] = { "equal_obligations", "equal_obligations_ref",
	"direct_incident_notice", "recurrence_prevention", "status_reports_visible",
	"return_or_erasure", NULL };
static const char *const new_statuses[] = { "requested", "approved", NULL };

#define RECORD \
	"x(parent_id uuid, vendor_id uuid, scope text, data_categories text[], personal_data boolean," \
	" confidentiality smallint, reason text, starts_on date, ends_on date, flow_down jsonb, status text)"
#define FLOW(k) "(x.flow_down ->> '" k "')::boolean"
#define EDITABLE \
	"scope, data_categories, personal_data, confidentiality, reason, starts_on, ends_on," \
	" equal_obligations, equal_obligations_ref, direct_incident_notice, recurrence_prevention," \
	" status_reports_visible, return_or_erasure"
#define EDITABLE_FROM_X \
	"x.scope, x.data_categories, x.personal_data, x.confidentiality, x.reason, x.starts_on," \
	" x.ends_on, " FLOW("equal_obligations") ", x.flow_down ->> 'equal_obligations_ref'," \
	" " FLOW("direct_incident_notice") ", " FLOW("recurrence_prevention") "," \
	" " FLOW("status_reports_visible") ", " FLOW("return_or_erasure")

/* depth, path and parent_vendor_id are placeholders: the trigger derives them. */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into subcontracts as s (tenant_id, engagement_id, parent_id, vendor_id,"
	"       parent_vendor_id, depth, path, " EDITABLE ", status, requested_by, decided_by, decided_at)"
	" select $1, e.id, x.parent_id, x.vendor_id, e.vendor_id, 1, array[e.vendor_id, x.vendor_id],"
	"        " EDITABLE_FROM_X ", x.status, $4,"
	"        case when x.status = 'approved' then $4::uuid end,"
	"        case when x.status = 'approved' then now() end"
	"   from engagements e, jsonb_to_record($3::jsonb) as " RECORD
	"  where e.tenant_id = $1 and e.id = $2"
	" returning id, version, subcontract_json(s)::text");
static struct db_stmt get_stmt = DB_STMT(
	"select version, subcontract_json(s)::text from subcontracts s where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, subcontract_json(s)::text, $3::int[] is null or version = any($3::int[])"
	"  from subcontracts s where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update subcontracts s set (" EDITABLE ") = (select " EDITABLE_FROM_X
	"   from jsonb_to_record($3::jsonb) as " RECORD "),"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning id, version, subcontract_json(s)::text");

static json_t *defaults(void)
{
	json_t *flow = json_object();

	for (size_t i = 0; subcontract_flow_down[i]; i++)
		json_object_set_new(flow, subcontract_flow_down[i], json_false());
	json_object_set_new(flow, "equal_obligations_ref", json_null());
	return json_pack("{s:n, s:[], s:b, s:s, s:o}", "parent_id", "data_categories",
			 "personal_data", 0, "status", "requested", "flow_down", flow);
}

static void check_flow_down(struct problem *p, json_t *doc)
{
	json_t *flow = json_object_get(doc, "flow_down");
	size_t from = problem_error_count(p);
	int yes = 0;

	if (!json_is_object(flow)) {
		problem_add_pointer(p, "/flow_down", "must be an object of confirmations");
		return;
	}
	jv_only(p, flow, flow_keys);
	for (size_t i = 0; subcontract_flow_down[i]; i++)
		jv_bool(p, flow, subcontract_flow_down[i], JV_REQUIRED, &yes);
	jv_string(p, flow, "equal_obligations_ref", JV_OPTIONAL, 1, 500);
	jv_rebase(p, from, "/flow_down");
	if (json_is_true(json_object_get(flow, "equal_obligations")) &&
	    !json_is_string(json_object_get(flow, "equal_obligations_ref")))
		problem_add_pointer(p, "/flow_down/equal_obligations_ref",
				    "is required once equal obligations are confirmed: "
				    "name the document that imposes them");
}

/* Approval needs every confirmation; names each one missing. */
static void check_confirmed(struct problem *p, json_t *doc, const char *msg)
{
	json_t *flow = json_object_get(doc, "flow_down");
	char ptr[64];

	for (size_t i = 0; subcontract_flow_down[i]; i++) {
		if (json_is_true(json_object_get(flow, subcontract_flow_down[i])))
			continue;
		snprintf(ptr, sizeof(ptr), "/flow_down/%s", subcontract_flow_down[i]);
		problem_add_pointer(p, ptr, "%s", msg);
	}
}

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	static const char *const fixed[] = { "parent_id", "vendor_id", "status", NULL };
	json_t *doc = base ? json_deep_copy(base) : defaults(), *v;
	size_t before = problem_error_count(p);
	const char *key, *starts, *ends;
	long long n;
	int yes;

	jv_only(p, patch, fields);
	for (size_t i = 0; base && fixed[i]; i++) {
		char ptr[32];

		v = json_object_get(patch, fixed[i]);
		if (!v || json_equal(v, json_object_get(base, fixed[i])))
			continue;
		snprintf(ptr, sizeof(ptr), "/%s", fixed[i]);
		problem_add_pointer(p, ptr, i < 2 ? "cannot change: withdraw or end this link and request a new one"
					    : "changes only through approve, reject, withdraw and end");
	}
	json_object_foreach(patch, key, v) {
		if (!strcmp(key, "flow_down") && json_is_object(v) &&
		    json_is_object(json_object_get(doc, key))) {
			json_t *f = json_deep_copy(json_object_get(doc, key));

			json_object_update(f, v);
			json_object_set_new(doc, key, f);
		} else {
			json_object_set(doc, key, v);
		}
	}
	jv_uuid(p, doc, "parent_id", JV_OPTIONAL);
	jv_uuid(p, doc, "vendor_id", JV_REQUIRED);
	jv_string(p, doc, "scope", JV_REQUIRED, 1, 4000);
	jv_string(p, doc, "reason", JV_REQUIRED, 1, 4000);
	if (!json_is_array(json_object_get(doc, "data_categories")))
		problem_add_pointer(p, "/data_categories", "must be an array of strings");
	else
		jv_strings(p, doc, "data_categories", 30, 1, 100, NULL);
	jv_bool(p, doc, "personal_data", JV_REQUIRED, &yes);
	jv_int(p, doc, "confidentiality", JV_REQUIRED, 1, 3, &n);
	starts = jv_date(p, doc, "starts_on", JV_OPTIONAL);
	ends = jv_date(p, doc, "ends_on", JV_OPTIONAL);
	if (starts && ends && strcmp(ends, starts) < 0)
		problem_add_pointer(p, "/ends_on", "must not be before starts_on");
	check_flow_down(p, doc);
	if (!base && jv_enum(p, doc, "status", JV_REQUIRED, new_statuses) == 1)
		check_confirmed(p, doc, "must be confirmed before the link is approved");
	v = base ? json_object_get(base, "status") : NULL;
	if (json_is_string(v) && !strcmp(json_string_value(v), "approved"))
		check_confirmed(p, doc, "must stay confirmed while the link is approved");
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource subcontract = {
	.type = "subcontract", .path = "/v1/subcontracts/", .parent = "engagement",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .get = &get_stmt,
	.lock = &lock_stmt, .update = &update_stmt, .update_args = "tenant id doc",
};

/* A missing vendor or parent link reads better with its field named. */
static void name_reference(struct req *r)
{
	const char *c = r->db ? r->db->constraint : "", *m = r->db ? r->db->message : "";

	if (strcmp(r->problem.slug ? r->problem.slug : "", "reference-not-found") != 0)
		return;
	if (strstr(c, "vendor_id"))
		problem_add_pointer(&r->problem, "/vendor_id", "no vendor with this id");
	else if (strstr(c, "parent_id") || strstr(m, "parent"))
		problem_add_pointer(&r->problem, "/parent_id", "no subcontract link with this id");
}

int subcontracts_create(struct req *r)
{
	int ret = resource_create(r, &subcontract, req_param_uuid(r, "id", "engagement"));

	if (ret)
		name_reference(r);
	return ret;
}

int subcontracts_lock(struct req *r, const char *id, json_t **current)
{
	return resource_lock(r, &subcontract, id, current);
}

int subcontracts_get(struct req *r)
{
	return resource_get(r, &subcontract);
}

int subcontracts_update(struct req *r)
{
	return resource_update(r, &subcontract);
}

static const char *const statuses[] = { "requested", "approved", "rejected", "withdrawn", "ended",
	NULL };

static struct db_stmt engagement_list_stmt = DB_STMT(
	"select s.created_at::text, s.id::text, subcontract_json(s)::text from subcontracts s"
	" where s.tenant_id = $1 and s.engagement_id = $2"
	"   and ($3::text[] is null or s.status = any($3::text[]))"
	"   and ($4::timestamptz is null or (s.created_at, s.id) > ($4::timestamptz, $5::uuid))"
	" order by s.created_at, s.id limit $6");
static struct db_stmt engagement_exists_stmt = DB_STMT(
	"select 1 from engagements where tenant_id = $1 and id = $2");

int subcontracts_list_for_engagement(struct req *r)
{
	const char *engagement = req_param_uuid(r, "id", "engagement");
	const char *params[6];
	char status[96];

	if (!engagement)
		return -1;
	query_enum_list(r, "status", statuses, status, sizeof(status));
	if (query_fail(r))
		return -1;
	params[2] = status[0] ? status : NULL;
	return resource_list(r, engagement, "engagement", &engagement_exists_stmt,
			     &engagement_list_stmt, 6, params);
}

/* The approval queue is this with status=requested: oldest first.
 * $6 depth, $7 flow-down complete (all five confirmations), $8-$11 vendor
 * scope (http/scope.h; the engagement's vendor, the path's first), $12 the
 * subcontractor has a completed assessment within the last year (the
 * overview's chain coverage), $13 the subcontractor's tiers (its weakest
 * link). */
static struct db_stmt tenant_list_stmt = DB_STMT(
	"select s.created_at::text, s.id::text, subcontract_json(s)::text from subcontracts s"
	" where s.tenant_id = $1 and $2::uuid is null"
	"   and ($3::text[] is null or s.status = any($3::text[]))"
	"   and ($4::uuid is null or s.engagement_id = $4::uuid)"
	"   and ($5::uuid is null or s.vendor_id = $5::uuid)"
	"   and ($6::int is null or s.depth = $6::int)"
	"   and ($7::boolean is null or (s.equal_obligations and s.direct_incident_notice and s.recurrence_prevention"
	"        and s.status_reports_visible and s.return_or_erasure) = $7::boolean)"
	"   and vendor_in_scope($1, s.path[1], $8, $9, $10, $11::text[])"
	"   and ($12::boolean is null or vendor_assessed_within_year(s.tenant_id, s.vendor_id) = $12::boolean)"
	"   and ($13::text[] is null or (select v.risk_tier from vendors v"
	"        where v.tenant_id = s.tenant_id and v.id = s.vendor_id) = any($13::text[]))"
	"   and ($14::timestamptz is null or (s.created_at, s.id) > ($14::timestamptz, $15::uuid))"
	" order by s.created_at, s.id limit $16");

int subcontracts_list(struct req *r)
{
	static const char *const tiers[] = { "high", "medium", "low", NULL };
	const char *params[16];
	char status[96], sub_tiers[32];
	struct scope sc;
	int complete, assessed, ret;

	query_enum_list(r, "status", statuses, status, sizeof(status));
	params[3] = query_uuid(r, "engagement_id");
	params[4] = query_uuid(r, "vendor_id");
	params[5] = query_int(r, "depth", 0, 10);
	complete = query_bool(r, "flow_down_complete");
	assessed = query_bool(r, "subcontractor_assessed");
	query_enum_list(r, "subcontractor_tier", tiers, sub_tiers, sizeof(sub_tiers));
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	params[2] = status[0] ? status : NULL;
	params[6] = complete < 0 ? NULL : complete ? "true" : "false";
	scope_params(&sc, params + 7);
	params[11] = assessed < 0 ? NULL : assessed ? "true" : "false";
	params[12] = sub_tiers[0] ? sub_tiers : NULL;
	ret = resource_list(r, NULL, NULL, NULL, &tenant_list_stmt, 16, params);
	scope_free(&sc);
	return ret;
}
