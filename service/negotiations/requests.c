/*
 * requests.c - security requests (see requests.h).
 */
#include "negotiations/requests.h"
#include "negotiations/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

#define YEN_MAX 1000000000000LL

static const char *const kinds[] = { "paid_service", "certification", "organisation_training", "incident_flow",
				     "designated_product", "other", NULL };
static const char *const source_kinds[] = { "finding", "question", "contract_clause", "incident", "other", NULL };
static const char *const clauses[] = { "confidentiality", "subcontracting", "audit_rights", "incident_reporting",
				       "return_erasure", "device_security", "status_report", "other", NULL };
static const char *const statuses[] = { "open", "withdrawn", NULL };

#define FIELDS_LIST \
	"engagement_id", "kind", "text", "requested_on", "reason", "requested_by", "source_kind", "finding_id", \
	"assessment_id", "question_code", "clause", "incident_id", "source_note", "designated", \
	"designated_item", "designation_necessity", "equivalent_claimed", "equivalent_measure", \
	"equivalent_certification_id", "deadline_on", "renewal_on", "price_unchanged_at_renewal", \
	"charged_jpy", "charged_on", "charge_agreed_jpy", "charge_basis", "charge_agreed_on"
static const char *const fields[] = { FIELDS_LIST, NULL };
static const char *const create_fields[] = { "vendor_id", FIELDS_LIST, NULL };

#define RECORD \
	"x(engagement_id uuid, kind text, text text, requested_on date, reason text, requested_by text," \
	" source_kind text, finding_id uuid, assessment_id uuid, question_code text, clause text," \
	" incident_id uuid, source_note text, designated boolean, designated_item text," \
	" designation_necessity text, equivalent_claimed boolean, equivalent_measure text," \
	" equivalent_certification_id uuid, deadline_on date, renewal_on date," \
	" price_unchanged_at_renewal boolean, charged_jpy bigint, charged_on date, charge_agreed_jpy bigint," \
	" charge_basis text, charge_agreed_on date)"
#define COLUMNS \
	"engagement_id, kind, text, requested_on, reason, requested_by, source_kind, finding_id," \
	" assessment_id, question_code, clause, incident_id, source_note, designated, designated_item," \
	" designation_necessity, equivalent_claimed, equivalent_measure, equivalent_certification_id," \
	" deadline_on, renewal_on, price_unchanged_at_renewal, charged_jpy, charged_on, charge_agreed_jpy," \
	" charge_basis, charge_agreed_on"
#define ACTOR(n) "(select 'api_key:' || k.prefix from api_keys k where k.id = $" #n "::uuid)"
#define DOC "security_request_doc(s)::text"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into security_requests as s (tenant_id, vendor_id, " COLUMNS ", created_by, updated_by)"
	" select $1, v.id, x.*, " ACTOR(4) ", " ACTOR(4)
	"   from vendors v, jsonb_to_record($3::jsonb) as " RECORD
	"  where v.tenant_id = $1 and v.id = $2"
	" returning id, version, " DOC);
static struct db_stmt get_stmt = DB_STMT(
	"select version, " DOC " from security_requests s where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " DOC ", $3::int[] is null or version = any($3::int[])"
	"  from security_requests s where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update security_requests s set (" COLUMNS ") = (select " COLUMNS " from jsonb_to_record($3::jsonb) as " RECORD "),"
	"       version = version + 1, updated_at = now(), updated_by = " ACTOR(4)
	" where tenant_id = $1 and id = $2"
	" returning id, version, " DOC);

/* A yen amount: an integer from 0 (never negative, never a fraction). */
static void yen(struct problem *p, json_t *doc, const char *name)
{
	long long n;

	jv_int(p, doc, name, JV_OPTIONAL, 0, YEN_MAX, &n);
}

static int later(const char *a, const char *b)
{
	return a && b && strcmp(a, b) < 0;
}

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_object(), *v;
	size_t before = problem_error_count(p);
	const char *key, *on, *src, *charged_on;
	int kind, designated = 0, claimed = 0, unchanged = 0;

	jv_only(p, patch, base ? fields : create_fields);
	json_object_foreach(patch, key, v)
		if (strcmp(key, "vendor_id"))
			json_object_set(doc, key, v);
	if (json_is_null(json_object_get(doc, "designated") ?: json_null()))
		json_object_set_new(doc, "designated", json_false());
	if (json_is_null(json_object_get(doc, "equivalent_claimed") ?: json_null()))
		json_object_set_new(doc, "equivalent_claimed", json_false());
	jv_uuid(p, doc, "engagement_id", JV_OPTIONAL);
	kind = jv_enum(p, doc, "kind", JV_REQUIRED, kinds);
	jv_string(p, doc, "text", JV_REQUIRED, 1, 4000);
	on = jv_date(p, doc, "requested_on", JV_REQUIRED);
	jv_string(p, doc, "reason", JV_OPTIONAL, 1, 4000);
	jv_string(p, doc, "requested_by", JV_OPTIONAL, 1, 200);
	src = (jv_enum(p, doc, "source_kind", JV_OPTIONAL, source_kinds) >= 0)
		? json_string_value(json_object_get(doc, "source_kind")) : "";
	jv_uuid(p, doc, "finding_id", JV_OPTIONAL);
	jv_uuid(p, doc, "assessment_id", JV_OPTIONAL);
	jv_string(p, doc, "question_code", JV_OPTIONAL, 1, 32);
	jv_enum(p, doc, "clause", JV_OPTIONAL, clauses);
	jv_uuid(p, doc, "incident_id", JV_OPTIONAL);
	jv_string(p, doc, "source_note", JV_OPTIONAL, 1, 2000);
	jv_bool(p, doc, "designated", JV_OPTIONAL, &designated);
	jv_string(p, doc, "designated_item", JV_OPTIONAL, 1, 500);
	jv_string(p, doc, "designation_necessity", JV_OPTIONAL, 1, 4000);
	jv_bool(p, doc, "equivalent_claimed", JV_OPTIONAL, &claimed);
	jv_string(p, doc, "equivalent_measure", JV_OPTIONAL, 1, 4000);
	jv_uuid(p, doc, "equivalent_certification_id", JV_OPTIONAL);
	if (later(jv_date(p, doc, "deadline_on", JV_OPTIONAL), on))
		problem_add_pointer(p, "/deadline_on", "must not be before requested_on");
	if (later(jv_date(p, doc, "renewal_on", JV_OPTIONAL), on))
		problem_add_pointer(p, "/renewal_on", "must not be before requested_on");
	jv_bool(p, doc, "price_unchanged_at_renewal", JV_OPTIONAL, &unchanged);
	yen(p, doc, "charged_jpy");
	charged_on = jv_date(p, doc, "charged_on", JV_OPTIONAL);
	yen(p, doc, "charge_agreed_jpy");
	jv_string(p, doc, "charge_basis", JV_OPTIONAL, 1, 4000);
	jv_date(p, doc, "charge_agreed_on", JV_OPTIONAL);
	(void)kind;
	(void)unchanged;
	/* What belongs together. */
	if (jv_empty(doc, "charged_jpy") != jv_empty(doc, "charged_on"))
		problem_add_pointer(p, jv_empty(doc, "charged_on") ? "/charged_on" : "/charged_jpy",
				    "charged_jpy and charged_on are given together");
	(void)charged_on;
	if (strcmp(src, "finding") && !jv_empty(doc, "finding_id"))
		problem_add_pointer(p, "/finding_id", "is given only with source_kind finding");
	if (strcmp(src, "incident") && !jv_empty(doc, "incident_id"))
		problem_add_pointer(p, "/incident_id", "is given only with source_kind incident");
	if (strcmp(src, "question") && (!jv_empty(doc, "assessment_id") || !jv_empty(doc, "question_code")))
		problem_add_pointer(p, "/source_kind", "must be question when assessment_id or question_code is given");
	if (!strcmp(src, "question") && (jv_empty(doc, "assessment_id") || jv_empty(doc, "question_code")))
		problem_add_pointer(p, jv_empty(doc, "assessment_id") ? "/assessment_id" : "/question_code",
				    "is required with source_kind question");
	if (strcmp(src, "contract_clause") && !jv_empty(doc, "clause"))
		problem_add_pointer(p, "/clause", "is given only with source_kind contract_clause");
	if (!strcmp(src, "contract_clause") && jv_empty(doc, "clause"))
		problem_add_pointer(p, "/clause", "is required with source_kind contract_clause");
	if (!designated && (!jv_empty(doc, "designated_item") || !jv_empty(doc, "designation_necessity")))
		problem_add_pointer(p, "/designated", "must be true when a designated item or its necessity is given");
	if (designated && jv_empty(doc, "designated_item"))
		problem_add_pointer(p, "/designated_item", "is required when a product or provider is designated");
	if (!claimed && !jv_empty(doc, "equivalent_measure"))
		problem_add_pointer(p, "/equivalent_claimed", "must be true when an equivalent measure is given");
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource request = {
	.type = "security_request", .path = "/v1/security-requests/", .parent = "vendor",
	.fields = fields, .merge = merge, .insert = &insert_stmt,
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt,
};

int requests_create(struct req *r)
{
	const char *vendor;

	vendor = jv_uuid(&r->problem, r->body, "vendor_id", JV_REQUIRED);
	if (!vendor) {
		merge(&r->problem, NULL, r->body);
		return req_fail_invalid(r);
	}
	return resource_create(r, &request, vendor);
}

int requests_get(struct req *r)
{
	return resource_get(r, &request);
}

int requests_update(struct req *r)
{
	return resource_update(r, &request);
}

/* ---- delete, withdraw ---------------------------------------------------------------- */

static struct db_stmt delete_lock_stmt = DB_STMT(
	"select security_request_json(s)::text,"
	"       to_char(security_request_retained_until(s) at time zone 'Asia/Tokyo', 'YYYY-MM-DD'),"
	"       security_request_retained_until(s) > now(),"
	"       exists (select 1 from negotiation_requests x where x.tenant_id = s.tenant_id and x.request_id = s.id)"
	"  from security_requests s where tenant_id = $1 and id = $2 for update");
static struct db_stmt delete_stmt = DB_STMT("delete from security_requests where tenant_id = $1 and id = $2");
static const struct retention_target deletable = {
	"security_request", &delete_lock_stmt, &delete_stmt,
	"a negotiation covers this security request; delete the negotiation first"
};

int requests_delete(struct req *r)
{
	return retention_delete(r, &deletable);
}

static struct db_stmt withdraw_stmt = DB_STMT(
	"update security_requests s set status = 'withdrawn', withdrawn_on = coalesce($3::date, tokyo_today()),"
	"       withdrawn_reason = $4,"
	"       version = version + 1, updated_at = now(), updated_by = " ACTOR(5)
	" where tenant_id = $1 and id = $2 returning version, " DOC);

/* POST /v1/security-requests/{id}/withdraw {withdrawn_on?, reason}: the
 * request itself is withdrawn (its negotiations keep their records). */
int requests_withdraw(struct req *r)
{
	static const char *const members[] = { "withdrawn_on", "reason", NULL };
	const char *id = req_param_uuid(r, "id", "security_request"), *params[5], *on;
	json_t *current = NULL, *out = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, members);
	on = jv_date(&r->problem, r->body, "withdrawn_on", JV_OPTIONAL);
	params[3] = jv_string(&r->problem, r->body, "reason", JV_REQUIRED, 1, 4000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || resource_lock(r, &request, id, &current))
		goto out;
	if (strcmp(json_string_value(json_object_get(current, "status")), "open")) {
		req_fail(r, 409, "invalid-transition", "the security request is already withdrawn");
		goto out;
	}
	if (on && strcmp(on, json_string_value(json_object_get(current, "requested_on"))) < 0) {
		problem_set(&r->problem, 422, "validation-failed", NULL, "the request body has invalid fields; see errors");
		problem_add_pointer(&r->problem, "/withdrawn_on", "must not be before requested_on");
		goto out;
	}
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = on;
	params[4] = r->who.key_id;
	if ((err = db_exec(r->db, &withdraw_stmt, 5, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "security_request.withdrawn", "security_request", id, current, out)))
		goto out;
	ret = req_commit_json(r, 200, out, atol(PQgetvalue(res, 0, 0)));
	out = NULL;
out:
	json_decref(current);
	json_decref(out);
	PQclear(res);
	return req_end(r, ret, err);
}

/* ---- lists ------------------------------------------------------------------------------- */

/* $1 tenant, $2 parent id, $3 parent kind (vendor, engagement or null),
 * $4 vendor, $5 engagement, $6 status, $7 kind, $8/$9 keyset, $10 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select s.requested_on::text, s.id::text, " DOC " from security_requests s"
	" where s.tenant_id = $1"
	"   and ($3::text is null or ($3 = 'vendor' and s.vendor_id = $2::uuid)"
	"        or ($3 = 'engagement' and s.engagement_id = $2::uuid))"
	"   and ($4::uuid is null or s.vendor_id = $4::uuid) and ($5::uuid is null or s.engagement_id = $5::uuid)"
	"   and ($6::text is null or s.status = $6) and ($7::text is null or s.kind = $7)"
	"   and vendor_in_scope($1, s.vendor_id, $8, $9, $10, $11::text[])"   /* http/scope.h */
	"   and ($12::date is null or (s.requested_on, s.id) > ($12::date, $13::uuid))"
	" order by s.requested_on, s.id limit $14");
static struct db_stmt vendor_exists_stmt = DB_STMT("select 1 from vendors where tenant_id = $1 and id = $2");
static struct db_stmt engagement_exists_stmt = DB_STMT(
	"select 1 from engagements where tenant_id = $1 and id = $2");

/* noun: "vendor", "engagement" (the path's id), or NULL for all */
static int list(struct req *r, const char *noun)
{
	const char *params[14], *parent = NULL;
	struct scope sc;
	int ret;

	if (noun && !(parent = req_param_uuid(r, "id", noun)))
		return -1;
	params[2] = noun;
	params[3] = noun ? NULL : query_uuid(r, "vendor_id");
	params[4] = noun && !strcmp(noun, "engagement") ? NULL : query_uuid(r, "engagement_id");
	params[5] = query_enum(r, "status", statuses);
	params[6] = query_enum(r, "kind", kinds);
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	scope_params(&sc, params + 7);
	ret = resource_list(r, parent, noun,
			    !noun ? NULL : !strcmp(noun, "vendor") ? &vendor_exists_stmt : &engagement_exists_stmt,
			    &list_stmt, 14, params);
	scope_free(&sc);
	return ret;
}

int requests_list(struct req *r)
{
	return list(r, NULL);
}

int requests_list_for_vendor(struct req *r)
{
	return list(r, "vendor");
}

int requests_list_for_engagement(struct req *r)
{
	return list(r, "engagement");
}
