/*
 * negotiations.c - negotiations (see negotiations.h).
 */
#include "negotiations/negotiations.h"
#include "negotiations/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "util/crypto.h"

static const char *const initiators[] = { "outsourcer", "vendor", NULL };
static const char *const fields[] = { "title", "initiated_by", "consultation_requested_on", NULL };
static const char *const statuses[] = { "open", "pending", "price_revised", "partially", "declined",
					"cost_borne_by_outsourcer", "withdrawn", NULL };

#define ACTOR(n) "(select 'api_key:' || k.prefix from api_keys k where k.id = $" #n "::uuid)"
#define FULL "negotiation_full_json(n)::text"

/* $1 tenant, $2 request ids -> id, vendor, engagement (the requests that exist) */
static struct db_stmt requests_stmt = DB_STMT(
	"select s.id, s.vendor_id, coalesce(s.engagement_id::text, '') from security_requests s"
	" where s.tenant_id = $1 and s.id = any($2::uuid[]) order by s.id");
/* $1 tenant, $2 vendor, $3 engagement, $4 document, $5 key id */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into negotiations (tenant_id, vendor_id, engagement_id, title, initiated_by,"
	"       consultation_requested_on, created_by, updated_by)"
	" select $1, $2, $3, d ->> 'title', d ->> 'initiated_by', (d ->> 'consultation_requested_on')::date,"
	"        " ACTOR(5) ", " ACTOR(5) " from (select $4::jsonb d) x"
	" returning id");
static struct db_stmt link_stmt = DB_STMT(
	"insert into negotiation_requests (tenant_id, negotiation_id, request_id)"
	" select $1, $2, unnest($3::uuid[])");
static struct db_stmt get_stmt = DB_STMT(
	"select version, " FULL " from negotiations n where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " FULL ", $3::int[] is null or version = any($3::int[])"
	"  from negotiations n where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update negotiations n set title = d ->> 'title', initiated_by = d ->> 'initiated_by',"
	"       consultation_requested_on = (d ->> 'consultation_requested_on')::date,"
	"       version = version + 1, updated_at = now(), updated_by = " ACTOR(4)
	"  from (select $3::jsonb d) x where n.tenant_id = $1 and n.id = $2"
	" returning n.id, n.version, " FULL);

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	static const char *const create_fields[] = { "request_ids", "title", "initiated_by",
		"consultation_requested_on", NULL };
	json_t *doc = base ? json_deep_copy(base) : json_object(), *v;
	size_t before = problem_error_count(p);
	const char *key;

	jv_only(p, patch, base ? fields : create_fields);
	json_object_foreach(patch, key, v)
		if (strcmp(key, "request_ids"))
			json_object_set(doc, key, v);
	jv_string(p, doc, "title", JV_OPTIONAL, 1, 200);
	jv_enum(p, doc, "initiated_by", JV_REQUIRED, initiators);
	jv_date(p, doc, "consultation_requested_on", JV_OPTIONAL);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource negotiation = {
	.type = "negotiation", .fields = fields, .merge = merge,
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt,
};

int negotiations_create(struct req *r)
{
	const char *params[5], *vendor = NULL, *engagement = NULL;
	json_t *doc = NULL, *ids, *out = NULL;
	char *text = NULL, list[20 * 37 + 3], location[96];
	PGresult *res = NULL, *res2 = NULL;
	int err = 0, ret = -1, n, mixed = 0;

	ids = jv_strings(&r->problem, r->body, "request_ids", 20, 36, 36, NULL);
	if (!ids && !json_object_get(r->body, "request_ids"))
		problem_add_pointer(&r->problem, "/request_ids", "is required");
	for (size_t i = 0; ids && i < json_array_size(ids); i++) {
		char at[48];

		snprintf(at, sizeof(at), "/request_ids/%zu", i);
		if (!crypto_is_uuid(json_string_value(json_array_get(ids, i))))
			problem_add_pointer(&r->problem, at, "must be a UUID");
	}
	if (ids && !json_array_size(ids))
		problem_add_pointer(&r->problem, "/request_ids", "must name at least one security request");
	doc = merge(&r->problem, NULL, r->body);
	if (problem_error_count(&r->problem)) {
		json_decref(doc);
		return req_fail_invalid(r);
	}
	if (!req_db(r))
		goto done;
	/* {id,id,...}: UUIDs need no quoting */
	{
		size_t at = 0;

		list[at++] = '{';
		for (size_t i = 0; i < json_array_size(ids); i++)
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", i ? "," : "",
					       json_string_value(json_array_get(ids, i)));
		list[at++] = '}';
		list[at] = '\0';
	}
	params[0] = r->who.tenant_id;
	params[1] = list;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &requests_stmt, 2, params, &res)))
		goto out;
	n = PQntuples(res);
	if ((size_t)n != json_array_size(ids)) {
		problem_set(&r->problem, 422, "reference-not-found", NULL, "a referenced resource does not exist in this tenant");
		problem_add_pointer(&r->problem, "/request_ids", "names a security request this tenant does not have");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (vendor && strcmp(vendor, PQgetvalue(res, i, 1)))
			mixed |= 1;
		if (engagement && strcmp(engagement, PQgetvalue(res, i, 2)))
			mixed |= 2;
		vendor = PQgetvalue(res, i, 1);
		engagement = PQgetvalue(res, i, 2);
	}
	if (mixed & 1 || (n > 1 && (mixed & 2 || !*engagement))) {
		problem_set(&r->problem, 422, "validation-failed", NULL, "the request body has invalid fields; see errors");
		problem_add_pointer(&r->problem, "/request_ids",
				    "several security requests are negotiated together only when they are one vendor's, for one engagement");
		goto out;
	}
	text = json_dumps(doc, JSON_COMPACT);
	params[1] = vendor;
	params[2] = *engagement ? engagement : NULL;
	params[3] = text;
	params[4] = r->who.key_id;
	if ((err = db_exec(r->db, &insert_stmt, 5, params, &res2)))
		goto out;
	snprintf(location, sizeof(location), "%s", PQgetvalue(res2, 0, 0));
	PQclear(res2);
	res2 = NULL;
	params[1] = location;
	params[2] = list;
	if ((err = db_exec(r->db, &link_stmt, 3, params, NULL)) || (err = db_exec(r->db, &get_stmt, 2, params, &res2)))
		goto out;
	out = json_loads(PQgetvalue(res2, 0, 1), 0, NULL);
	if ((err = req_audit(r, "negotiation.created", "negotiation", location, NULL, out)))
		goto out;
	{
		char loc[128];

		snprintf(loc, sizeof(loc), "/v1/negotiations/%s", location);
		req_set_header(r, "Location", loc);
	}
	ret = req_commit_json(r, 201, out, atol(PQgetvalue(res2, 0, 0)));
	out = NULL;
out:
	ret = req_end(r, ret, err);
done:
	json_decref(doc);
	json_decref(out);
	free(text);
	PQclear(res);
	PQclear(res2);
	return ret;
}

int negotiations_get(struct req *r)
{
	return resource_get(r, &negotiation);
}

int negotiations_update(struct req *r)
{
	return resource_update(r, &negotiation);
}

static struct db_stmt lock_max_stmt = DB_STMT(
	"select (negotiation_json(n) || jsonb_build_object('requested_on_max',"
	"        (select max(s.requested_on) from negotiation_requests x join security_requests s"
	"            on s.tenant_id = x.tenant_id and s.id = x.request_id"
	"          where x.tenant_id = n.tenant_id and x.negotiation_id = n.id)))::text"
	"  from negotiations n where tenant_id = $1 and id = $2 for update");

int negotiations_lock(struct req *r, const char *id, json_t **current)
{
	const char *params[2] = { r->who.tenant_id, id };
	PGresult *res = NULL;
	int err;

	*current = NULL;
	if ((err = db_exec(r->db, &lock_max_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res))
		*current = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (!*current)
		return req_fail(r, 404, "not-found", "no %s with this id", "negotiation");
	return 0;
}

static struct db_stmt delete_lock_stmt = DB_STMT(
	"select negotiation_json(n)::text,"
	"       to_char(negotiation_retained_until(n) at time zone 'Asia/Tokyo', 'YYYY-MM-DD'),"
	"       negotiation_retained_until(n) > now(), false"
	"  from negotiations n where tenant_id = $1 and id = $2 for update");
static struct db_stmt delete_stmt = DB_STMT("delete from negotiations where tenant_id = $1 and id = $2");
static const struct retention_target deletable = { "negotiation", &delete_lock_stmt, &delete_stmt, "" };

int negotiations_delete(struct req *r)
{
	return retention_delete(r, &deletable);
}

/* $1 tenant, $2 unused, $3 vendor, $4 engagement, $5 request, $6 status,
 * $7 concluded on or after (negotiation_concluded_on(), the overview's
 * pass-through rate of the year), $8-$11 vendor scope (http/scope.h),
 * $12/$13 keyset, $14 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select n.created_at::text, n.id::text, negotiation_json(n)::text from negotiations n"
	" where n.tenant_id = $1 and $2::uuid is null"
	"   and ($3::uuid is null or n.vendor_id = $3::uuid) and ($4::uuid is null or n.engagement_id = $4::uuid)"
	"   and ($5::uuid is null or exists (select 1 from negotiation_requests x where x.tenant_id = n.tenant_id"
	"                                        and x.negotiation_id = n.id and x.request_id = $5::uuid))"
	"   and ($6::text is null or coalesce((negotiation_current_outcome(n.tenant_id, n.id)).kind, 'open') = $6)"
	"   and ($7::date is null or negotiation_concluded_on(n) >= $7::date)"
	"   and vendor_in_scope($1, n.vendor_id, $8, $9, $10, $11::text[])"
	"   and ($12::timestamptz is null or (n.created_at, n.id) > ($12::timestamptz, $13::uuid))"
	" order by n.created_at, n.id limit $14");

int negotiations_list(struct req *r)
{
	const char *params[14];
	struct scope sc;
	int ret;

	params[2] = query_uuid(r, "vendor_id");
	params[3] = query_uuid(r, "engagement_id");
	params[4] = query_uuid(r, "request_id");
	params[5] = query_enum(r, "status", statuses);
	params[6] = query_date(r, "concluded_after");
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	scope_params(&sc, params + 7);
	ret = resource_list(r, NULL, NULL, NULL, &list_stmt, 14, params);
	scope_free(&sc);
	return ret;
}
