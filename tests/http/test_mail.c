/* HTTP: built-in mail (issue 18) through a real SMTP server on loopback
 * (tests/support/smtp_receiver.c). Sending an assessment with mail on
 * delivers one invitation with its headers and a Japanese body whose link
 * works; a reminder's mail carries a fresh link and the previous one then
 * answers 410; a relay's 550 is retried and recorded with its answer; a
 * contact marked no_mail is recorded as suppressed; mail off queues
 * nothing; the token is in the mail only, never in the database or the
 * server's log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "smtp_receiver.h"
#include "util/crypto.h"

static struct itk t;
static struct smtp_receiver sr;

#define SHEET \
	"{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"Q1\",\"text_ja\":\"教育をしていますか\",\"answer_type\":\"scale\"}]}]}"

static struct http *call(const char *key, const char *method, const char *body, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, key ? key : t.admin_key, body, NULL);
}

static void post_id(const char *key, const char *path, const char *body, char out[40])
{
	struct http *h = call(key, "POST", body, "%s", path);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static void template(const char *key, char tpl[40])
{
	struct http *h;

	post_id(key, "/v1/questionnaire-templates", "{\"name\":\"年次セキュリティ確認\",\"name_en\":\"Annual security check\"}",
		tpl);
	h = call(key, "POST", "{\"content\":" SHEET "}", "/v1/questionnaire-templates/%s/versions", tpl);
	ck_status(h, 201);
	http_free(h);
	h = call(key, "POST", NULL, "/v1/questionnaire-templates/%s/versions/1/publish", tpl);
	ck_status(h, 200);
	http_free(h);
}

/* An assessment of tpl for vendor to email, sent, due in 30 days. */
static void send_one(const char *key, const char *vendor, const char *tpl, const char *email, char id[40])
{
	char body[640], *due = itk_sql_value(&t, "select (tokyo_today() + 30)::text", 0, NULL);
	struct http *h;

	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"%s\","
		 "\"title\":\"2026年度 委託先点検\",\"message\":\"ご不明点は情報セキュリティ室までお問い合わせください。\","
		 "\"respondent\":{\"name\":\"山田 花子\",\"email\":\"%s\"}}", vendor, tpl, due, email);
	post_id(key, "/v1/assessments", body, id);
	h = call(key, "POST", NULL, "/v1/assessments/%s/send", id);
	ck_status(h, 200);
	http_free(h);
	free(due);
}

/* The value of header name in a stored mail (unfolded; "" when absent). */
static void header(const struct smtp_mail *m, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name), o = 0;
	const char *p = m->data;

	out[0] = '\0';
	while (p && *p && strncmp(p, "\r\n", 2)) {
		if (!strncasecmp(p, name, nlen) && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			while (*p && o + 1 < cap) {
				if (!strncmp(p, "\r\n ", 3)) {
					p += 3;
					continue;
				}
				if (!strncmp(p, "\r\n", 2))
					break;
				out[o++] = *p++;
			}
			out[o] = '\0';
			return;
		}
		p = strstr(p, "\r\n");
		p = p ? p + 2 : NULL;
	}
}

/* Decodes RFC 2047 "B" words of UTF-8 (what itaku writes) into out. */
static void decode_words(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	while ((in = strstr(in, "=?UTF-8?B?"))) {
		const char *end = strstr(in + 10, "?=");
		long n;

		ck_assert_ptr_nonnull(end);
		n = crypto_b64_decode(in + 10, (size_t)(end - in - 10), (unsigned char *)out + o, cap - o - 1);
		ck_assert_int_ge(n, 0);
		o += (size_t)n;
		in = end + 2;
	}
	out[o] = '\0';
}

/* The body, base64-decoded (caller frees). */
static char *body_of(const struct smtp_mail *m)
{
	const char *p = strstr(m->data, "\r\n\r\n");
	char *b64 = malloc(m->len + 1), *out = malloc(m->len + 1);
	size_t n = 0;
	long len;

	ck_assert_ptr_nonnull(p);
	for (p += 4; *p; p++)
		if (*p != '\r' && *p != '\n')
			b64[n++] = *p;
	len = crypto_b64_decode(b64, n, (unsigned char *)out, m->len);
	ck_assert_int_ge(len, 0);
	out[len] = '\0';
	free(b64);
	return out;
}

/* The token of the link in a body: after "https://itaku.example.jp/respond#". */
static void token_of(const char *body, char token[64])
{
	const char *p = strstr(body, "https://itaku.example.jp/respond#");

	ck_assert_msg(p != NULL, "no link in %s", body);
	p += strlen("https://itaku.example.jp/respond#");
	snprintf(token, 64, "%.*s", (int)strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"), p);
	ck_assert_int_eq(strncmp(token, "ita_", 4), 0);
}

/* The messages of an assessment, as listed. */
static struct http *messages(const char *key, const char *id)
{
	struct http *h = call(key, "GET", NULL, "/v1/assessments/%s/messages", id);

	ck_status(h, 200);
	return h;
}

static json_t *item(const struct http *h, size_t i)
{
	return json_array_get(json_object_get(h->json, "items"), i);
}

static const char *istr(const struct http *h, size_t i, const char *name)
{
	return json_string_value(json_object_get(item(h, i), name));
}

/* Waits up to 20 s for message i of the assessment to reach status. */
static struct http *wait_status(const char *key, const char *id, size_t i, const char *status)
{
	for (int k = 0; k < 200; k++) {
		struct http *h = messages(key, id);

		if (item(h, i) && !strcmp(istr(h, i, "status"), status))
			return h;
		http_free(h);
		usleep(100000);
	}
	ck_abort_msg("message %zu of %s never became %s", i, id, status);
	return NULL;
}

/* Occurrences of s in every row of every table. */
static long in_database(const char *s)
{
	const char *params[1] = { s };
	char *v = itk_sql_value(&t,
		"select sum((xpath('/row/c/text()', query_to_xml(format("
		"  'select count(*) as c from %I.%I t where t::text like %L', table_schema, table_name,"
		"  '%' || $1 || '%'), false, true, '')))[1]::text::int)"
		"  from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
		1, params);
	long n = atol(v);

	free(v);
	return n;
}

static int in_log(const char *s)
{
	FILE *f = fopen(t.log_path, "r");
	char line[4096];
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, s) != NULL;
	fclose(f);
	return found;
}

START_TEST(mail_end_to_end)
{
	char url[64], vendor[40], tpl[40], a1[40], a2[40], a3[40], b1[40], v2[40], tpl2[40];
	char value[512], subject[512], tok1[64], tok2[64], *body, *key2, *n;
	const char *env[] = { url, "ITAKU_SMTP_TLS=none", "ITAKU_MAIL_FROM=itaku@example.jp",
		"ITAKU_PUBLIC_URL=https://itaku.example.jp/", "ITAKU_MAIL_SCHEDULE=1s,1s",
		"ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	struct http *h;
	json_t *att;

	ck_assert_int_eq(smtp_receiver_start(&sr), 0);
	snprintf(url, sizeof(url), "ITAKU_SMTP_URL=smtp://127.0.0.1:%d", sr.port);
	itk_setup(&t, "mail", env);
	key2 = itk_bootstrap(&t, "t2");

	/* Off by default: settings say so, and a sent assessment queues nothing. */
	h = call(NULL, "GET", NULL, "/v1/settings");
	ck_status(h, 200);
	ck_assert(json_is_false(json_object_get(json_object_get(h->json, "mail"), "enabled")));
	http_free(h);
	post_id(key2, "/v1/vendors", "{\"name\":\"株式会社メールなし\"}", v2);
	template(key2, tpl2);
	send_one(key2, v2, tpl2, "off@example.jp", b1);
	h = call(NULL, "PATCH", "{\"mail\":{\"enabled\":\"yes\"}}", "/v1/settings");
	ck_problem(h, 422, NULL);
	http_free(h);

	/* On: the invitation. */
	h = call(NULL, "PATCH", "{\"mail\":{\"enabled\":true}}", "/v1/settings");
	ck_status(h, 200);
	ck_assert(json_is_true(json_object_get(json_object_get(h->json, "mail"), "enabled")));
	http_free(h);
	post_id(NULL, "/v1/vendors", "{\"name\":\"株式会社委託先\",\"contacts\":[{\"name\":\"鈴木\",\"role\":\"security_officer\","
		"\"email\":\"Stop@Example.jp\",\"no_mail\":true}]}", vendor);
	template(NULL, tpl);
	send_one(NULL, vendor, tpl, "yamada@example.jp", a1);
	ck_assert_int_eq(smtp_receiver_wait(&sr, 1, 20000), 1);
	h = wait_status(NULL, a1, 0, "sent");
	ck_assert_str_eq(istr(h, 0, "kind"), "invitation");
	ck_assert_str_eq(istr(h, 0, "to"), "yamada@example.jp");
	ck_assert_msg(strstr(istr(h, 0, "subject"), "2026年度 委託先点検"), "%s", istr(h, 0, "subject"));
	ck_assert_int_eq(json_array_size(json_object_get(item(h, 0), "attempts")), 1);
	http_free(h);

	ck_assert_str_eq(sr.got[0].to, "<yamada@example.jp>");
	ck_assert_msg(!strncmp(sr.got[0].from, "<itaku@example.jp>", 18), "%s", sr.got[0].from);
	header(&sr.got[0], "To", value, sizeof(value));
	ck_assert_str_eq(value, "yamada@example.jp");
	header(&sr.got[0], "From", value, sizeof(value));
	ck_assert_msg(strstr(value, "<itaku@example.jp>"), "%s", value);
	header(&sr.got[0], "Content-Type", value, sizeof(value));
	ck_assert_str_eq(value, "text/plain; charset=UTF-8");
	header(&sr.got[0], "Subject", value, sizeof(value));
	ck_assert_msg(!strncmp(value, "=?UTF-8?B?", 10), "%s", value);
	decode_words(value, subject, sizeof(subject));
	ck_assert_msg(strstr(subject, "情報セキュリティ確認のお願い") && strstr(subject, "2026年度 委託先点検"), "%s", subject);
	body = body_of(&sr.got[0]);
	ck_assert_msg(strstr(body, "山田 花子 様") && strstr(body, "株式会社委託先") &&
		      strstr(body, "情報セキュリティ室までお問い合わせください") &&
		      strstr(body, "Annual security check"), "%s", body);
	token_of(body, tok1);
	free(body);

	/* The link works. */
	h = http_do(&t, "GET", (snprintf(value, sizeof(value), "/v1/respond/%s", tok1), value), NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);

	/* A reminder (due tomorrow: -1) mails a fresh link; the first answers 410. */
	n = itk_sql_value(&t, "update assessments set due_on = tokyo_today() + 1 where id = $1::uuid returning 1",
			  1, (const char *[]){ a1 });
	free(n);
	ck_assert_int_eq(smtp_receiver_wait(&sr, 2, 20000), 2);
	h = wait_status(NULL, a1, 1, "sent");
	ck_assert_str_eq(istr(h, 1, "kind"), "reminder");
	ck_assert_str_eq(istr(h, 1, "event_type"), "assessment.reminder_due");
	http_free(h);
	header(&sr.got[1], "Subject", value, sizeof(value));
	decode_words(value, subject, sizeof(subject));
	ck_assert_msg(strstr(subject, "あと1日"), "%s", subject);
	body = body_of(&sr.got[1]);
	token_of(body, tok2);
	free(body);
	ck_assert_str_ne(tok1, tok2);
	h = http_do(&t, "GET", (snprintf(value, sizeof(value), "/v1/respond/%s", tok1), value), NULL, NULL, NULL);
	ck_problem(h, 410, NULL);
	http_free(h);
	h = http_do(&t, "GET", (snprintf(value, sizeof(value), "/v1/respond/%s", tok2), value), NULL, NULL, NULL);
	ck_status(h, 200);
	http_free(h);

	/* A refusing relay: 550, retried, recorded with its answer. */
	smtp_receiver_refuse(&sr, "550 5.1.1 <nobody@example.jp>: no such user here");
	send_one(NULL, vendor, tpl, "nobody@example.jp", a2);
	ck_assert_int_eq(smtp_receiver_wait_refused(&sr, 1, 20000), 1);
	ck_assert_int_eq(smtp_receiver_wait(&sr, 3, 20000), 3);
	h = wait_status(NULL, a2, 0, "sent");
	att = json_object_get(item(h, 0), "attempts");
	ck_assert_int_eq(json_array_size(att), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(att, 0), "reply_code")), 550);
	ck_assert_msg(strstr(json_string_value(json_object_get(json_array_get(att, 0), "reply")), "no such user"),
		      "%s", h->body);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(att, 1), "reply_code")), 250);
	http_free(h);

	/* A contact marked no_mail (the address in another case): suppressed. */
	send_one(NULL, vendor, tpl, "stop@example.jp", a3);
	h = wait_status(NULL, a3, 0, "suppressed");
	ck_assert_int_eq(json_array_size(json_object_get(item(h, 0), "attempts")), 0);
	http_free(h);
	sleep(2);
	ck_assert_int_eq(sr.n, 3);

	/* Mail off: tenant t2's assessment has no message at all. */
	h = messages(key2, b1);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "items")), 0);
	http_free(h);
	h = call(NULL, "GET", NULL, "/v1/assessments/%s/messages", b1);
	ck_problem(h, 404, NULL);
	http_free(h);

	/* The tokens are in the mail only. */
	ck_assert_int_eq(in_database(tok1 + 4), 0);
	ck_assert_int_eq(in_database(tok2 + 4), 0);
	ck_assert(!in_log(tok1 + 4));
	ck_assert(!in_log(tok2 + 4));

	free(key2);
	itk_teardown(&t);
	smtp_receiver_stop(&sr);
}
END_TEST

START_TEST(config_refuses_unsafe_mail)
{
	static const char *const plain_remote[] = { "ITAKU_SMTP_URL=smtp://relay.example.jp:587", "ITAKU_SMTP_TLS=none",
		"ITAKU_MAIL_FROM=itaku@example.jp", "ITAKU_PUBLIC_URL=https://itaku.example.jp", NULL };
	static const char *const no_from[] = { "ITAKU_SMTP_URL=smtp://relay.example.jp:587",
		"ITAKU_PUBLIC_URL=https://itaku.example.jp", NULL };
	static const char *const http_url[] = { "ITAKU_SMTP_URL=smtps://relay.example.jp:465",
		"ITAKU_MAIL_FROM=itaku@example.jp", "ITAKU_PUBLIC_URL=http://itaku.example.jp", NULL };
	const char *const argv[] = { "serve", NULL };
	const char *const *cases[] = { plain_remote, no_from, http_url };
	const char *names[] = { "ITAKU_SMTP_TLS", "ITAKU_MAIL_FROM", "ITAKU_PUBLIC_URL" };
	struct itk db = { 0 };

	snprintf(db.url, sizeof(db.url), "dbname=none");
	for (int i = 0; i < 3; i++) {
		int status;
		char *out = itk_run(&db, argv, cases[i], &status);

		ck_assert_msg(status != 0 && strstr(out, names[i]), "%d: %d %s", i, status, out);
		free(out);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, config_refuses_unsafe_mail);
	tcase_add_test(tc, mail_end_to_end);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
