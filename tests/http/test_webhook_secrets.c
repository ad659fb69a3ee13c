/* HTTP: webhook signing secrets are sealed at rest, with a real receiver.
 *
 * The database holds only sealed secrets (AES-256-GCM under
 * ITAKU_SECRET_KEY, which it never sees), deliveries are still signed with
 * the secret the admin was shown, a sealed secret copied to another row
 * does not open, plaintext rows from before sealing are sealed by the
 * scheduler, the key rotates with ITAKU_SECRET_KEYS_PREVIOUS, and a server
 * without a key refuses to issue secrets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"
#include "webhooks/signature.h"

static struct itk t;
static struct receiver rv;

#define K2 "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
#define K3 "k3:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

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

static void subscribe(char id[40], char secret[100])
{
	char body[160];
	struct http *h;

	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\",\"event_types\":[\"*\"]}", rv.port);
	h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key, body, NULL);
	ck_status(h, 201);
	snprintf(id, 40, "%s", jstr(h, "id"));
	snprintf(secret, 100, "%s", jstr(h, "secret"));
	http_free(h);
}

/* Pings sub; returns the delivery id in del. */
static void ping(const char *sub, char del[40])
{
	char path[96];
	struct http *h;

	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/test", sub);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_status(h, 202);
	snprintf(del, 40, "%s", jstr(h, "id"));
	http_free(h);
}

/* The k-th request the receiver got carries a signature by secret. */
static void ck_signed_by(int k, const char *secret)
{
	char want[WEBHOOK_SIGNATURE_LEN];
	struct received *r = &rv.got[k];

	ck_assert_int_eq(webhook_sign(secret, r->id, atoll(r->timestamp), r->body, r->len, want), 0);
	ck_assert_msg(strncmp(r->signature, want, strlen(want)) == 0, "%s is not signed by %s", r->signature, secret);
}

/* Nothing in the row reads as the secret. */
static void ck_sealed(const char *sub, const char *secret, const char *key_id)
{
	const char *params[3] = { sub, secret + 6, key_id };
	char *v = itk_sql_value(&t, "select (strpos(s::text, $2) = 0 and strpos(s::text, 'whsec_') = 0"
				    " and s.secret like 'itk1:' || $3 || ':%' and s.secrets_sealed)::text"
				    " from webhook_subscriptions s where id::text = $1", 3, params);

	ck_assert_msg(!strcmp(v, "true"), "subscription %s is not sealed under %s", sub, key_id);
	free(v);
}

static void restart(const char *const *env)
{
	ck_assert_int_eq(itk_stop(&t), 0);
	ck_assert_int_eq(itk_start(&t, env), 0);
}

START_TEST(secrets_are_sealed_at_rest)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
					   "ITAKU_SCHEDULER_INTERVAL_S=1", "ITAKU_WEBHOOK_SCHEDULE=1h", NULL };
	static const char legacy[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	char a[40], sa[100], b[40], sb[100], c[40], sc[100], del[40], path[96], *v;
	PGconn *conn;
	PGresult *r;
	struct http *h;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhook_secrets", env);
	subscribe(a, sa);
	subscribe(b, sb);
	subscribe(c, sc);
	ck_sealed(a, sa, "test");
	ck_sealed(b, sb, "test");

	/* Rotated: both the new and the previous secret are sealed, and both sign. */
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/rotate-secret", a);
	h = http_do(&t, "POST", path, t.admin_key, "{\"overlap_hours\":1}", NULL);
	ck_status(h, 200);
	{
		char fresh[100], first[64], second[64];

		snprintf(fresh, sizeof(fresh), "%s", jstr(h, "secret"));
		http_free(h);
		ck_sealed(a, fresh, "test");
		v = sql1("select (strpos(previous_secret, 'whsec_') = 0 and previous_secret like 'itk1:test:%')::text"
			 " from webhook_subscriptions where id::text = $1", a);
		ck_assert_str_eq(v, "true");
		free(v);
		ping(a, del);
		ck_assert_int_eq(receiver_wait(&rv, 1, 10000), 1);
		ck_assert_int_eq(sscanf(rv.got[0].signature, "%63s %63s", first, second), 2);
		ck_signed_by(0, fresh);
		ck_assert(strstr(rv.got[0].signature, " ") != NULL);
		snprintf(sa, sizeof(sa), "%s", fresh);
	}

	/* Copied to another subscription, a sealed secret does not open there. */
	{
		const char *params[2] = { a, b };

		PQclear(itk_sql(&t, "update webhook_subscriptions set secret = (select secret"
				    " from webhook_subscriptions where id::text = $1) where id::text = $2",
				2, params));
	}
	ping(b, del);
	ck_assert(wait_sql("select coalesce(last_error, '') like '%cannot be opened%' from webhook_deliveries"
			   " where id::text = $1", del, "t", 10000));
	ck_assert_int_eq(rv.count, 1);

	/* A plaintext secret from before sealing still signs, and the
	 * scheduler seals it; the schema takes plaintext on no other row. */
	{
		const char *params[2] = { legacy, c };

		PQclear(itk_sql(&t, "update webhook_subscriptions set secret = $1, secrets_sealed = false"
				    " where id::text = $2", 2, params));
	}
	ck_assert(wait_sql("select secrets_sealed::text from webhook_subscriptions where id::text = $1", c,
			   "true", 10000));
	ck_sealed(c, legacy, "test");
	ping(c, del);
	ck_assert_int_eq(receiver_wait(&rv, 2, 10000), 2);
	ck_signed_by(1, legacy);
	conn = itk_connect(&t);
	{
		const char *params[2] = { legacy, a };

		r = PQexecParams(conn, "update webhook_subscriptions set secret = $1 where id::text = $2",
				 2, NULL, params, NULL, NULL, 0);
	}
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23514");
	PQclear(r);
	PQfinish(conn);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

START_TEST(the_key_rotates_and_is_required)
{
	static const char *const first[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV, NULL };
	static const char *const rotating[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", "ITAKU_SECRET_KEY=" K2,
						"ITAKU_SECRET_KEYS_PREVIOUS=" ITK_SECRET_KEY,
						"ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	static const char *const rotated[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", "ITAKU_SECRET_KEY=" K2, NULL };
	static const char *const wrong[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", "ITAKU_SECRET_KEY=" K3,
					     "ITAKU_WEBHOOK_SCHEDULE=1h", NULL };
	static const char *const keyless[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", NULL };
	char sub[40], secret[100], del[40], path[96], *v;
	struct http *h;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "webhook_keys", first);
	subscribe(sub, secret);
	ck_sealed(sub, secret, "test");

	/* A new key, the old one kept to open: the scheduler re-seals. */
	restart(rotating);
	ck_assert(wait_sql("select (secret like 'itk1:k2:%')::text from webhook_subscriptions where id::text = $1",
			   sub, "true", 10000));
	ck_sealed(sub, secret, "k2");
	ping(sub, del);
	ck_assert_int_eq(receiver_wait(&rv, 1, 10000), 1);
	ck_signed_by(0, secret);

	/* The old key gone: nothing needs it any more. */
	restart(rotated);
	ping(sub, del);
	ck_assert_int_eq(receiver_wait(&rv, 2, 10000), 2);
	ck_signed_by(1, secret);

	/* A server with another key cannot sign: the attempt fails with a
	 * reason (and is retried later), nothing unsigned goes out. */
	restart(wrong);
	ping(sub, del);
	ck_assert(wait_sql("select coalesce(last_error, '') like '%cannot be opened%' from webhook_deliveries"
			   " where id::text = $1", del, "t", 10000));
	ck_assert_int_eq(rv.count, 2);

	/* Without a key no secret is issued, and nothing is written. */
	restart(keyless);
	h = http_do(&t, "POST", "/v1/webhook-subscriptions", t.admin_key,
		    "{\"url\":\"https://8.8.8.8/hooks\",\"event_types\":[\"*\"]}", NULL);
	ck_problem(h, 503, "secret-key-missing");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/webhook-subscriptions/%s/rotate-secret", sub);
	h = http_do(&t, "POST", path, t.admin_key, NULL, NULL);
	ck_problem(h, 503, "secret-key-missing");
	http_free(h);
	v = sql1("select count(*)::text || ' ' || bool_and(secret like 'itk1:k2:%')::text from webhook_subscriptions", NULL);
	ck_assert_str_eq(v, "1 true");
	free(v);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

START_TEST(a_bad_key_stops_start_up)
{
	static const char *const env[] = { "ITAKU_SECRET_KEY=k1:tooshort", NULL };
	const char *argv[] = { "serve", NULL };
	char *out;
	int status;

	itk_db_create(&t, "webhook_badkey", getenv("ITAKU_TEST_PG"));
	out = itk_run(&t, argv, env, &status);
	ck_assert_int_ne(status, 0);
	ck_assert_msg(strstr(out, "ITAKU_SECRET_KEY") != NULL, "%s", out);
	free(out);
	itk_db_drop(&t, getenv("ITAKU_TEST_PG"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhook_secrets");
	TCase *tc = tcase_create("webhook_secrets");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, secrets_are_sealed_at_rest);
	tcase_add_test(tc, the_key_rotates_and_is_required);
	tcase_add_test(tc, a_bad_key_stops_start_up);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
