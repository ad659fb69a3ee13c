/*
 * certifications.c - certification records and the expiry lists.
 */
#include "register/certifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

static const char *const fields[] = {
	"kind", "kind_other", "certificate_number", "registered_scope", "issued_on", "expires_on",
	"evidence_ref", "scope_verified", "scope_verified_note", NULL
};
const char *const certifications_kinds[] = { "isms", "isms_cloud", "privacy_mark", "ismap", "soc2_type1",
				     "soc2_type2", "cs_mark", "fedramp", "other", NULL };

#define RECORD \
	"x(kind text, kind_other text, certificate_number text, registered_scope text," \
	" issued_on date, expires_on date, evidence_ref text, scope_verified boolean," \
	" scope_verified_note text)"
#define COLUMNS \
	"kind, kind_other, certificate_number, registered_scope, issued_on, expires_on," \
	" evidence_ref, scope_verified, scope_verified_note"
#define VERIFIED "(($3::jsonb) ->> 'scope_verified')::boolean"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into certifications as c (tenant_id, vendor_id, " COLUMNS ", scope_verified_by, scope_verified_at)"
	" select $1, v.id, x.*, case when x.scope_verified then $4::uuid end,"
	"        case when x.scope_verified then now() end"
	"   from vendors v, jsonb_to_record($3::jsonb) as " RECORD
	"  where v.tenant_id = $1 and v.id = $2"
	" returning id, version, certification_json(c)::text");
static struct db_stmt get_stmt = DB_STMT(
	"select version, certification_json(c)::text from certifications c where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, certification_json(c)::text, $3::int[] is null or version = any($3::int[])"
	"  from certifications c where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update certifications c set (" COLUMNS ") = (select " COLUMNS " from jsonb_to_record($3::jsonb) as " RECORD "),"
	"       scope_verified_by = case when " VERIFIED " then"
	"           case when c.scope_verified then c.scope_verified_by else $4::uuid end end,"
	"       scope_verified_at = case when " VERIFIED " then"
	"           case when c.scope_verified then c.scope_verified_at else now() end end,"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2 returning id, version, certification_json(c)::text");
static struct db_stmt delete_stmt = DB_STMT(
	"delete from certifications where tenant_id = $1 and id = $2");

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_pack("{s:b}", "scope_verified", 0);
	size_t before = problem_error_count(p);
	const char *key, *issued, *expires, *other;
	json_t *v;
	int kind, b;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v)
		json_object_set(doc, key, v);
	kind = jv_enum(p, doc, "kind", JV_REQUIRED, certifications_kinds);
	other = jv_string(p, doc, "kind_other", JV_OPTIONAL, 1, 200);
	jv_string(p, doc, "certificate_number", JV_OPTIONAL, 0, 100);
	jv_string(p, doc, "registered_scope", JV_OPTIONAL, 0, 4000);
	issued = jv_date(p, doc, "issued_on", JV_OPTIONAL);
	expires = jv_date(p, doc, "expires_on", JV_OPTIONAL);
	jv_string(p, doc, "evidence_ref", JV_OPTIONAL, 0, 1000);
	jv_bool(p, doc, "scope_verified", JV_REQUIRED, &b);
	jv_string(p, doc, "scope_verified_note", JV_OPTIONAL, 0, 2000);
	if (kind == 8 && !other)
		problem_add_pointer(p, "/kind_other", "is required when kind is other: name the scheme");
	if (kind >= 0 && kind != 8 && other)
		problem_add_pointer(p, "/kind_other", "is only for kind other");
	if (issued && expires && strcmp(expires, issued) < 0)
		problem_add_pointer(p, "/expires_on", "must not be before issued_on");
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource certification = {
	.type = "certification", .path = "/v1/certifications/", .parent = "vendor",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .get = &get_stmt,
	.lock = &lock_stmt, .update = &update_stmt, .remove = &delete_stmt,
};

int certifications_create(struct req *r)
{
	return resource_create(r, &certification, req_param_uuid(r, "id", "vendor"));
}

int certifications_get(struct req *r)
{
	return resource_get(r, &certification);
}

int certifications_update(struct req *r)
{
	return resource_update(r, &certification);
}

int certifications_delete(struct req *r)
{
	return resource_delete(r, &certification);
}

/* $1 tenant, $2 vendor or null, $3 kind, $4 status, $5 expiring days,
 * $6 scope verified, $7-$10 vendor scope (http/scope.h), $11/$12 keyset, $13 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select coalesce(c.expires_on, 'infinity'::date)::text, c.id::text, certification_json(c)::text"
	"  from certifications c"
	" where c.tenant_id = $1 and ($2::uuid is null or c.vendor_id = $2::uuid)"
	"   and ($3::text is null or c.kind = $3)"
	"   and ($4::text is null or ($4 = 'expired') = coalesce(c.expires_on < tokyo_today(), false))"
	"   and ($5::int is null or c.expires_on between tokyo_today() and tokyo_today() + $5::int)"
	"   and ($6::boolean is null or c.scope_verified = $6::boolean)"
	"   and vendor_in_scope($1, c.vendor_id, $7, $8, $9, $10::text[])"
	"   and ($11::date is null or (coalesce(c.expires_on, 'infinity'::date), c.id) > ($11::date, $12::uuid))"
	" order by coalesce(c.expires_on, 'infinity'::date), c.id limit $13");
static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

static int list(struct req *r, const char *vendor)
{
	static const char *const statuses[] = { "valid", "expired", NULL };
	const char *kind = query_enum(r, "kind", certifications_kinds), *status = query_enum(r, "status", statuses);
	const char *days = query_int(r, "expiring_within_days", 0, 3650);
	int verified = query_bool(r, "scope_verified");
	const char *params[13];
	struct scope sc;
	int ret;

	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	params[2] = kind;
	params[3] = status;
	params[4] = days;
	params[5] = verified < 0 ? NULL : verified ? "true" : "false";
	scope_params(&sc, params + 6);
	ret = resource_list(r, vendor, "vendor", &vendor_exists_stmt, &list_stmt, 13, params);
	scope_free(&sc);
	return ret;
}

int certifications_list_for_vendor(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");

	return vendor ? list(r, vendor) : -1;
}

int certifications_list(struct req *r)
{
	return list(r, NULL);
}
