/*
 * deliveries.c - what happened to each event at each subscription: the
 * list, one delivery with its attempts, and redelivery.
 */
#include "webhooks/deliveries.h"
#include "webhooks/webhooks.h"

#include <string.h>
#include "http/query.h"
#include "http/req.h"
#include "http/resource.h"

static const char *const statuses[] = { "pending", "succeeded", "dead", NULL };

#define JSON_OUT "webhook_delivery_json(d)::text"

/* $3 subscription, $4 status[], $5 event id, $6 event type */
static struct db_stmt list_stmt = DB_STMT(
	"select d.created_at::text, d.id::text, " JSON_OUT " from webhook_deliveries d"
	" where d.tenant_id = $1 and $2::uuid is null"
	"   and ($3::uuid is null or d.subscription_id = $3::uuid)"
	"   and ($4::text[] is null or d.status = any($4::text[]))"
	"   and ($5::uuid is null or d.event_id = $5::uuid)"
	"   and ($6::text is null or exists (select 1 from webhook_events e"
	"        where e.tenant_id = d.tenant_id and e.id = d.event_id and e.type = $6::text))"
	"   and ($7::timestamptz is null or (d.created_at, d.id) > ($7::timestamptz, $8::uuid))"
	" order by d.created_at, d.id limit $9");

int webhook_deliveries_list(struct req *r)
{
	char status[48];
	const char *params[9];

	params[2] = query_uuid(r, "subscription_id");
	query_enum_list(r, "status", statuses, status, sizeof(status));
	params[4] = query_uuid(r, "event_id");
	params[5] = query_enum(r, "event_type", webhook_event_names);
	if (query_fail(r))
		return -1;
	params[3] = status[0] ? status : NULL;
	return resource_list(r, NULL, NULL, NULL, &list_stmt, 9, params);
}

static struct db_stmt get_stmt = DB_STMT(
	"select " JSON_OUT " from webhook_deliveries d where tenant_id = $1 and id = $2");

/* A delivery has no version, so its answer has no ETag. */
static const struct resource delivery = { .type = "webhook delivery", .get = &get_stmt };

int webhook_deliveries_get(struct req *r)
{
	return resource_get(r, &delivery);
}

/* The same event (so the same webhook-id, which lets receivers spot a
 * repeat) as a new delivery with a fresh attempt count. The event is
 * locked first: retention (webhook_prune) locks events before deleting
 * them and skips locked ones, so either this redelivery keeps the event,
 * or the pruning went first and the delivery is gone (404), never a
 * redelivery of a vanishing event. */
static struct db_stmt redeliver_stmt = DB_STMT(
	"with o as (select d.tenant_id, d.event_id, d.subscription_id, d.id, s.enabled"
	"             from webhook_deliveries d join webhook_subscriptions s"
	"               on s.tenant_id = d.tenant_id and s.id = d.subscription_id"
	"             join webhook_events e on e.tenant_id = d.tenant_id and e.id = d.event_id"
	"            where d.tenant_id = $1 and d.id = $2 for key share of e),"
	" n as (insert into webhook_deliveries as d (tenant_id, event_id, subscription_id, redelivery_of)"
	"       select tenant_id, event_id, subscription_id, id from o where enabled"
	"       returning d.id)"
	" select o.enabled, (select n.id from n), pg_notify('itaku_webhooks', '') from o");

int webhook_deliveries_redeliver(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "webhook delivery");
	const char *params[2];
	json_t *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &redeliver_stmt, 2, params, &res)))
		goto out;
	if (PQntuples(res) == 0) {
		req_fail(r, 404, "not-found", "no webhook delivery with this id");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		req_fail(r, 409, "subscription-disabled",
			 "the delivery's subscription is disabled; enable it before redelivering");
		goto out;
	}
	params[1] = PQgetvalue(res, 0, 1);
	{
		PGresult *d = NULL;

		if ((err = db_exec(r->db, &get_stmt, 2, params, &d)))
			goto out;
		after = json_loads(PQgetvalue(d, 0, 0), 0, NULL);
		PQclear(d);
	}
	if ((err = req_audit(r, "webhook_delivery.redelivered", "webhook_delivery",
				params[1], NULL, after)))
		goto out;
	ret = req_commit_json(r, 202, after, 0);
	after = NULL;
out:
	json_decref(after);
	PQclear(res);
	return req_end(r, ret, err);
}
