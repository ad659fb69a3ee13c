/*
 * campaigns.c - POST /v1/assessment-campaigns: one assessment per selected
 * vendor (or per current engagement of each), created and sent in one
 * transaction, with a per-vendor result.
 *
 * The work is a handful of set-based statements whatever the number of
 * vendors: one checks the template and counts the selection, one returns
 * every candidate with its respondent, the reason it is skipped and the
 * facts its question set is decided on; C then decides each question set
 * (assessments_exclusions(), the rule send uses); one statement writes the
 * campaign, one the assessments as drafts, one sends them. Each statement
 * writes its own audit events beside its rows (INSERT ... SELECT into
 * audit_events, chained by the database's trigger like every other event),
 * so that a campaign of 2,000 vendors is not 4,000 round trips. The
 * assessments go draft -> sent by an UPDATE, so the status trigger fires
 * assessment.sent for each exactly as a single send does.
 */
#include "assessments/campaigns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assessments/assessments.h"
#include "http/req.h"
#include "json/valid.h"
#include "util/crypto.h"

static const char *const fields[] = { "name", "template_id", "template_number", "due_on", "message",
	"send", "per_engagement", "vendor_ids", "filter", NULL };
static const char *const filter_fields[] = { "risk_tier", "status", "department", "tag",
	"monitoring_due_before", "handles_personal_data", NULL };
static const char *const tiers[] = { "high", "medium", "low", NULL };
static const char *const vendor_statuses[] = { "candidate", "active", "suspended", "terminated", NULL };

/* The selected vendors of the tenant, as rows of vendors v: $1 tenant, $2
 * explicit ids (a JSON array; null: use the filter), $3 the filter (a
 * checked JSON object), with the register's meaning of each member
 * (register/vendor_list.c): next_monitoring_due is null for candidates and
 * terminated vendors, so they are never "due". */
#define SELECTED \
	"select v.* from vendors v, (select $3::jsonb f) x" \
	" where v.tenant_id = $1" \
	"   and case when $2::jsonb is not null" \
	"       then v.id in (select jsonb_array_elements_text($2::jsonb)::uuid)" \
	"       else (x.f -> 'status' is null" \
	"             or v.status in (select jsonb_array_elements_text(x.f -> 'status')))" \
	"        and (x.f -> 'risk_tier' is null" \
	"             or v.risk_tier in (select jsonb_array_elements_text(x.f -> 'risk_tier')))" \
	"        and (x.f ->> 'department' is null or v.department = x.f ->> 'department')" \
	"        and (x.f ->> 'tag' is null or v.tags @> array[x.f ->> 'tag'])" \
	"        and (x.f -> 'handles_personal_data' is null" \
	"             or v.handles_personal_data = (x.f ->> 'handles_personal_data')::boolean)" \
	"        and (x.f ->> 'monitoring_due_before' is null" \
	"             or v.next_monitoring_due < (x.f ->> 'monitoring_due_before')::date)" \
	"       end"

/* $1 tenant, $2 ids, $3 filter, $4 template, $5 number, $6 due date ->
 * template found, active, version number, published, due date past,
 * vendors selected, the indexes of explicit ids that name no vendor. */
static struct db_stmt prepare_stmt = DB_STMT(
	"with sel as (" SELECTED ")"
	" select t.id is not null, t.archived_at is null, q.number, q.status = 'published',"
	"        $6::date < tokyo_today(), (select count(*) from sel),"
	"        (select json_agg(i.n - 1 order by i.n)"
	"           from jsonb_array_elements_text($2::jsonb) with ordinality i(id, n)"
	"          where i.id::uuid not in (select id from sel))::text"
	"   from (select 1) one"
	"   left join questionnaire_templates t on t.tenant_id = $1 and t.id = $4"
	"   left join lateral (select v.number, v.status from questionnaire_versions v"
	"                       where v.tenant_id = $1 and v.template_id = $4"
	"                         and (v.number = $5::int or $5::int is null and v.status = 'published')"
	"                       order by v.number desc limit 1) q on true");
enum { P_TPL_FOUND, P_TPL_ACTIVE, P_NUMBER, P_PUBLISHED, P_DUE_PAST, P_COUNT, P_UNKNOWN };

/* Every candidate: $1 tenant, $2 ids, $3 filter, $4 template, $5 per
 * engagement, $6 send -> vendor id, name, external_ref, engagement id,
 * why it is skipped (null: created), the respondent, the facts (when sent
 * and not skipped). With per_engagement a vendor without a current
 * engagement (started, not ended, Asia/Tokyo) is one row with none. The
 * respondent is the first contact with an e-mail address, a security
 * officer before an incident contact before anyone else. */
static struct db_stmt candidates_stmt = DB_STMT(
	"with sel as (" SELECTED "),"
	" rows as (select s.id, s.name, s.external_ref, s.status, s.contacts, e.id eid, e.created_at ecreated"
	"            from sel s"
	"            left join lateral (select e.id, e.created_at from engagements e"
	"                                where e.tenant_id = $1 and e.vendor_id = s.id"
	"                                  and (e.starts_on is null or e.starts_on <= tokyo_today())"
	"                                  and (e.ends_on is null or e.ends_on >= tokyo_today())) e"
	"              on $5::boolean)"
	" select r.id, r.name, r.external_ref, r.eid, w.reason,"
	"        k.who::text,"
	"        case when $6::boolean and w.reason is null"
	"             then assessment_facts($1, r.id, r.eid, null, tokyo_today())::text end"
	"   from rows r"
	"  cross join lateral (select vendor_respondent(r.contacts) as who) k"
	"  cross join lateral (select case"
	"        when r.status = 'terminated' then 'terminated'"
	"        when $5::boolean and r.eid is null then 'no_current_engagement'"
	"        when k.who is null then 'no_respondent_contact'"
	"        when exists (select 1 from assessments a"
	"                      where a.tenant_id = $1 and a.vendor_id = r.id and a.template_id = $4"
	"                        and a.status not in ('completed', 'cancelled')"
	"                        and (not $5::boolean or a.engagement_id = r.eid)) then 'open_assessment'"
	"        end reason) w"
	"  order by r.name, r.id, r.ecreated, r.eid");
enum { C_VENDOR, C_NAME, C_REF, C_ENGAGEMENT, C_REASON, C_RESPONDENT, C_FACTS };

/* $1 tenant, $2 doc (checked), $3 number, $4 created count, $5 skipped,
 * $6 key id, $7 actor, $8 request id -> id */
static struct db_stmt insert_campaign_stmt = DB_STMT(
	"with ins as ("
	"  insert into assessment_campaigns as c (tenant_id, name, template_id, template_number, due_on,"
	"         message, send, per_engagement, selection, created_count, skipped, created_by)"
	"  select $1, d ->> 'name', (d ->> 'template_id')::uuid, $3::int, (d ->> 'due_on')::date,"
	"         d ->> 'message', (d ->> 'send')::boolean, (d ->> 'per_engagement')::boolean,"
	"         d -> 'selection', $4::int, $5::jsonb, $6"
	"    from (select $2::jsonb d) x"
	"  returning c),"
	" ev as (insert into audit_events (tenant_id, actor_key_id, actor, action, resource_type,"
	"                                  resource_id, before, after, request_id)"
	"        select $1, $6::uuid, $7, 'assessment_campaign.created', 'assessment_campaign',"
	"               (ins.c).id::text, null, assessment_campaign_json(ins.c, false)::jsonb, $8 from ins)"
	" select (c).id from ins");

/* Drafts, audited as a single creation is: $1 tenant, $2 campaign, $3 doc,
 * $4 number, $5 rows [{vendor_id, engagement_id, respondent}], $6 key id,
 * $7 actor, $8 request id -> id, vendor id, engagement id */
static struct db_stmt insert_assessments_stmt = DB_STMT(
	"with ins as ("
	"  insert into assessments as a (tenant_id, campaign_id, vendor_id, engagement_id, template_id,"
	"         template_number, title, due_on, message, respondent, created_by, updated_by)"
	"  select $1, $2, (x ->> 'vendor_id')::uuid, (x ->> 'engagement_id')::uuid, (d ->> 'template_id')::uuid,"
	"         $4::int, d ->> 'name', (d ->> 'due_on')::date, d ->> 'message', x -> 'respondent', $6, $6"
	"    from (select $3::jsonb d) doc, jsonb_array_elements($5::jsonb) x"
	"  returning a),"
	" ev as (insert into audit_events (tenant_id, actor_key_id, actor, action, resource_type,"
	"                                  resource_id, before, after, request_id)"
	"        select $1, $6::uuid, $7, 'assessment.created', 'assessment', (ins.a).id::text,"
	"               null, assessment_json(ins.a)::jsonb, $8 from ins)"
	" select (a).id, (a).vendor_id, (a).engagement_id from ins");

/* Sends the drafts with their question sets, audited as a single send is
 * (before: the draft): $1 tenant, $2 campaign, $3 [{id, excluded}], $4 key
 * id, $5 actor, $6 request id. */
static struct db_stmt send_stmt = DB_STMT(
	"with x as (select (e ->> 'id')::uuid id, e -> 'excluded' excluded from jsonb_array_elements($3::jsonb) e),"
	" old as (select a from assessments a join x on x.id = a.id where a.tenant_id = $1),"
	" upd as (update assessments a set status = 'sent', sent_at = now(), excluded = x.excluded,"
	"                version = version + 1, updated_at = now(), updated_by = $4"
	"           from x where a.tenant_id = $1 and a.id = x.id and a.campaign_id = $2 and a.status = 'draft'"
	"         returning a),"
	" ev as (insert into audit_events (tenant_id, actor_key_id, actor, action, resource_type,"
	"                                  resource_id, before, after, request_id)"
	"        select $1, $4::uuid, $5, 'assessment.sent', 'assessment', (u.a).id::text,"
	"               assessment_json(o.a)::jsonb, assessment_json(u.a)::jsonb, $6"
	"          from upd u join old o on (o.a).id = (u.a).id)"
	" select count(*) from upd");

static struct db_stmt content_stmt = DB_STMT(
	"select v.content::text from questionnaire_versions v"
	" where v.tenant_id = $1 and v.template_id = $2 and v.number = $3::int");

static struct db_stmt read_stmt = DB_STMT(
	"select assessment_campaign_json(c, true)::text from assessment_campaigns c"
	" where c.tenant_id = $1 and c.id = $2");

/* ---- the request ------------------------------------------------------------ */

/* Checks the filter object and returns its normalised copy (caller
 * decrefs), or NULL with errors under /filter. */
static json_t *check_filter(struct problem *p, json_t *f)
{
	json_t *out = json_object();
	size_t from = problem_error_count(p);
	int b;

	jv_only(p, f, filter_fields);
	jv_strings(p, f, "risk_tier", 3, 1, 10, tiers);
	jv_strings(p, f, "status", 4, 1, 20, vendor_statuses);
	jv_string(p, f, "department", JV_OPTIONAL, 1, 200);
	jv_string(p, f, "tag", JV_OPTIONAL, 1, 200);
	jv_date(p, f, "monitoring_due_before", JV_OPTIONAL);
	jv_bool(p, f, "handles_personal_data", JV_OPTIONAL, &b);
	for (size_t i = 0; filter_fields[i]; i++)
		jv_keep(out, f, filter_fields[i]);
	jv_rebase(p, from, "/filter");
	return out;
}

/* Checks the explicit ids: at most CAMPAIGN_MAX_VENDORS distinct UUIDs. */
static void check_ids(struct problem *p, json_t *ids)
{
	json_t *v, *seen;
	size_t i;

	if (!json_is_array(ids) || json_array_size(ids) == 0) {
		problem_add_pointer(p, "/vendor_ids", "must be an array of 1 to %d vendor ids", CAMPAIGN_MAX_VENDORS);
		return;
	}
	if (json_array_size(ids) > CAMPAIGN_MAX_VENDORS) {
		problem_add_pointer(p, "/vendor_ids", "names %zu vendors; a campaign takes at most %d",
				    json_array_size(ids), CAMPAIGN_MAX_VENDORS);
		return;
	}
	seen = json_object();
	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		char ptr[40];

		snprintf(ptr, sizeof(ptr), "/vendor_ids/%zu", i);
		if (!id || !crypto_is_uuid(id))
			problem_add_pointer(p, ptr, "must be a UUID");
		else if (json_object_get(seen, id))
			problem_add_pointer(p, ptr, "repeats an earlier id");
		else
			json_object_set_new(seen, id, json_true());
	}
	json_decref(seen);
}

/* The checked document: the body's fields with send and per_engagement
 * decided and the selection as stored. NULL with errors on p. */
static json_t *check_body(struct problem *p, json_t *body)
{
	json_t *doc = json_object(), *ids = json_object_get(body, "vendor_ids");
	json_t *filter = json_object_get(body, "filter");
	long long n;
	int send = 1, per_engagement = 0;

	jv_only(p, body, fields);
	jv_string(p, body, "name", JV_REQUIRED, 1, 200);
	jv_uuid(p, body, "template_id", JV_REQUIRED);
	jv_int(p, body, "template_number", JV_OPTIONAL, 1, 10000, &n);
	jv_date(p, body, "due_on", JV_REQUIRED);
	jv_string(p, body, "message", JV_OPTIONAL, 1, 4000);
	jv_bool(p, body, "send", JV_OPTIONAL, &send);
	jv_bool(p, body, "per_engagement", JV_OPTIONAL, &per_engagement);
	for (size_t i = 0; i < 5; i++)
		jv_keep(doc, body, fields[i]);
	json_object_set_new(doc, "send", json_boolean(send));
	json_object_set_new(doc, "per_engagement", json_boolean(per_engagement));
	if ((ids && !json_is_null(ids)) == (filter && !json_is_null(filter))) {
		problem_add_pointer(p, "", "name the vendors either by vendor_ids or by a filter, one of the two");
	} else if (ids && !json_is_null(ids)) {
		check_ids(p, ids);
		json_object_set_new(doc, "selection", json_pack("{s:O}", "vendor_ids", ids));
	} else if (jv_object(p, body, "filter")) {
		json_object_set_new(doc, "selection", json_pack("{s:o}", "filter", check_filter(p, filter)));
	}
	if (problem_error_count(p)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- the work --------------------------------------------------------------- */

struct plan {
	json_t *doc;          /* checked body */
	char number[16];      /* the version sent */
	json_t *content;      /* its content, when sending */
	json_t *results;      /* per vendor (and engagement), in report order */
	json_t *create;       /* [{vendor_id, engagement_id, respondent}] */
	json_t *excluded;     /* "vendor/engagement" -> question set, when sending */
	json_t *skipped;      /* the skipped results, kept with the campaign */
};

static void plan_free(struct plan *pl)
{
	json_decref(pl->doc);
	json_decref(pl->content);
	json_decref(pl->results);
	json_decref(pl->create);
	json_decref(pl->excluded);
	json_decref(pl->skipped);
}

/* The key a result is found by when its assessment comes back. */
static void pair_key(char *out, size_t cap, const char *vendor, const char *engagement)
{
	snprintf(out, cap, "%s/%s", vendor, engagement ? engagement : "");
}

static const char *selection_param(json_t *doc, const char *name, char **text)
{
	json_t *v = json_object_get(json_object_get(doc, "selection"), name);

	*text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	return *text;
}

/* Checks the template, the due date and the size of the selection; the
 * version's number goes to pl->number. Returns 0 or -1 with a problem. */
static int prepare(struct req *r, struct plan *pl, const char *ids, const char *filter)
{
	json_t *number = json_object_get(pl->doc, "template_number");
	const char *params[6] = { r->who.tenant_id, ids, filter,
		json_string_value(json_object_get(pl->doc, "template_id")), NULL,
		json_string_value(json_object_get(pl->doc, "due_on")) };
	struct problem *p = &r->problem;
	PGresult *res = NULL;
	char given[16];
	long count;
	int err;

#define T(col) (!strcmp(PQgetvalue(res, 0, (col)), "t"))
	if (number) {
		snprintf(given, sizeof(given), "%lld", (long long)json_integer_value(number));
		params[4] = given;
	}
	if ((err = db_exec(r->db, &prepare_stmt, 6, params, &res)))
		return req_fail_db(r, err);
	if (!T(P_TPL_FOUND))
		problem_add_pointer(p, "/template_id", "names no questionnaire template of this tenant");
	else if (!T(P_TPL_ACTIVE))
		problem_add_pointer(p, "/template_id", "is archived; restore it to send it");
	else if (PQgetisnull(res, 0, P_NUMBER) && number)
		problem_add_pointer(p, "/template_number", "names no version of this template");
	else if (PQgetisnull(res, 0, P_NUMBER))
		problem_add_pointer(p, "/template_id", "has no published version yet");
	else if (!T(P_PUBLISHED))
		problem_add_pointer(p, "/template_number", "is a draft; only a published version is sent");
	/* a sent assessment's due date must not have passed (as send requires) */
	if (T(P_DUE_PAST))
		problem_add_pointer(p, "/due_on", "must be today or later (Asia/Tokyo)");
	if (!PQgetisnull(res, 0, P_UNKNOWN)) {
		json_t *unknown = json_loads(PQgetvalue(res, 0, P_UNKNOWN), 0, NULL), *i;
		size_t k;

		json_array_foreach(unknown, k, i) {
			char ptr[40];

			snprintf(ptr, sizeof(ptr), "/vendor_ids/%lld", (long long)json_integer_value(i));
			problem_add_pointer(p, ptr, "names no vendor of this tenant");
		}
		json_decref(unknown);
	}
	count = atol(PQgetvalue(res, 0, P_COUNT));
	if (!ids && count > CAMPAIGN_MAX_VENDORS)
		problem_add_pointer(p, "/filter", "matches %ld vendors; a campaign takes at most %d: narrow the filter",
				    count, CAMPAIGN_MAX_VENDORS);
	if (!PQgetisnull(res, 0, P_NUMBER))
		snprintf(pl->number, sizeof(pl->number), "%s", PQgetvalue(res, 0, P_NUMBER));
#undef T
	PQclear(res);
	return problem_error_count(p) ? req_fail_invalid(r) : 0;
}

static int load_content(struct req *r, struct plan *pl)
{
	const char *params[3] = { r->who.tenant_id, json_string_value(json_object_get(pl->doc, "template_id")),
		pl->number };
	PGresult *res = NULL;
	int err;

	if ((err = db_exec(r->db, &content_stmt, 3, params, &res)))
		return req_fail_db(r, err);
	pl->content = PQntuples(res) ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
	PQclear(res);
	return pl->content ? 0 : req_fail(r, 500, "internal", "a stored questionnaire version could not be read");
}

/* Reads every candidate and decides it: skipped with its reason, or to be
 * created (with its question set when sending). */
static int decide(struct req *r, struct plan *pl, const char *ids, const char *filter)
{
	int send = json_is_true(json_object_get(pl->doc, "send"));
	const char *params[6] = { r->who.tenant_id, ids, filter,
		json_string_value(json_object_get(pl->doc, "template_id")),
		json_is_true(json_object_get(pl->doc, "per_engagement")) ? "true" : "false",
		send ? "true" : "false" };
	PGresult *res = NULL;
	int err, n;

	if ((err = db_exec(r->db, &candidates_stmt, 6, params, &res)))
		return req_fail_db(r, err);
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		const char *vendor = PQgetvalue(res, i, C_VENDOR);
		const char *engagement = PQgetisnull(res, i, C_ENGAGEMENT) ? NULL : PQgetvalue(res, i, C_ENGAGEMENT);
		const char *reason = PQgetisnull(res, i, C_REASON) ? NULL : PQgetvalue(res, i, C_REASON);
		json_t *result = json_pack("{s:{s:s, s:s, s:s*}, s:s?}", "vendor", "id", vendor,
					   "name", PQgetvalue(res, i, C_NAME), "external_ref",
					   PQgetisnull(res, i, C_REF) ? NULL : PQgetvalue(res, i, C_REF),
					   "engagement_id", engagement);
		json_t *excluded = NULL;
		char key[96];

		if (!reason && send) {
			json_t *facts = json_loads(PQgetvalue(res, i, C_FACTS), 0, NULL);

			/* the same rule as POST /v1/assessments/{id}/send */
			if (!(excluded = assessments_exclusions(pl->content, facts, NULL)))
				reason = "nothing_applies";
			json_decref(facts);
		}
		if (reason) {
			json_object_set_new(result, "outcome", json_string("skipped"));
			json_object_set_new(result, "reason", json_string(reason));
			json_array_append(pl->skipped, result);
		} else {
			json_object_set_new(result, "outcome", json_string("created"));
			json_array_append_new(pl->create, json_pack("{s:s, s:s?, s:o}", "vendor_id", vendor,
								    "engagement_id", engagement, "respondent",
								    json_loads(PQgetvalue(res, i, C_RESPONDENT), 0, NULL)));
			if (excluded) {
				pair_key(key, sizeof(key), vendor, engagement);
				json_object_set_new(pl->excluded, key, excluded);
			}
		}
		json_array_append_new(pl->results, result);
	}
	PQclear(res);
	return 0;
}

/* Writes the assessments (and sends them): each result gets its
 * assessment's id. */
static int write_assessments(struct req *r, struct plan *pl, const char *campaign, const char *doc,
			     const char *actor)
{
	char *rows = json_dumps(pl->create, JSON_COMPACT), *sends = NULL, key[96];
	const char *params[8] = { r->who.tenant_id, campaign, doc, pl->number, rows, r->who.key_id, actor,
		r->request_id };
	json_t *ids = json_object(), *send = json_array(), *result;
	PGresult *res = NULL;
	size_t i;
	int err, ret = -1;

	if ((err = db_exec(r->db, &insert_assessments_stmt, 8, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	for (int k = 0; k < PQntuples(res); k++) {
		json_t *excluded;

		pair_key(key, sizeof(key), PQgetvalue(res, k, 1), PQgetisnull(res, k, 2) ? NULL : PQgetvalue(res, k, 2));
		json_object_set_new(ids, key, json_string(PQgetvalue(res, k, 0)));
		if ((excluded = json_object_get(pl->excluded, key)))
			json_array_append_new(send, json_pack("{s:s, s:O}", "id", PQgetvalue(res, k, 0),
							      "excluded", excluded));
	}
	json_array_foreach(pl->results, i, result) {
		json_t *vendor = json_object_get(json_object_get(result, "vendor"), "id");

		pair_key(key, sizeof(key), json_string_value(vendor),
			 json_string_value(json_object_get(result, "engagement_id")));
		if (json_object_get(ids, key))
			json_object_set(result, "assessment_id", json_object_get(ids, key));
	}
	if (json_array_size(send)) {
		const char *sparams[6] = { r->who.tenant_id, campaign, NULL, r->who.key_id, actor, r->request_id };

		sends = json_dumps(send, JSON_COMPACT);
		sparams[2] = sends;
		PQclear(res);
		res = NULL;
		if ((err = db_exec(r->db, &send_stmt, 6, sparams, &res))) {
			req_fail_db(r, err);
			goto out;
		}
	}
	ret = 0;
out:
	PQclear(res);
	free(rows);
	free(sends);
	json_decref(ids);
	json_decref(send);
	return ret;
}

/* Two campaigns of one template at once would each miss the other's
 * uncommitted assessments and make a second open one for the same
 * vendor: they take turns, per tenant and template, for the transaction. */
static struct db_stmt serialise_stmt = DB_STMT(
	"select pg_advisory_xact_lock(hashtextextended('itaku.campaign.' || $1 || '.' || $2, 0))");

static int serialise(struct req *r, struct plan *pl)
{
	const char *params[2] = { r->who.tenant_id, json_string_value(json_object_get(pl->doc, "template_id")) };

	return db_exec(r->db, &serialise_stmt, 2, params, NULL);
}

int campaigns_create(struct req *r)
{
	struct plan pl = { 0 };
	char *ids = NULL, *filter = NULL, *doc = NULL, *skipped = NULL, created[16], actor[32], loc[96];
	char campaign[CRYPTO_UUID_LEN] = "";
	const char *params[8];
	json_t *body = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!(pl.doc = check_body(&r->problem, r->body)))
		return req_fail_invalid(r);
	if (!req_db(r))
		goto out;
	pl.results = json_array();
	pl.create = json_array();
	pl.excluded = json_object();
	pl.skipped = json_array();
	selection_param(pl.doc, "vendor_ids", &ids);
	/* the filter's statement parameter is never null, so that a vendor
	 * list by ids reads "no filter" the same way */
	if (!selection_param(pl.doc, "filter", &filter))
		filter = strdup("{}");
	if ((err = db_begin(r->db)) || (err = serialise(r, &pl)) || prepare(r, &pl, ids, filter))
		goto out;
	if (json_is_true(json_object_get(pl.doc, "send")) && load_content(r, &pl))
		goto out;
	if (decide(r, &pl, ids, filter))
		goto out;
	snprintf(actor, sizeof(actor), "api_key:%s", r->who.prefix);
	snprintf(created, sizeof(created), "%zu", json_array_size(pl.create));
	doc = json_dumps(pl.doc, JSON_COMPACT);
	skipped = json_dumps(pl.skipped, JSON_COMPACT);
	params[0] = r->who.tenant_id;
	params[1] = doc;
	params[2] = pl.number;
	params[3] = created;
	params[4] = skipped;
	params[5] = r->who.key_id;
	params[6] = actor;
	params[7] = r->request_id;
	if ((err = db_exec(r->db, &insert_campaign_stmt, 8, params, &res)))
		goto out;
	snprintf(campaign, sizeof(campaign), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if (json_array_size(pl.create) && write_assessments(r, &pl, campaign, doc, actor))
		goto out;
	params[1] = campaign;
	if ((err = db_exec(r->db, &read_stmt, 2, params, &res)))
		goto out;
	body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	json_object_set(body, "results", pl.results);
	snprintf(loc, sizeof(loc), "/v1/assessment-campaigns/%s", campaign);
	req_set_header(r, "Location", loc);
	ret = req_commit_json(r, 201, body, 0);
out:
	PQclear(res);
	free(ids);
	free(filter);
	free(doc);
	free(skipped);
	plan_free(&pl);
	return req_end(r, ret, err);
}
