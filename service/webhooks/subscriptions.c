/*
 * subscriptions.c - webhook subscriptions: create (the secret is shown
 * once), read, edit, delete, rotate the secret, send a test ping.
 *
 * The secret is generated here, never chosen by the client, stored only
 * sealed (webhooks/sealed.h), and never written to the audit trail; an
 * idempotent replay of creating or rotating answers without it
 * (req_secret()).
 */
#include "webhooks/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"
#include "util/crypto.h"
#include "webhooks/sealed.h"
#include "webhooks/signature.h"
#include "webhooks/ssrf.h"

#define EVENTS "incident.reported", "incident.updated", "incident.status_changed", \
	"incident.severity_raised", "incident.ppc_deadline_approaching", \
	"incident.ppc_deadline_missed", "subcontract.requested", "subcontract.decided", \
	"vendor.tier_changed", "questionnaire_template.published", "assessment.sent", \
	"assessment.submitted", "assessment.returned", "assessment.completed", "finding.opened", \
	"finding.overdue", "assessment.reminder_due", "assessment.overdue", "finding.reminder_due", \
	"negotiation.risk_detected", "negotiation.outcome_recorded"
/* A subscription names events or "*"; a ping is only ever sent by the
 * test endpoint, so it is an event name but not something to subscribe to. */
const char *const webhook_event_types[] = { "*", EVENTS, NULL };
const char *const webhook_event_names[] = { "ping", EVENTS, NULL };
#undef EVENTS

static const char *const fields[] = { "url", "event_types", "description", "enabled", NULL };

#define JSON_OUT "webhook_subscription_json(s)::text"

/* $5 the id, chosen here because the sealed secret is bound to it. */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into webhook_subscriptions as s (tenant_id, id, url, event_types, description, enabled,"
	"       disabled_at, disabled_reason, secret, created_by, updated_by)"
	" select $1, $5, d ->> 'url', array(select jsonb_array_elements_text(d -> 'event_types')),"
	"        d ->> 'description', (d ->> 'enabled')::boolean,"
	"        case when not (d ->> 'enabled')::boolean then now() end,"
	"        case when not (d ->> 'enabled')::boolean then 'created disabled' end, $2, $3, $3"
	"   from (select $4::jsonb as d) x"
	" returning id, version, " JSON_OUT);
static struct db_stmt get_stmt = DB_STMT(
	"select version, " JSON_OUT " from webhook_subscriptions s where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " JSON_OUT ", $3::int[] is null or version = any($3::int[])"
	"  from webhook_subscriptions s where tenant_id = $1 and id = $2 for update");
/* Turning a subscription off records when and why; turning it on clears
 * that, and the deliveries held meanwhile go out. */
static struct db_stmt update_stmt = DB_STMT(
	"update webhook_subscriptions s set url = d ->> 'url',"
	"       event_types = array(select jsonb_array_elements_text(d -> 'event_types')),"
	"       description = d ->> 'description', enabled = (d ->> 'enabled')::boolean,"
	"       disabled_at = case when (d ->> 'enabled')::boolean then null"
	"                          when s.enabled then now() else s.disabled_at end,"
	"       disabled_reason = case when (d ->> 'enabled')::boolean then null"
	"                              when s.enabled then 'disabled through the API'"
	"                              else s.disabled_reason end,"
	"       updated_by = $4, version = version + 1, updated_at = now()"
	"  from (select $3::jsonb as d) x where tenant_id = $1 and id = $2"
	" returning id, version, " JSON_OUT);
static struct db_stmt remove_stmt = DB_STMT(
	"delete from webhook_subscriptions where tenant_id = $1 and id = $2");

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : json_pack("{s:n, s:b}", "description", "enabled", 1);
	json_t *types;
	const char *url;
	char why[200];
	int on;

	jv_only(p, patch, fields);
	json_object_update(doc, patch);
	url = jv_string(p, doc, "url", JV_REQUIRED, 10, 2000);
	/* Syntax only here; where the host points is checked by the caller,
	 * which knows whether private targets are allowed. */
	if (url && ssrf_url_check(url, 1, why, sizeof(why)))
		problem_add_pointer(p, "/url", "%s", why);
	types = json_object_get(doc, "event_types");
	if (!types || json_is_null(types))
		problem_add_pointer(p, "/event_types", "required: a list of event types, or [\"*\"]");
	else if (jv_strings(p, doc, "event_types", 22, 1, 64, webhook_event_types) &&
		 json_array_size(types) == 0)
		problem_add_pointer(p, "/event_types", "must name at least one event type, or \"*\"");
	jv_string(p, doc, "description", JV_OPTIONAL, 1, 500);
	if (!json_is_null(json_object_get(doc, "enabled")))
		jv_bool(p, doc, "enabled", JV_OPTIONAL, &on);
	else
		json_object_set_new(doc, "enabled", json_true());
	if (problem_error_count(p)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource subscription = {
	.type = "webhook_subscription",
	.path = "/v1/webhook-subscriptions/",
	.fields = fields,
	.merge = merge,
	.get = &get_stmt,
	.lock = &lock_stmt,
	.update = &update_stmt,
	.remove = &remove_stmt,
};

/* Where the URL's host points, unless configuration allows private nets.
 * Returns 0, or -1 with a 422 on r. */
static int check_target(struct req *r, json_t *body)
{
	const char *url = json_string_value(json_object_get(body, "url"));
	char why[200];

	if (!url || r->app->cfg.webhook_allow_private || !ssrf_url_check(url, 0, why, sizeof(why)))
		return 0;
	problem_add_pointer(&r->problem, "/url", "%s", why);
	return req_fail_invalid(r);
}

/* A new secret for subscription id, and its sealed form for the
 * database. Returns 0, or -1 with the problem set on r. */
static int new_secret(struct req *r, const char *id, char secret[WEBHOOK_SECRET_MAX],
		      char sealed[SEALED_MAX])
{
	if (r->app->cfg.n_secret_keys == 0)
		return req_fail(r, 503, "secret-key-missing",
				"webhook signing secrets cannot be stored: the server has no ITAKU_SECRET_KEY "
				"to seal them with");
	if (webhook_secret_generate(secret) ||
	    sealed_make(&r->app->cfg, r->who.tenant_id, id, secret, sealed))
		return req_fail(r, 500, "internal", "the system random generator failed");
	return 0;
}

/* The subscription's JSON with the secret, shown this once. */
static int answer_with_secret(struct req *r, int status, const char *json, const char *secret)
{
	json_t *out = json_loads(json, 0, NULL);

	json_object_set_new(out, "secret", json_string(secret));
	req_secret(r, "secret");
	return req_json(r, status, out);
}

int webhook_subscriptions_create(struct req *r)
{
	char secret[WEBHOOK_SECRET_MAX], sealed[SEALED_MAX], id[CRYPTO_UUID_LEN], *text = NULL, loc[96];
	const char *params[5];
	json_t *doc, *out = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!(doc = merge(&r->problem, NULL, r->body)))
		return req_fail_invalid(r);
	if (check_target(r, doc))
		goto out;
	if (crypto_uuid(id)) {
		req_fail(r, 500, "internal", "the system random generator failed");
		goto out;
	}
	if (new_secret(r, id, secret, sealed) || !req_db(r))
		goto out;
	text = json_dumps(doc, JSON_COMPACT);
	params[0] = r->who.tenant_id;
	params[1] = sealed;
	params[2] = r->who.key_id;
	params[3] = text;
	params[4] = id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &insert_stmt, 5, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	if ((err = req_audit(r, "webhook_subscription.created", "webhook_subscription",
				PQgetvalue(res, 0, 0), NULL, out)) ||
	    req_commit(r, atol(PQgetvalue(res, 0, 1))))
		goto out;
	snprintf(loc, sizeof(loc), "/v1/webhook-subscriptions/%s", PQgetvalue(res, 0, 0));
	req_set_header(r, "Location", loc);
	ret = answer_with_secret(r, 201, PQgetvalue(res, 0, 2), secret);
out:
	explicit_bzero(secret, sizeof(secret));
	json_decref(doc);
	json_decref(out);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}

/* $3 enabled (a disabled one has stopped receiving: dead deliveries or by hand) */
static struct db_stmt list_stmt = DB_STMT(
	"select s.created_at::text, s.id::text, " JSON_OUT " from webhook_subscriptions s"
	" where s.tenant_id = $1 and $2::uuid is null"
	"   and ($3::boolean is null or s.enabled = $3::boolean)"
	"   and ($4::timestamptz is null or (s.created_at, s.id) > ($4::timestamptz, $5::uuid))"
	" order by s.created_at, s.id limit $6");

int webhook_subscriptions_list(struct req *r)
{
	const char *params[6];
	int enabled = query_bool(r, "enabled");

	if (query_fail(r))
		return -1;
	params[2] = enabled < 0 ? NULL : enabled ? "true" : "false";
	return resource_list(r, NULL, NULL, NULL, &list_stmt, 6, params);
}

int webhook_subscriptions_get(struct req *r)
{
	return resource_get(r, &subscription);
}

int webhook_subscriptions_update(struct req *r)
{
	if (check_target(r, r->body))
		return -1;
	return resource_update(r, &subscription);
}

int webhook_subscriptions_delete(struct req *r)
{
	return resource_delete(r, &subscription);
}

static struct db_stmt rotate_stmt = DB_STMT(
	"update webhook_subscriptions s set"
	"       previous_secret = case when $3::int > 0 then s.secret end,"
	"       previous_secret_expires_at = case when $3::int > 0"
	"                                         then now() + make_interval(hours => $3::int) end,"
	"       secret = $4, secret_rotated_at = now(), updated_by = $5, version = version + 1,"
	"       updated_at = now()"
	" where tenant_id = $1 and id = $2 returning version, " JSON_OUT);

/* The old secret keeps signing (next to the new one) for the overlap, so
 * receivers can switch without losing a delivery. */
int webhook_subscriptions_rotate(struct req *r)
{
	static const char *const keys[] = { "overlap_hours", NULL };
	const char *id = req_param_uuid(r, "id", "webhook_subscription");
	char secret[WEBHOOK_SECRET_MAX], sealed[SEALED_MAX], hours[16];
	const char *params[5];
	json_t *before = NULL, *after = NULL;
	PGresult *res = NULL;
	long long overlap = 24;
	int err = 0, ret = -1;

	if (!id)
		return -1;
	if (r->body) {
		jv_only(&r->problem, r->body, keys);
		jv_int(&r->problem, r->body, "overlap_hours", JV_OPTIONAL, 0, 168, &overlap);
		if (problem_error_count(&r->problem))
			return req_fail_invalid(r);
	}
	if (new_secret(r, id, secret, sealed) || !req_db(r))
		return -1;
	snprintf(hours, sizeof(hours), "%lld", overlap);
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = hours;
	params[3] = sealed;
	params[4] = r->who.key_id;
	if ((err = db_begin(r->db)) || resource_lock(r, &subscription, id, &before) ||
	    (err = db_exec(r->db, &rotate_stmt, 5, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "webhook_subscription.secret_rotated", "webhook_subscription", id,
				before, after)) ||
	    req_commit(r, atol(PQgetvalue(res, 0, 0))))
		goto out;
	ret = answer_with_secret(r, 200, PQgetvalue(res, 0, 1), secret);
out:
	explicit_bzero(secret, sizeof(secret));
	json_decref(before);
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}

static struct db_stmt ping_stmt = DB_STMT(
	"select webhook_emit($1, 'ping', $2, jsonb_build_object('subscription_id', $2::uuid,"
	"       'message', 'A test event sent on request; it needs no action.'), $2)::text");
static struct db_stmt ping_delivery_stmt = DB_STMT(
	"select webhook_delivery_json(d)::text from webhook_deliveries d"
	" where tenant_id = $1 and event_id = $2");

/* A ping goes to this subscription alone, whatever its event types. */
int webhook_subscriptions_test(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "webhook_subscription");
	const char *params[2];
	json_t *current = NULL;
	PGresult *res = NULL, *delivery = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || resource_lock(r, &subscription, id, &current))
		goto out;
	if (!json_is_true(json_object_get(current, "enabled"))) {
		req_fail(r, 409, "subscription-disabled",
			 "the subscription is disabled; enable it before sending a test event");
		goto out;
	}
	if ((err = db_exec(r->db, &ping_stmt, 2, params, &res)))
		goto out;
	params[1] = PQgetvalue(res, 0, 0);
	if ((err = db_exec(r->db, &ping_delivery_stmt, 2, params, &delivery)))
		goto out;
	ret = req_commit_text(r, 202, PQgetvalue(delivery, 0, 0), 0);
out:
	json_decref(current);
	PQclear(res);
	PQclear(delivery);
	return req_end(r, ret, err);
}
