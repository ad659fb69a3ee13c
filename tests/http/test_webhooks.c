/* HTTP: webhook subscriptions and delivery, with a real receiver.
 *
 * Signatures are checked with the openssl command (not our signing code),
 * events arrive for incidents, subcontracts and vendor tiers, retries follow
 * the schedule and Retry-After, 410 disables, the last failure is dead, an
 * event survives a restart with the receiver down, two processes share the
 * outbox without sending an event twice, and PPC deadline alerts fire once
 * per deadline. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"

static struct itk t;
static struct receiver rv;

#define PRIVATE "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* Subscribes the receiver to types (a JSON array); fills id and secret. */
static void subscribe(const char *types, char id[40], char secret[100])
{
	char body[256];
	struct http *h;

	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":%s}",
		 rv.port, types);
	h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(id, 40, "%s", jstr(h, "id"));
	snprintf(secret, 100, "%s", jstr(h, "secret"));
	http_free(h);
}

/* Verifies signature sig ("v1,...") of a received request with openssl:
 * HMAC-SHA256 keyed with the base64-decoded secret over id.timestamp.body. */
static int openssl_verifies(const struct received *r, const char *secret, const char *sig)
{
	char path[] = "/tmp/itaku-webhook-XXXXXX", cmd[512], out[128];
	int fd = mkstemp(path), ok;
	FILE *f, *p;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "%s.%s.", r->id, r->timestamp);
	fwrite(r->body, 1, r->len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%%s' '%s' | base64 -d | "
		 "od -An -tx1 | tr -d ' \\n') -binary %s | base64", secret + 6, path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	pclose(p);
	unlink(path);
	out[strcspn(out, "\n")] = '\0';
	ok = strncmp(sig, "v1,", 3) == 0 && strlen(sig) == 3 + strlen(out) &&
	     strncmp(sig + 3, out, strlen(out)) == 0;
	return ok;
}

static json_t *body_json(const struct received *r)
{
	json_t *j = json_loads(r->body, 0, NULL);

	ck_assert_msg(j != NULL, "body is not JSON: %s", r->body);
	return j;
}

static const char *body_type(const struct received *r, char out[64])
{
	json_t *j = body_json(r);

	snprintf(out, 64, "%s", json_string_value(json_object_get(j, "type")));
	json_decref(j);
	return out;
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

/* Polls sql (one parameter) until it returns want, up to ms. */
static int wait_sql(const char *sql, const char *p1, const char *want, int ms)
{
	for (int waited = 0; waited <= ms; waited += 50) {
		char *v = sql1(sql, p1);
		int same = strcmp(v, want) == 0;

		free(v);
		if (same)
			return 1;
		usleep(50000);
	}
	return 0;
}

static struct http *ping(const char *sub)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/test", sub);
	return http_do(&t, "POST", path, t.admin_key, NULL, NULL);
}

START_TEST(subscriptions_are_managed_and_checked)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_WORKERS=0", ITK_SECRET_KEY_ENV, NULL };
	static const char *const bad[][3] = {
		{ "{\"event_types\":[\"*\"]}", "/url", "" },
		{ "{\"url\":\"nope\"}", "/event_types", "required" },
		{ "{\"url\":\"ftp://files.example.com/x\",\"event_types\":[\"*\"]}", "/url", "http" },
		{ "{\"url\":\"http://127.0.0.1:9/x\",\"event_types\":[\"*\"]}", "/url", "private" },
		{ "{\"url\":\"http://169.254.169.254/latest/meta-data\",\"event_types\":[\"*\"]}", "/url", "link-local" },
		{ "{\"url\":\"http://[::1]:8080/x\",\"event_types\":[\"*\"]}", "/url", "loopback" },
		{ "{\"url\":\"http://10.1.2.3/x\",\"event_types\":[\"*\"]}", "/url", "private" },
		{ "{\"url\":\"http://u:p@8.8.8.8/x\",\"event_types\":[\"*\"]}", "/url", "user" },
		{ "{\"url\":\"https://8.8.8.8/x\",\"event_types\":[\"incident.exploded\"]}", "/event_types", "" },
		{ "{\"url\":\"https://8.8.8.8/x\",\"event_types\":[]}", "/event_types", "" },
		{ "{\"url\":\"https://8.8.8.8/x\",\"event_types\":[\"*\"],\"secret\":\"whsec_x\"}", "/secret", "" },
	};
	char sub[40], secret[100], path[96], *v;
	struct http *h;

	itk_setup(&t, "webhooks_manage", env);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key, bad[i][0], NULL);
		ck_problem(h, 422, "validation-failed");
		ck_assert_msg(strstr(h->body, bad[i][1]) && strstr(h->body, bad[i][2]), "%s -> %s",
			      bad[i][0], h->body);
		http_free(h);
	}
	v = sql1("select count(*) from webhook_subscriptions", NULL);
	ck_assert_str_eq(v, "0");
	free(v);

	/* A public address literal needs no DNS. */
	h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key,
		    "{\"url\":\"https://8.8.8.8/hooks\",\"event_types\":[\"incident.reported\",\"vendor.tier_changed\"],"
		    "\"description\":\"SOC の受信口\"}", NULL);
	ck_status(h, 201);
	snprintf(sub, sizeof(sub), "%s", jstr(h, "id"));
	snprintf(secret, sizeof(secret), "%s", jstr(h, "secret"));
	ck_assert(strncmp(secret, "whsec_", 6) == 0 && strlen(secret) == 6 + 44);
	ck_assert_ptr_nonnull(strstr(http_header(h, "Location"), sub));
	ck_assert(json_is_true(json_object_get(h->json, "enabled")));
	http_free(h);

	/* The secret is shown once: not on reads, not in the audit trail. */
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s", sub);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_ptr_null(strstr(h->body, "whsec_"));
	http_free(h);
	h = http_do(&t, "GET", "/v1/webhook-subscriptions", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_ptr_null(strstr(h->body, "whsec_"));
	http_free(h);
	v = sql1("select count(*) from audit_events where action like 'webhook_subscription.%'"
		 " and coalesce(after::text, '') not like '%whsec_%'", NULL);
	ck_assert_str_eq(v, "1");
	free(v);

	/* Edits: a private URL is refused there too; off and on again. */
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"url\":\"http://192.168.1.10/x\"}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"enabled\":false}", NULL);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "disabled_reason"), "disabled through the API");
	http_free(h);
	h = ping(sub);
	ck_problem(h, 409, "subscription-disabled");
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"enabled\":true,\"event_types\":[\"*\"]}", NULL);
	ck_status(h, 200);
	ck_assert(json_is_null(json_object_get(h->json, "disabled_reason")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(h->json, "event_types"), 0)), "*");
	http_free(h);

	/* Rotation: a new secret, the old one kept for the overlap only. */
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/rotate-secret", sub);
	h = http_do(&t, "POST", path, t.admin_key, "{\"overlap_hours\":500}", NULL);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = http_do(&t, "POST", path, t.admin_key, "{\"overlap_hours\":2}", NULL);
	ck_status(h, 200);
	ck_assert(strncmp(jstr(h, "secret"), "whsec_", 6) == 0);
	ck_assert_str_ne(jstr(h, "secret"), secret);
	ck_assert(json_is_string(json_object_get(h->json, "previous_secret_expires_at")));
	http_free(h);
	/* Both are stored sealed (test_webhook_secrets.c opens them). */
	v = sql1("select previous_secret like 'itk1:test:%' and secret like 'itk1:test:%'"
		 " and previous_secret <> secret and strpos(secret || previous_secret, $1) = 0"
		 " and previous_secret_expires_at > now() + interval '119 minutes'"
		 " from webhook_subscriptions", secret);
	ck_assert_str_eq(v, "t");
	free(v);

	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s", sub);
	h = http_do(&t, "DELETE", path, t.admin_key, NULL, NULL);
	ck_status(h, 204);
	http_free(h);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = http_do(&t, "GET", "/v1/webhook-deliveries?status=lost", t.admin_key, NULL, NULL);
	ck_problem(h, 400, NULL);
	http_free(h);
	itk_teardown(&t);
}
END_TEST

START_TEST(events_are_signed_and_delivered)
{
	static const char *const env[] = { PRIVATE, NULL };
	static const char *const want[] = { "incident.reported", "incident.severity_raised",
		"incident.updated", "incident.status_changed", "subcontract.requested",
		"subcontract.decided", "vendor.tier_changed", NULL };
	char sub[40], secret[100], tiers[40], tsec[100], v1[40], v2[40], eng[40], inc[40], link[40];
	char path[128], body[1024], type[64];
	struct http *h;
	time_t now = time(NULL);
	int n;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhooks_events", env);

	post_id("/v1/vendors", "{\"name\":\"みなと情報処理\"}", v1);
	post_id("/v1/vendors", "{\"name\":\"東西印刷\"}", v2);
	snprintf(path, sizeof(path), "/v1/vendors/%s/engagements", v1);
	post_id(path, "{\"title\":\"給与計算\",\"contract_type\":\"inin\",\"category\":\"data_processing\","
		      "\"handles_personal_data\":true,\"confidentiality\":3,\"subcontracting\":\"allowed\","
		      "\"subcontract_max_depth\":2}", eng);
	/* Subscribed only now: the engagement above moved v1's tier. */
	subscribe("[\"*\"]", sub, secret);
	subscribe("[\"vendor.tier_changed\"]", tiers, tsec);
	snprintf(path, sizeof(path), "/v1/engagements/%s/subcontracts", eng);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"scope\":\"印刷\",\"reason\":\"設備\","
		 "\"confidentiality\":2,\"personal_data\":true,\"flow_down\":{\"equal_obligations\":true,"
		 "\"equal_obligations_ref\":\"覚書\",\"direct_incident_notice\":true,"
		 "\"recurrence_prevention\":true,\"status_reports_visible\":true,\"return_or_erasure\":true}}", v2);
	post_id(path, body, link);
	snprintf(path, sizeof(path), "/v1/subcontracts/%s/approve", link);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"engagement_id\":\"%s\",\"title\":\"誤送信\","
		 "\"category\":\"leak\",\"severity\":\"medium\",\"detected_at\":\"2026-11-02T09:00:00+09:00\","
		 "\"appi\":{\"personal_data\":\"yes\",\"over_1000_people\":\"yes\"}}", v2, eng);
	post_id("/v1/incidents", body, inc);
	snprintf(path, sizeof(path), "/v1/incidents/%s", inc);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"severity\":\"critical\",\"assignee\":\"佐藤\"}", NULL);
	ck_status(h, 200);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/incidents/%s/status", inc);
	h = http_do(&t, "POST", path, t.admin_key, "{\"status\":\"investigating\"}", NULL);
	ck_status(h, 200);
	http_free(h);
	snprintf(path, sizeof(path), "/v1/vendors/%s/risk-override", v2);
	h = http_do(&t, "PUT", path, t.admin_key, "{\"tier\":\"high\",\"reason\":\"事故の発生\"}", NULL);
	ck_status(h, 200);
	http_free(h);

	/* Seven events to "*" and the tier change once more to its own. */
	n = receiver_wait(&rv, 8, 10000);
	ck_assert_int_eq(n, 8);
	for (int i = 0; want[i]; i++) {
		int seen = 0;

		for (int k = 0; k < rv.n; k++)
			seen += strcmp(body_type(&rv.got[k], type), want[i]) == 0;
		ck_assert_msg(seen == (strcmp(want[i], "vendor.tier_changed") ? 1 : 2), "%s arrived %d times",
			      want[i], seen);
	}
	for (int k = 0; k < rv.n; k++) {
		struct received *r = &rv.got[k];
		json_t *j = body_json(r), *data = json_object_get(j, "data");
		char *eid = sql1("select id::text from webhook_events where id::text = $1", r->id);
		int to_tiers = !strcmp(body_type(r, type), "vendor.tier_changed") &&
			       wait_sql("select count(*) from webhook_deliveries where event_id::text = $1"
					" and status = 'succeeded'", r->id, "2", 2000);

		ck_assert_str_eq(eid, r->id);              /* webhook-id is the event id */
		free(eid);
		ck_assert_str_eq(r->content_type, "application/json");
		ck_assert(llabs(atoll(r->timestamp) - (long long)now) < 120);
		ck_assert(r->len < 20480);
		ck_assert(json_is_string(json_object_get(j, "timestamp")));
		ck_assert(json_is_object(data));
		/* Which subscription got it is not in the request: try both secrets. */
		ck_assert_msg(openssl_verifies(r, secret, r->signature) ||
			      (to_tiers && openssl_verifies(r, tsec, r->signature)),
			      "signature %s does not verify for %s", r->signature, r->body);
		if (!strcmp(type, "incident.reported")) {
			json_t *path_j = json_object_get(data, "path");

			ck_assert_str_eq(json_string_value(json_object_get(data, "id")), inc);
			ck_assert_int_eq(json_array_size(path_j), 2);
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(path_j, 0), "name")),
					 "みなと情報処理");
			ck_assert(json_is_true(json_object_get(json_object_get(data, "ppc"), "reportable")));
		}
		if (!strcmp(type, "incident.severity_raised")) {
			ck_assert_str_eq(json_string_value(json_object_get(data, "from")), "medium");
			ck_assert_str_eq(json_string_value(json_object_get(data, "to")), "critical");
		}
		if (!strcmp(type, "incident.updated"))
			ck_assert_str_eq(json_string_value(json_array_get(json_object_get(data, "changed"), 0)),
					 "assignee");
		if (!strcmp(type, "subcontract.decided"))
			ck_assert_str_eq(json_string_value(json_object_get(data, "status")), "approved");
		if (!strcmp(type, "vendor.tier_changed"))
			ck_assert_str_eq(json_string_value(json_object_get(data, "to")), "high");
		json_decref(j);
	}

	/* During a rotation's overlap both signatures travel, each valid. */
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/rotate-secret", sub);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 200);
	{
		char fresh[100], first[64], second[64];
		struct http *p;

		snprintf(fresh, sizeof(fresh), "%s", jstr(h, "secret"));
		p = ping(sub);
		ck_status(p, 202);
		ck_assert_str_eq(jstr(p, "event_type"), "ping");
		http_free(p);
		ck_assert_int_eq(receiver_wait(&rv, 9, 10000), 9);
		ck_assert_int_eq(sscanf(rv.got[8].signature, "%63s %63s", first, second), 2);
		ck_assert(openssl_verifies(&rv.got[8], fresh, first));
		ck_assert(openssl_verifies(&rv.got[8], secret, second));
		ck_assert(!openssl_verifies(&rv.got[8], secret, first));
		ck_assert_str_eq(body_type(&rv.got[8], type), "ping");
	}
	http_free(h);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

static struct http *get_delivery(const char *id)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/webhook-deliveries/%s", id);
	return http_do(&t, "GET", path, t.admin_key, NULL, NULL);
}

START_TEST(retries_follow_the_schedule_and_the_receiver)
{
	static const char *const env[] = { PRIVATE, "ITAKU_WEBHOOK_SCHEDULE=1s,1s", NULL };
	char sub[40], secret[100], event[40], del[40], path[128];
	struct http *h;
	json_t *log;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhooks_retry", env);
	subscribe("[\"incident.reported\"]", sub, secret);

	/* 500, then 200: the same webhook-id twice, succeeded on attempt 2. */
	receiver_script(&rv, 500, 0);
	h = ping(sub);
	ck_status(h, 202);
	snprintf(event, sizeof(event), "%s", jstr(h, "event_id"));
	snprintf(del, sizeof(del), "%s", jstr(h, "id"));
	http_free(h);
	ck_assert_int_eq(receiver_wait(&rv, 2, 10000), 2);
	ck_assert_int_eq(receiver_count_id(&rv, event), 2);
	ck_assert(wait_sql("select status from webhook_deliveries where id::text = $1", del, "succeeded", 5000));
	h = get_delivery(del);
	ck_status(h, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "attempts")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "last_status")), 200);
	log = json_object_get(h->json, "attempt_log");
	ck_assert_int_eq(json_array_size(log), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(log, 0), "status")), 500);
	http_free(h);

	/* 503 with Retry-After: 3 waits 3 s, not the schedule's 1 s. */
	receiver_script(&rv, 503, 3);
	h = ping(sub);
	snprintf(event, sizeof(event), "%s", jstr(h, "event_id"));
	snprintf(del, sizeof(del), "%s", jstr(h, "id"));
	http_free(h);
	ck_assert_int_eq(receiver_wait(&rv, 3, 10000), 3);
	ck_assert(wait_sql("select last_status from webhook_deliveries where id::text = $1", del, "503", 5000));
	{
		char *gap = sql1("select extract(epoch from next_attempt_at - last_attempt_at)::int::text"
				 " from webhook_deliveries where id::text = $1", del);

		ck_assert_msg(atoi(gap) >= 3, "retry planned after %s s", gap);
		free(gap);
	}
	ck_assert(wait_sql("select status from webhook_deliveries where id::text = $1", del, "succeeded", 10000));

	/* Failing every time: three attempts (the first and two retries), then dead. */
	rv.default_status = 500;
	h = ping(sub);
	snprintf(event, sizeof(event), "%s", jstr(h, "event_id"));
	snprintf(del, sizeof(del), "%s", jstr(h, "id"));
	http_free(h);
	ck_assert(wait_sql("select status from webhook_deliveries where id::text = $1", del, "dead", 15000));
	ck_assert_int_eq(receiver_count_id(&rv, event), 3);
	h = http_do(&t, "GET", "/v1/webhook-deliveries?status=dead&event_type=ping", t.admin_key, NULL, NULL);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(h->json, "items"), 0),
							    "attempts")), 3);
	http_free(h);
	/* This process's counters: 500, 503 and two 500s retried; two succeeded; one dead. */
	h = http_do(&t, "GET", "/metrics", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_webhook_attempts_total{outcome=\"succeeded\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_webhook_attempts_total{outcome=\"retry\"} 4\n"));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_webhook_attempts_total{outcome=\"dead\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(h->body, "itaku_webhook_dispatcher_threads 2\n"));
	http_free(h);

	/* Redelivery: a new delivery of the same event, so the same webhook-id. */
	rv.default_status = 200;
	snprintf(path, sizeof(path), "/v1/webhook-deliveries/%s/redeliver", del);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 202);
	ck_assert_str_eq(jstr(h, "redelivery_of"), del);
	ck_assert_str_eq(jstr(h, "event_id"), event);
	http_free(h);
	ck_assert(wait_sql("select count(*) from webhook_deliveries where event_id::text = $1"
			   " and status = 'succeeded'", event, "1", 10000));
	ck_assert_int_eq(receiver_count_id(&rv, event), 4);
	snprintf(path, sizeof(path), "/v1/webhook-deliveries?event_id=%s", event);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 2);
	http_free(h);

	/* 410 Gone: the delivery is dead and the subscription turned off. */
	receiver_script(&rv, 410, 0);
	h = ping(sub);
	snprintf(del, sizeof(del), "%s", jstr(h, "id"));
	http_free(h);
	ck_assert(wait_sql("select status from webhook_deliveries where id::text = $1", del, "dead", 10000));
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s", sub);
	h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
	ck_assert(json_is_false(json_object_get(h->json, "enabled")));
	ck_assert_ptr_nonnull(strstr(jstr(h, "disabled_reason"), "410"));
	http_free(h);
	{
		char *actor = sql1("select actor from audit_events where action = 'webhook_subscription.disabled'"
				   " and resource_id = $1", sub);

		ck_assert_str_eq(actor, "webhook_dispatcher");
		free(actor);
	}
	snprintf(path, sizeof(path), "/v1/webhook-deliveries/%s/redeliver", del);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_problem(h, 409, "subscription-disabled");
	http_free(h);
	h = http_do(&t, "POST", "/v1/webhook-deliveries/00000000-0000-4000-8000-000000000000/redeliver",
		    t.admin_key, NULL, NULL);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* Turned off mid-retry, a delivery is held; turned on, it goes at once. */
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s", sub);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"enabled\":true}", NULL);
	ck_status(h, 200);
	http_free(h);
	receiver_script(&rv, 503, 30);
	h = ping(sub);
	snprintf(event, sizeof(event), "%s", jstr(h, "event_id"));
	snprintf(del, sizeof(del), "%s", jstr(h, "id"));
	http_free(h);
	ck_assert(wait_sql("select attempts::text || status from webhook_deliveries where id::text = $1", del,
			   "1pending", 10000));
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"enabled\":false}", NULL);
	ck_status(h, 200);
	http_free(h);
	h = get_delivery(del);
	ck_assert_str_eq(jstr(h, "status"), "pending");
	ck_assert(json_is_null(json_object_get(h->json, "next_attempt_at")));
	http_free(h);
	h = http_do(&t, "PATCH", path, t.admin_key, "{\"enabled\":true}", NULL);
	ck_status(h, 200);
	http_free(h);
	ck_assert(wait_sql("select status from webhook_deliveries where id::text = $1", del, "succeeded", 10000));
	ck_assert_int_eq(receiver_count_id(&rv, event), 2);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

static void file_incident(const char *vendor, const char *detected, char out[40])
{
	char body[512];

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"title\":\"顧客名簿の持ち出し\","
		 "\"category\":\"misuse_beyond_purpose\",\"severity\":\"high\",\"detected_at\":\"%s\","
		 "\"appi\":{\"personal_data\":\"yes\",\"wrongful_purpose\":\"yes\"}}", vendor, detected);
	post_id("/v1/incidents", body, out);
}

START_TEST(no_event_is_lost_across_a_restart)
{
	static const char *const env[] = { PRIVATE, "ITAKU_WEBHOOK_SCHEDULE=1s,1s,1s,1s,1s,1s,1s,1s", NULL };
	char sub[40], secret[100], vendor[40], inc[40], event[40], *v;
	int port;

	/* Learn a free port, then leave it closed: the receiver is down. */
	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	port = rv.port;
	itk_setup(&t, "webhooks_restart", env);
	subscribe("[\"incident.reported\"]", sub, secret);
	receiver_stop(&rv);

	post_id("/v1/vendors", "{\"name\":\"北港データ\"}", vendor);
	file_incident(vendor, "2026-11-02T09:00:00+09:00", inc);
	v = sql1("select id::text from webhook_events where resource_id::text = $1", inc);
	snprintf(event, sizeof(event), "%s", v);
	free(v);
	ck_assert(wait_sql("select (attempts >= 1 and last_error is not null)::text from webhook_deliveries"
			   " where event_id::text = $1", event, "true", 10000));
	ck_assert_int_eq(itk_stop(&t), 0);

	ck_assert_int_eq(receiver_start(&rv, port), 0);
	ck_assert_int_eq(itk_start(&t, env), 0);
	ck_assert_int_eq(receiver_wait(&rv, 1, 15000), 1);
	ck_assert_int_eq(receiver_count_id(&rv, event), 1);
	ck_assert(openssl_verifies(&rv.got[0], secret, rv.got[0].signature));
	ck_assert(wait_sql("select status from webhook_deliveries where event_id::text = $1", event,
			   "succeeded", 5000));
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

/* Starts `itaku worker` on t's database with 4 dispatcher threads. */
static pid_t start_worker(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open("/tmp/itaku-test-webhooks-worker.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		setenv("ITAKU_DATABASE_URL", t.url, 1);
		setenv("ITAKU_WEBHOOK_WORKERS", "4", 1);
		setenv("ITAKU_WEBHOOK_ALLOW_PRIVATE", "1", 1);
		setenv("ITAKU_SECRET_KEY", ITK_SECRET_KEY, 1);
		execl(getenv("ITAKU_BIN"), "itaku", "worker", (char *)NULL);
		_exit(127);
	}
	return pid;
}

START_TEST(two_processes_share_the_outbox)
{
	static const char *const env[] = { PRIVATE, "ITAKU_WEBHOOK_WORKERS=4", NULL };
	const int events = 300;
	char sub[40], secret[100], *v;
	PGresult *res;
	pid_t worker;
	int dupes = 0, st;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhooks_two", env);
	/* `serve` with 4 dispatcher threads, and `itaku worker` with 4 more. */
	worker = start_worker();
	subscribe("[\"*\"]", sub, secret);

	/* Both are up once their eight dispatcher threads have connected. */
	ck_assert(wait_sql("select count(*) from pg_stat_activity where datname = current_database()"
			   "   and application_name = 'itaku-dispatcher'", NULL, "8", 10000));
	/* 300 events in one transaction: both processes wake at once. */
	PQclear(itk_sql(&t, "select webhook_emit(tenant_id, 'incident.reported', null,"
			    "       jsonb_build_object('n', n))"
			    "  from webhook_subscriptions, generate_series(1, 300) n", 0, NULL));
	ck_assert_int_eq(receiver_wait(&rv, events, 30000), events);
	ck_assert(wait_sql("select count(*) from webhook_deliveries where status = 'succeeded'", NULL,
			   "300", 10000));
	usleep(300000);   /* anything sent twice would have arrived by now */
	ck_assert_int_eq(rv.count, events);
	res = itk_sql(&t, "select id::text from webhook_events", 0, NULL);
	ck_assert_int_eq(PQntuples(res), events);
	for (int i = 0; i < PQntuples(res); i++)
		dupes += receiver_count_id(&rv, PQgetvalue(res, i, 0)) != 1;
	PQclear(res);
	ck_assert_int_eq(dupes, 0);
	v = sql1("select count(*) from webhook_attempts", NULL);
	ck_assert_str_eq(v, "300");
	free(v);
	kill(worker, SIGTERM);
	ck_assert_int_eq(waitpid(worker, &st, 0), worker);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "itaku worker ended with %d", st);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

START_TEST(deadline_alerts_fire_once_per_deadline)
{
	static const char *const env[] = { PRIVATE, "ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	char sub[40], secret[100], vendor[40], late[40], soon[40], detected[64], type[64], path[96], *v;
	int missed = 0, approaching = 0;
	struct itk t2;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhooks_deadlines", env);
	t2 = t;
	snprintf(t2.db + strlen(t2.db), sizeof(t2.db) - strlen(t2.db), "_b");
	ck_assert_int_eq(itk_start(&t2, env), 0);
	subscribe("[\"incident.ppc_deadline_approaching\",\"incident.ppc_deadline_missed\"]", sub, secret);
	post_id("/v1/vendors", "{\"name\":\"北港データ\"}", vendor);

	/* Aware ten days ago: the 3-day preliminary report is overdue. */
	v = sql1("select to_char((now() at time zone 'Asia/Tokyo')::date - 10, 'YYYY-MM-DD') || 'T12:00:00+09:00'", NULL);
	snprintf(detected, sizeof(detected), "%s", v);
	free(v);
	file_incident(vendor, detected, late);
	/* Aware two Tokyo days ago (day 1): day 3 ends tonight, under 24 h away. */
	v = sql1("select to_char((now() at time zone 'Asia/Tokyo')::date - 2, 'YYYY-MM-DD') || 'T12:00:00+09:00'", NULL);
	snprintf(detected, sizeof(detected), "%s", v);
	free(v);
	file_incident(vendor, detected, soon);

	ck_assert_int_eq(receiver_wait(&rv, 2, 10000), 2);
	sleep(3);   /* several more scans by both processes */
	ck_assert_int_eq(rv.count, 2);
	for (int k = 0; k < rv.n; k++) {
		json_t *j = body_json(&rv.got[k]), *data = json_object_get(j, "data");
		const char *id = json_string_value(json_object_get(json_object_get(data, "incident"), "id"));

		ck_assert_str_eq(json_string_value(json_object_get(data, "report")), "preliminary");
		if (!strcmp(body_type(&rv.got[k], type), "incident.ppc_deadline_missed")) {
			missed++;
			ck_assert_str_eq(id, late);
		} else {
			approaching++;
			ck_assert_str_eq(type, "incident.ppc_deadline_approaching");
			ck_assert_str_eq(id, soon);
		}
		json_decref(j);
	}
	ck_assert_int_eq(missed, 1);
	ck_assert_int_eq(approaching, 1);
	v = sql1("select count(*) from incident_deadline_alerts where event_id is not null", NULL);
	ck_assert_str_eq(v, "2");
	free(v);

	/* The API's due_soon starts with the alert, at the tenant's lead. */
	snprintf(path, sizeof(path), "/v1/incidents/%s", soon);
	{
		struct http *h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		char *want;

		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
			h->json, "ppc"), "preliminary"), "state")), "due_soon");
		http_free(h);
		h = http_do(&t, "PATCH", "/v1/settings", t.admin_key, "{\"ppc_warning_hours\":1}", NULL);
		ck_status(h, 200);
		http_free(h);
		want = sql1("select case when now() >= tokyo_day_end((now() at time zone 'Asia/Tokyo')::date)"
			    " - interval '1 hour' then 'due_soon' else 'pending' end", NULL);
		h = http_do(&t, "GET", path, t.admin_key, NULL, NULL);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
			h->json, "ppc"), "preliminary"), "state")), want);
		free(want);
		http_free(h);
	}

	/* Filed: nothing more is raised for that report. */
	snprintf(path, sizeof(path), "/v1/incidents/%s", soon);
	v = sql1("select '{\"filings\":{\"preliminary\":{\"filed_at\":\"' ||"
		 " to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ||"
		 " '\",\"reference\":\"PPC-1\"}}}'", NULL);
	{
		struct http *h = http_do(&t, "PATCH", path, t.admin_key, v, NULL);

		free(v);

		ck_status(h, 200);
		http_free(h);
	}
	sleep(2);
	ck_assert_int_eq(rv.count, 2);

	/* Retention: events past ITAKU_WEBHOOK_RETENTION_DAYS (30) go with
	 * their deliveries and attempts, unless something is still pending. */
	PQclear(itk_sql(&t, "update webhook_events set created_at = now() - interval '31 days'", 0, NULL));
	v = sql1("select e.id::text from webhook_events e join webhook_deliveries d on d.event_id = e.id"
		 " where e.resource_id::text = $1", soon);
	{
		const char *params[1] = { v };

		PQclear(itk_sql(&t, "update webhook_deliveries set status = 'pending', succeeded_at = null,"
				    " next_attempt_at = now() + interval '1 day' where event_id::text = $1",
				1, params));
	}
	ck_assert(wait_sql("select count(*) from webhook_events", NULL, "1", 20000));   /* the scheduler's next round, on a loaded machine */
	free(v);
	v = sql1("select (select count(*) from webhook_deliveries)::text || '/' ||"
		 " (select count(*) from webhook_attempts)::text || '/' ||"
		 " (select resource_id::text from webhook_events)", NULL);
	{
		char want[96];

		snprintf(want, sizeof(want), "1/1/%s", soon);
		ck_assert_str_eq(v, want);
	}
	free(v);
	ck_assert_int_eq(itk_stop(&t2), 0);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhooks");
	TCase *tc = tcase_create("webhooks");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, subscriptions_are_managed_and_checked);
	tcase_add_test(tc, events_are_signed_and_delivered);
	tcase_add_test(tc, retries_follow_the_schedule_and_the_receiver);
	tcase_add_test(tc, no_event_is_lost_across_a_restart);
	tcase_add_test(tc, two_processes_share_the_outbox);
	tcase_add_test(tc, deadline_alerts_fire_once_per_deadline);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
