/*
 * vendors.c - vendor create, read, update, delete, risk override and
 * monitoring records.
 */
#include "register/vendors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "register/vendor_doc.h"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into vendors as v (tenant_id, " VENDOR_DOC_COLUMNS ")"
	" select $1, " VENDOR_DOC_COLUMNS " from jsonb_to_record($2::jsonb) as " VENDOR_DOC_RECORD
	" returning id, version, " VENDOR_JSON);
static struct db_stmt update_stmt = DB_STMT(
	"update vendors v set (" VENDOR_DOC_COLUMNS ") = (select " VENDOR_DOC_COLUMNS
	"   from jsonb_to_record($3::jsonb) as " VENDOR_DOC_RECORD "),"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning id, version, " VENDOR_JSON);

int vendor_fail_unique(struct req *r, int err)
{
	if (err == DB_EUNIQUE && !strcmp(r->db->constraint, "vendors_external_ref")) {
		req_fail(r, 409, "duplicate", "another vendor already has this external_ref");
		problem_add_pointer(&r->problem, "/external_ref", "is already used by another vendor");
		return -1;
	}
	if (err == DB_EUNIQUE && !strcmp(r->db->constraint, "vendors_corporate_number")) {
		req_fail(r, 409, "duplicate", "another vendor already has this corporate number");
		problem_add_pointer(&r->problem, "/corporate_number", "is already used by another vendor");
		return -1;
	}
	return req_fail_db(r, err);
}

int vendor_write(struct req *r, const char *id, json_t *before, json_t *doc, json_t **out,
		 long *version)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	const char *params[3];
	PGresult *res = NULL;
	int err, ret = -1;

	if (!text)
		return req_fail(r, 500, "internal", "out of memory");
	params[0] = r->who.tenant_id;
	if (id) {
		params[1] = id;
		params[2] = text;
		err = db_exec(r->db, &update_stmt, 3, params, &res);
	} else {
		params[1] = text;
		err = db_exec(r->db, &insert_stmt, 2, params, &res);
	}
	if (err) {
		vendor_fail_unique(r, err);
		goto out;
	}
	*out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	*version = atol(PQgetvalue(res, 0, 1));
	if ((err = req_audit(r, id ? "vendor.updated" : "vendor.created", "vendor",
				PQgetvalue(res, 0, 0), before, *out))) {
		json_decref(*out);
		*out = NULL;
		req_fail_db(r, err);
		goto out;
	}
	ret = 0;
out:
	free(text);
	PQclear(res);
	return ret;
}

static void set_location(struct req *r, json_t *vendor)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "/v1/vendors/%s", json_string_value(json_object_get(vendor, "id")));
	req_set_header(r, "Location", loc);
}

int vendors_create(struct req *r)
{
	json_t *doc, *out = NULL;
	long version;
	int err = 0, ret = -1;

	if (!(doc = vendor_doc_merge(&r->problem, NULL, r->body)))
		return req_fail_invalid(r);
	if (!req_db(r))
		goto out;
	if ((err = db_begin(r->db)) || vendor_write(r, NULL, NULL, doc, &out, &version) ||
	    req_commit(r, version))
		goto out;
	set_location(r, out);
	ret = req_json(r, 201, out);
	out = NULL;
out:
	json_decref(doc);
	json_decref(out);
	return req_end(r, ret, err);
}

static struct db_stmt get_stmt = DB_STMT(
	"select version, " VENDOR_JSON " from vendors v where tenant_id = $1 and id = $2");

static struct db_stmt lock_stmt = DB_STMT(
	"select version, " VENDOR_JSON ", $3::int[] is null or version = any($3::int[])"
	"  from vendors v where tenant_id = $1 and id = $2 for update");

/* The vendor as a plain resource, for the shared read and lock. */
static const struct resource vendor = {
	.type = "vendor", .get = &get_stmt, .lock = &lock_stmt,
};

int vendors_get(struct req *r)
{
	return resource_get(r, &vendor);
}

static int lock_vendor(struct req *r, const char *id, json_t **current)
{
	return resource_lock(r, &vendor, id, current);
}

int vendors_update(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "vendor");
	json_t *current = NULL, *base = NULL, *doc = NULL, *out = NULL;
	long version;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || lock_vendor(r, id, &current))
		goto out;
	base = vendor_doc_from(current);
	if (!(doc = vendor_doc_merge(&r->problem, base, r->body))) {
		req_fail_invalid(r);
		goto out;
	}
	if (json_equal(doc, base)) {   /* nothing to change: no new version, no event */
		ret = req_commit_json(r, 200, json_incref(current),
				      json_integer_value(json_object_get(current, "version")));
		goto out;
	}
	if (vendor_write(r, id, current, doc, &out, &version))
		goto out;
	ret = req_commit_json(r, 200, out, version);
	out = NULL;
out:
	json_decref(current);
	json_decref(base);
	json_decref(doc);
	json_decref(out);
	return req_end(r, ret, err);
}

static struct db_stmt delete_stmt = DB_STMT(
	"delete from vendors where tenant_id = $1 and id = $2");

int vendors_delete(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "vendor");
	const char *params[2];
	json_t *current = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || lock_vendor(r, id, &current))
		goto out;
	if (strcmp(json_string_value(json_object_get(current, "status")), "candidate") != 0) {
		req_fail(r, 409, "vendor-in-use",
			 "only a candidate vendor can be deleted; set its status to terminated instead");
		goto out;
	}
	if ((err = db_exec(r->db, &delete_stmt, 2, params, NULL))) {
		if (err == DB_EFOREIGN)
			req_fail(r, 409, "vendor-in-use",
				 "the vendor has engagements, certifications or records attached; "
				 "set its status to terminated instead");
		goto out;
	}
	if ((err = req_audit(r, "vendor.deleted", "vendor", id, current, NULL)))
		goto out;
	ret = req_commit_json(r, 204, NULL, 0);
out:
	json_decref(current);
	return req_end(r, ret, err);
}

/* ---- risk override ------------------------------------------------------ */

static struct db_stmt override_stmt = DB_STMT(
	"update vendors v set risk_override_tier = $3, risk_override_reason = $4,"
	"       risk_override_by = case when $3::text is null then null else $5::uuid end,"
	"       risk_override_at = case when $3::text is null then null else now() end,"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning version, " VENDOR_JSON);

static int apply_override(struct req *r, const char *tier, const char *reason)
{
	const char *id = req_param_uuid(r, "id", "vendor");
	const char *params[5];
	json_t *current = NULL, *out = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = tier;
	params[3] = reason;
	params[4] = r->who.key_id;
	if ((err = db_begin(r->db)) || lock_vendor(r, id, &current))
		goto out;
	if ((err = db_exec(r->db, &override_stmt, 5, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, tier ? "vendor.risk_overridden" : "vendor.risk_override_cleared",
				"vendor", id, current, out)))
		goto out;
	ret = req_commit_json(r, 200, out, atol(PQgetvalue(res, 0, 0)));
	out = NULL;
out:
	json_decref(current);
	json_decref(out);
	PQclear(res);
	return req_end(r, ret, err);
}

int vendors_set_override(struct req *r)
{
	static const char *const fields[] = { "tier", "reason", NULL };
	static const char *const tiers[] = { "high", "medium", "low", NULL };
	const char *reason;
	int tier;

	jv_only(&r->problem, r->body, fields);
	tier = jv_enum(&r->problem, r->body, "tier", JV_REQUIRED, tiers);
	reason = jv_string(&r->problem, r->body, "reason", JV_REQUIRED, 1, 2000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	return apply_override(r, tiers[tier], reason);
}

int vendors_clear_override(struct req *r)
{
	return apply_override(r, NULL, NULL);
}

/* ---- monitoring records --------------------------------------------------- */

#define MONITORING_JSON \
	"json_build_object('id', m.id, 'vendor_id', m.vendor_id, 'monitored_on', m.monitored_on," \
	" 'verdict', m.verdict, 'note', m.note, 'recorded_by', m.recorded_by," \
	" 'assessment_id', m.assessment_id, 'created_at', m.created_at)"

/* $1 tenant, $2 vendor, $3 date, $4 verdict, $5 note, $6 key, $7 assessment */
static struct db_stmt monitoring_insert_stmt = DB_STMT(
	"insert into vendor_monitoring as m (tenant_id, vendor_id, monitored_on, verdict, note, recorded_by,"
	"       assessment_id)"
	" values ($1, $2, $3, $4, $5, $6, $7) returning " MONITORING_JSON);
/* The vendor shows its latest monitoring; an older record entered late
 * does not replace a newer one. */
static struct db_stmt monitoring_apply_stmt = DB_STMT(
	"update vendors v set last_monitoring_date = $3::date, last_monitoring_verdict = $4,"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	"   and (last_monitoring_date is null or last_monitoring_date <= $3::date)"
	" returning " VENDOR_JSON);

int vendors_record_monitoring(struct req *r, const char *vendor_id, const char *on, const char *verdict,
			      const char *note, const char *assessment, json_t **record)
{
	const char *params[7] = { r->who.tenant_id, vendor_id, on, verdict, note, r->who.key_id, assessment };
	json_t *current = NULL, *after = NULL;
	PGresult *res = NULL;
	int err;

	*record = NULL;
	if (lock_vendor(r, vendor_id, &current))
		return -1;
	if ((err = db_exec(r->db, &monitoring_insert_stmt, 7, params, &res)))
		goto fail;
	*record = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	res = NULL;
	if ((err = db_exec(r->db, &monitoring_apply_stmt, 4, params, &res)))
		goto fail;
	if (PQntuples(res) == 1) {
		after = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
		if ((err = req_audit(r, "vendor.monitored", "vendor", vendor_id, current, after)))
			goto fail;
	}
	if ((err = req_audit(r, "vendor_monitoring.created", "vendor_monitoring",
			     json_string_value(json_object_get(*record, "id")), NULL, *record)))
		goto fail;
	json_decref(current);
	json_decref(after);
	PQclear(res);
	return 0;
fail:
	json_decref(current);
	json_decref(after);
	json_decref(*record);
	*record = NULL;
	PQclear(res);
	return req_fail_db(r, err);
}

int vendors_add_monitoring(struct req *r)
{
	static const char *const fields[] = { "monitored_on", "verdict", "note", NULL };
	static const char *const verdicts[] = { "no_issues", "watch", "action_required", NULL };
	const char *id = req_param_uuid(r, "id", "vendor"), *on, *note;
	json_t *record = NULL;
	int err = 0, ret = -1, verdict;

	if (!id)
		return -1;
	jv_only(&r->problem, r->body, fields);
	on = jv_date(&r->problem, r->body, "monitored_on", JV_REQUIRED);
	verdict = jv_enum(&r->problem, r->body, "verdict", JV_REQUIRED, verdicts);
	note = jv_string(&r->problem, r->body, "note", JV_OPTIONAL, 0, 4000);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || vendors_record_monitoring(r, id, on, verdicts[verdict], note, NULL, &record))
		goto out;
	ret = req_commit_json(r, 201, record, 0);
	record = NULL;
out:
	json_decref(record);
	return req_end(r, ret, err);
}

static struct db_stmt monitoring_list_stmt = DB_STMT(
	"select m.monitored_on::text, m.id::text, " MONITORING_JSON
	"  from vendor_monitoring m"
	" where m.tenant_id = $1 and m.vendor_id = $2"
	"   and ($3::date is null or (m.monitored_on, m.id) < ($3::date, $4::uuid))"
	" order by m.monitored_on desc, m.id desc limit $5");
static struct db_stmt exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int vendors_list_monitoring(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "vendor");
	const char *params[5];

	if (!id)
		return -1;
	return resource_list(r, id, "vendor", &exists_stmt, &monitoring_list_stmt, 5, params);
}
