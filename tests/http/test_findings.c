/* HTTP: findings (是正措置) and re-checks (issue 17): proposals from the
 * failing answers (knockouts first, then by score), findings opened,
 * listed, changed with If-Match, moved (risk acceptance and reopening
 * need a reason), their history and audit, another tenant's ids, a
 * re-check of the failed questions (only of a completed assessment), the
 * vendor's view and answer (findings_for_vendor() and
 * findings_vendor_respond(), called here as respond.c will, on a
 * connection of the suite's database), the findings a completed re-check
 * closes (recheck_close_findings()), the exclusions a re-check's send
 * adds, and the finding.opened and finding.overdue events at a real
 * receiver, the second once though the scheduler scans every second.
 *
 * The vendor-side endpoints are written in parallel: the answers, the
 * submission and the completion are set up with SQL here (answers first,
 * while the assessment is with the vendor, then the status, as the
 * database's guard requires). The full cycle through the API comes with
 * them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "receiver.h"
#include "assessments/findings.h"
#include "assessments/recheck.h"

static struct itk t;
static struct receiver rv;

#define SHEET \
	"{\"sections\":[{\"code\":\"S1\",\"title_ja\":\"基本\",\"questions\":[" \
	"{\"code\":\"K1\",\"text_ja\":\"情報セキュリティ方針がありますか\",\"answer_type\":\"scale\",\"knockout\":true," \
	"\"remediation_ja\":\"方針を定め、経営者が承認してください\",\"remediation_en\":\"Adopt a policy\"}," \
	"{\"code\":\"Q1\",\"text_ja\":\"教育をしていますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q2\",\"text_ja\":\"アクセス権を見直していますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q3\",\"text_ja\":\"鍵を管理していますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"Q4\",\"text_ja\":\"クラウドを使っていますか\",\"answer_type\":\"scale\"}," \
	"{\"code\":\"T1\",\"text_ja\":\"備考\",\"answer_type\":\"text\",\"required\":false}]}]}"

static struct http *call(const char *key, const char *method, const char *body, const char *const *headers,
			 const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return http_do(&t, method, path, key ? key : t.admin_key, body, headers);
}

static char *sql1(const char *sql, const char *p1)
{
	const char *params[1] = { p1 };

	return itk_sql_value(&t, sql, p1 ? 1 : 0, params);
}

static void sql_do(const char *sql, const char *p1)
{
	free(sql1(sql, p1));
}

static void post_id(const char *path, const char *body, char out[40])
{
	struct http *h = http_do(&t, "POST", path, t.admin_key, body, NULL);

	ck_status(h, 201);
	snprintf(out, 40, "%s", jstr(h, "id"));
	http_free(h);
}

static char *tokyo_date(int days)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "select (tokyo_today() + %d)::text", days);
	return sql1(sql, NULL);
}

/* A sent assessment of SHEET for a new vendor; *tpl gets the template. */
static void sent_assessment(char vendor[40], char id[40])
{
	char tpl[40], body[512], *due = tokyo_date(30);
	struct http *h;

	post_id("/v1/vendors", "{\"name\":\"株式会社委託テスト\"}", vendor);
	post_id("/v1/questionnaire-templates", "{\"name\":\"基本チェック\"}", tpl);
	h = call(NULL, "POST", "{\"content\":" SHEET "}", NULL, "/v1/questionnaire-templates/%s/versions", tpl);
	ck_status(h, 201);
	http_free(h);
	h = call(NULL, "POST", NULL, NULL, "/v1/questionnaire-templates/%s/versions/1/publish", tpl);
	ck_status(h, 200);
	http_free(h);
	snprintf(body, sizeof(body), "{\"vendor_id\":\"%s\",\"template_id\":\"%s\",\"due_on\":\"%s\","
		 "\"respondent\":{\"name\":\"山田\",\"email\":\"yamada@example.jp\"}}", vendor, tpl, due);
	post_id("/v1/assessments", body, id);
	free(due);
}

static void send(const char *id)
{
	struct http *h = call(NULL, "POST", NULL, NULL, "/v1/assessments/%s/send", id);

	ck_status(h, 200);
	http_free(h);
}

/* What the respondent endpoints will do: answers while with the vendor,
 * then the submission. */
static void submit(const char *id, const char *answers)
{
	const char *params[2] = { id, answers };

	PQclear(itk_sql(&t, "update assessments set answers = $2::jsonb where id = $1::uuid", 2, params));
	sql_do("update assessments set status = 'submitted', submitted_at = now() where id = $1::uuid", id);
}

static void complete(const char *id)
{
	sql_do("update assessments set status = 'completed', completed_at = now(), computed_verdict = 'action_required',"
	       " verdict = 'action_required', decided_by = 'test' where id = $1::uuid", id);
}

static void finding(const char *assessment, const char *code, const char *severity, char out[40])
{
	char body[512], path[96], *due = tokyo_date(14);

	snprintf(body, sizeof(body), "{\"title\":\"%s の是正\",\"severity\":\"%s\",\"due_on\":\"%s\","
		 "\"question_code\":\"%s\",\"owner\":\"委託先 佐藤\",\"detail\":\"内部メモではない説明\"}",
		 code, severity, due, code);
	snprintf(path, sizeof(path), "/v1/assessments/%s/findings", assessment);
	post_id(path, body, out);
	free(due);
}

static int items(const struct http *h)
{
	return (int)json_array_size(json_object_get(h->json, "items"));
}

static const char *item_str(const struct http *h, size_t i, const char *name)
{
	const char *s = json_string_value(json_object_get(json_array_get(json_object_get(h->json, "items"), i), name));

	return s ? s : "";
}

static int events_of(const char *type)
{
	int n = 0;

	for (int k = 0; k < rv.n; k++) {
		json_t *j = json_loads(rv.got[k].body, 0, NULL);

		n += !strcmp(json_string_value(json_object_get(j, "type")), type);
		json_decref(j);
	}
	return n;
}

static struct db_conn *connect_db(void)
{
	struct db_conn *db = calloc(1, sizeof(*db));

	db->pg = itk_connect(&t);
	return db;
}

START_TEST(findings_from_proposal_to_recheck)
{
	static const char *const env[] = { "ITAKU_WEBHOOK_ALLOW_PRIVATE=1", ITK_SECRET_KEY_ENV,
					   "ITAKU_SCHEDULER_INTERVAL_S=1", NULL };
	char vendor[40], aid[40], f1[40], f2[40], f3[40], sub[40], rc[40], body[512], etag[32], ifm[48];
	char *v, *tenant, *key2, *due;
	const char *hdr[2] = { ifm, NULL };
	const char *idem[2] = { "Idempotency-Key: recheck-1", NULL };
	struct db_conn *db;
	struct problem p = { 0 };
	json_t *out = NULL, *resp, *content, *codes, *ex;
	struct http *h;
	int closed = -1;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	itk_setup(&t, "findings", env);
	due = tokyo_date(20);
	snprintf(body, sizeof(body), "{\"url\":\"http://127.0.0.1:%d/hooks\","
		 "\"event_types\":[\"finding.opened\",\"finding.overdue\"]}", rv.port);
	post_id("/v1/webhook-subscriptions", body, sub);
	sent_assessment(vendor, aid);

	/* While with the vendor: nothing to propose, nothing to open. */
	h = call(NULL, "GET", NULL, NULL, "/v1/assessments/%s/finding-proposals", aid);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(body, sizeof(body), "{\"title\":\"早すぎる\",\"severity\":\"low\",\"due_on\":\"%s\"}", due);
	h = call(NULL, "POST", body, NULL, "/v1/assessments/%s/findings", aid);   /* a draft */
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	send(aid);
	h = call(NULL, "POST", body, NULL, "/v1/assessments/%s/findings", aid);   /* with the vendor */
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	/* The database refuses it too, past the API. */
	v = sql1("select count(*) from findings", NULL);
	ck_assert_str_eq(v, "0");
	free(v);

	submit(aid, "{\"K1\":\"no\",\"Q1\":\"partially\",\"Q2\":\"no\",\"Q3\":\"yes\",\"Q4\":\"not_applicable\"}");

	/* Knockout first, then score 0, then the partial one; yes and 該当なし pass. */
	h = call(NULL, "GET", NULL, NULL, "/v1/assessments/%s/finding-proposals", aid);
	ck_status(h, 200);
	ck_assert_int_eq(items(h), 3);
	ck_assert_str_eq(item_str(h, 0, "question_code"), "K1");
	ck_assert_str_eq(item_str(h, 1, "question_code"), "Q2");
	ck_assert_str_eq(item_str(h, 2, "question_code"), "Q1");
	{
		json_t *s0 = json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "suggested");
		json_t *s2 = json_object_get(json_array_get(json_object_get(h->json, "items"), 2), "suggested");

		ck_assert_str_eq(json_string_value(json_object_get(s0, "severity")), "high");
		ck_assert_str_eq(json_string_value(json_object_get(s0, "remediation_ja")), "方針を定め、経営者が承認してください");
		ck_assert_str_eq(json_string_value(json_object_get(s2, "severity")), "low");
		ck_assert(json_is_false(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "finding_exists")));
	}
	http_free(h);

	/* Opened from the proposal; a code outside the version is refused. */
	finding(aid, "K1", "high", f1);
	snprintf(body, sizeof(body), "{\"title\":\"x\",\"severity\":\"low\",\"due_on\":\"%s\",\"question_code\":\"ZZ9\"}", due);
	h = call(NULL, "POST", body, NULL, "/v1/assessments/%s/findings", aid);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/question_code"));
	http_free(h);
	h = call(NULL, "POST", "{\"title\":\"x\",\"severity\":\"urgent\"}", NULL, "/v1/assessments/%s/findings", aid);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/severity") && strstr(h->body, "/due_on"));
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/assessments/%s/finding-proposals", aid);
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "finding_exists")));
	http_free(h);
	ck_assert_int_eq(receiver_wait(&rv, 1, 10000), 1);
	{
		json_t *j = json_loads(rv.got[0].body, 0, NULL), *d = json_object_get(j, "data");

		ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "finding.opened");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "finding"), "id")), f1);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "vendor"), "id")), vendor);
		ck_assert_str_eq(json_string_value(json_object_get(d, "assessment_id")), aid);
		ck_assert(!strstr(rv.got[0].body, "token"));
		json_decref(j);
	}

	/* Lists and filters. */
	h = call(NULL, "GET", NULL, NULL, "/v1/assessments/%s/findings", aid);
	ck_status(h, 200);
	ck_assert_int_eq(items(h), 1);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings?severity=high&vendor_id=%s", vendor);
	ck_assert_int_eq(items(h), 1);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings?status=resolved,risk_accepted");
	ck_assert_int_eq(items(h), 0);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings?status=closed");
	ck_problem(h, 400, "invalid-parameter");
	http_free(h);

	/* Changed with If-Match. */
	snprintf(ifm, sizeof(ifm), "If-Match: \"7\"");
	h = call(NULL, "PATCH", "{\"severity\":\"critical\"}", hdr, "/v1/findings/%s", f1);
	ck_problem(h, 412, NULL);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s", f1);
	snprintf(etag, sizeof(etag), "%s", http_header(h, "ETag"));
	http_free(h);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	h = call(NULL, "PATCH", "{\"severity\":\"critical\",\"owner\":null}", hdr, "/v1/findings/%s", f1);
	ck_status(h, 200);
	ck_assert_str_eq(jstr(h, "severity"), "critical");
	ck_assert(json_is_null(json_object_get(h->json, "owner")));
	http_free(h);

	/* Risk acceptance needs a reason and names the approver. */
	h = call(NULL, "POST", "{\"status\":\"risk_accepted\"}", NULL, "/v1/findings/%s/status", f1);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/reason"));
	http_free(h);
	h = call(NULL, "POST", "{\"status\":\"risk_accepted\",\"reason\":\"代替策で十分\"}", NULL, "/v1/findings/%s/status", f1);
	ck_status(h, 200);
	ck_assert(!strncmp(jstr(h, "risk_accepted_by"), "api_key:", 8));
	http_free(h);
	h = call(NULL, "POST", "{\"status\":\"risk_accepted\",\"reason\":\"again\"}", NULL, "/v1/findings/%s/status", f1);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = call(NULL, "POST", "{\"status\":\"open\"}", NULL, "/v1/findings/%s/status", f1);
	ck_problem(h, 422, "validation-failed");
	http_free(h);
	h = call(NULL, "POST", "{\"status\":\"open\",\"reason\":\"代替策が廃止された\"}", NULL, "/v1/findings/%s/status", f1);
	ck_status(h, 200);
	ck_assert(json_is_null(json_object_get(h->json, "risk_accepted_reason")));
	http_free(h);

	/* The history and the audit trail: every change, by the key. */
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s", f1);
	ck_status(h, 200);
	{
		json_t *hist = json_object_get(h->json, "history");

		ck_assert_int_eq(json_array_size(hist), 4);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hist, 0), "kind")), "opened");
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hist, 1), "kind")), "updated");
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hist, 2), "kind")), "status_changed");
		ck_assert(!strncmp(json_string_value(json_object_get(json_array_get(hist, 3), "actor")), "api_key:", 8));
	}
	http_free(h);
	v = sql1("select string_agg(action, ',' order by seq) from audit_events where resource_id = $1", f1);
	ck_assert_str_eq(v, "finding.created,finding.updated,finding.status_changed,finding.status_changed");
	free(v);

	/* Another tenant's ids are not found. */
	key2 = itk_bootstrap(&t, "t2");
	h = call(key2, "GET", NULL, NULL, "/v1/findings/%s", f1);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "GET", NULL, NULL, "/v1/assessments/%s/finding-proposals", aid);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "POST", body, NULL, "/v1/assessments/%s/findings", aid);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "POST", "{\"status\":\"resolved\"}", NULL, "/v1/findings/%s/status", f1);
	ck_problem(h, 404, "not-found");
	http_free(h);
	h = call(key2, "GET", NULL, NULL, "/v1/findings");
	ck_assert_int_eq(items(h), 0);
	http_free(h);

	/* A re-check only of a completed assessment. */
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\"}", due);
	h = call(NULL, "POST", body, NULL, "/v1/assessments/%s/recheck", aid);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	h = call(key2, "POST", body, NULL, "/v1/assessments/%s/recheck", aid);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* The vendor's view and answer, as the respondent endpoints call them. */
	finding(aid, "Q2", "medium", f2);
	finding(aid, "Q1", "low", f3);
	tenant = sql1("select id::text from tenants where name = 't1'", NULL);
	db = connect_db();
	ck_assert_int_eq(findings_for_vendor(db, tenant, aid, &out), 0);
	ck_assert_int_eq(json_array_size(json_object_get(out, "items")), 3);
	{
		char *text = json_dumps(out, 0);

		ck_assert(!strstr(text, "代替策") && !strstr(text, "api_key:") && !strstr(text, "risk_accepted_reason"));
		free(text);
	}
	json_decref(out);
	resp = json_pack("{s:s}", "plan", "");
	ck_assert_int_eq(findings_vendor_respond(db, tenant, aid, f2, resp, "respondent_link:abcd1234", &p, &out), -1);
	ck_assert_int_eq(p.status, 422);
	problem_clear(&p);
	json_decref(resp);
	resp = json_pack("{s:s, s:[s]}", "plan", "来月までに棚卸しします", "evidence_refs", "棚卸し計画書.pdf");
	ck_assert_int_eq(findings_vendor_respond(db, tenant, aid, "00000000-0000-0000-0000-000000000000", resp,
						 "respondent_link:abcd1234", &p, &out), -1);
	ck_assert_int_eq(p.status, 404);
	problem_clear(&p);
	ck_assert_int_eq(findings_vendor_respond(db, tenant, aid, f2, resp, "respondent_link:abcd1234", &p, &out), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "response"), "plan")), "来月までに棚卸しします");
	json_decref(out);
	json_decref(resp);
	v = sql1("select kind || '/' || actor from finding_events where finding_id = $1 order by seq desc limit 1", f2);
	ck_assert_str_eq(v, "vendor_response/respondent_link:abcd1234");
	free(v);
	v = sql1("select actor from audit_events where resource_id = $1 and action = 'finding.vendor_responded'", f2);
	ck_assert_str_eq(v, "respondent_link:abcd1234");
	free(v);

	/* Completed: re-check the failed questions, safe to retry. */
	complete(aid);
	h = call(NULL, "POST", "{}", NULL, "/v1/assessments/%s/recheck", aid);
	ck_problem(h, 422, "validation-failed");
	ck_assert(strstr(h->body, "/due_on"));
	http_free(h);
	h = call(NULL, "POST", body, idem, "/v1/assessments/%s/recheck", aid);
	ck_status(h, 201);
	snprintf(rc, sizeof(rc), "%s", jstr(h, "id"));
	ck_assert_str_eq(jstr(h, "status"), "draft");
	ck_assert_str_eq(jstr(h, "recheck_of"), aid);
	v = json_dumps(json_object_get(h->json, "recheck_codes"), JSON_COMPACT);
	ck_assert_str_eq(v, "[\"K1\",\"Q1\",\"Q2\"]");
	free(v);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "respondent"), "name")), "山田");
	http_free(h);
	h = call(NULL, "POST", body, idem, "/v1/assessments/%s/recheck", aid);
	ck_status(h, 201);
	ck_assert_str_eq(jstr(h, "id"), rc);
	http_free(h);
	snprintf(body, sizeof(body), "{\"due_on\":\"%s\",\"scope\":\"all\","
		 "\"respondent\":{\"name\":\"鈴木\",\"email\":\"suzuki@example.jp\"}}", due);
	h = call(NULL, "POST", body, NULL, "/v1/assessments/%s/recheck", aid);
	ck_status(h, 201);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "recheck_codes")), 6);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "respondent"), "name")), "鈴木");
	http_free(h);

	/* What its send leaves out. */
	content = json_loads(SHEET, 0, NULL);
	codes = json_pack("[s, s, s]", "K1", "Q1", "Q2");
	ex = recheck_exclusions(content, codes);
	ck_assert_int_eq(json_object_size(ex), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(ex, "Q3"), "reason")), "not_rechecked");
	ck_assert(!json_object_get(ex, "K1"));
	json_decref(ex);
	ex = recheck_exclusions(content, NULL);
	ck_assert_int_eq(json_object_size(ex), 0);
	json_decref(ex);
	json_decref(content);
	json_decref(codes);

	/* Completing the re-check closes what now passes: K1 and Q2, not Q1. */
	send(rc);
	submit(rc, "{\"K1\":\"yes\",\"Q1\":\"partially\",\"Q2\":\"yes\"}");
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(recheck_close_findings(db, tenant, rc, "api_key:closer00", &closed), 0);
	ck_assert_int_eq(db_commit(db), 0);
	ck_assert_int_eq(closed, 2);
	snprintf(body, sizeof(body), "%s", f1);
	v = sql1("select string_agg(question_code || '=' || status || '/' || coalesce(resolved_by_assessment::text, '-'),"
		 " ',' order by question_code) from findings", NULL);
	{
		char want[256];

		snprintf(want, sizeof(want), "K1=resolved/%s,Q1=open/-,Q2=resolved/%s", rc, rc);
		ck_assert_str_eq(v, want);
	}
	free(v);
	v = sql1("select kind || '/' || actor from finding_events where finding_id = $1 order by seq desc limit 1", f1);
	ck_assert_str_eq(v, "resolved_by_recheck/api_key:closer00");
	free(v);
	/* Not a re-check: closes nothing. */
	ck_assert_int_eq(recheck_close_findings(db, tenant, aid, "api_key:closer00", &closed), 0);
	ck_assert_int_eq(closed, 0);
	PQfinish(db->pg);
	free(db);

	/* Q1's finding falls overdue: finding.overdue once, though the
	 * scheduler scans every second. */
	sql_do("update findings set due_on = tokyo_today() - 2 where id = $1::uuid", f3);
	ck_assert_int_eq(receiver_wait(&rv, 4, 10000), 4);   /* three opened, one overdue */
	sleep(3);
	ck_assert_int_eq(events_of("finding.overdue"), 1);
	ck_assert_int_eq(events_of("finding.opened"), 3);
	v = sql1("select (overdue_notified_on = tokyo_today())::text from findings where id = $1::uuid", f3);
	ck_assert_str_eq(v, "true");
	free(v);
	v = sql1("select findings_overdue_scan()::text", NULL);
	ck_assert_str_eq(v, "0");
	free(v);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings?overdue=true");
	ck_assert_int_eq(items(h), 1);
	ck_assert_str_eq(item_str(h, 0, "id"), f3);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s", f3);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "history")), 1);   /* the mark is not a change */
	http_free(h);

	free(tenant);
	free(key2);
	free(due);
	itk_teardown(&t);
	receiver_stop(&rv);
}
END_TEST

/* The vendor's evidence for a finding, after the questionnaire is closed:
 * checked like any upload, listed for the vendor and staff, downloaded by
 * staff as sent, audited; only while the finding is open or in progress,
 * at most 20 per finding, only the link's own findings. */
START_TEST(finding_evidence_files)
{
	char vendor[40], aid[40], f1[40], token[64], path[512], file_id[40], *v;
	const char *text_type[] = { "Content-Type: text/plain", NULL };
	const char *png_type[] = { "Content-Type: image/png", NULL };
	struct http *h;
	json_t *files;

	itk_setup(&t, "finding_files", NULL);
	sent_assessment(vendor, aid);
	send(aid);
	h = call(NULL, "POST", NULL, NULL, "/v1/assessments/%s/respondent-links", aid);
	ck_status(h, 201);
	snprintf(token, sizeof(token), "%s", jstr(h, "token"));
	http_free(h);
	submit(aid, "{\"K1\":\"no\",\"Q1\":\"yes\",\"Q2\":\"yes\",\"Q3\":\"yes\",\"Q4\":\"yes\"}");
	finding(aid, "K1", "high", f1);

	/* the questionnaire's own files are closed now; the finding takes them */
	snprintf(path, sizeof(path), "/v1/respond/%s/files?question=K1&filename=x.txt", token);
	h = http_do(&t, "POST", path, NULL, "x", text_type);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/findings/%s/files?filename=%%E6%%96%%B9%%E9%%87%%9D.txt", token, f1);
	h = http_do(&t, "POST", path, NULL, "方針を定めました\n", text_type);
	ck_status(h, 201);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "file"), "filename")), "方針.txt");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(h->json, "file"), "content_type")), "text/plain");
	snprintf(file_id, sizeof(file_id), "%s", json_string_value(json_object_get(json_object_get(h->json, "file"), "id")));
	http_free(h);
	/* bytes that are not their type, an unknown finding: refused, nothing written */
	h = http_do(&t, "POST", path, NULL, "not a picture", png_type);
	ck_problem(h, 422, "file-type-mismatch");
	http_free(h);
	snprintf(path, sizeof(path), "/v1/respond/%s/findings/00000000-0000-4000-8000-000000000000/files?filename=a.txt", token);
	h = http_do(&t, "POST", path, NULL, "a", text_type);
	ck_problem(h, 404, "not-found");
	http_free(h);
	v = sql1("select count(*) from finding_files", NULL);
	ck_assert_str_eq(v, "1");
	free(v);
	v = sql1("select count(*) from audit_events where action = 'finding.file_uploaded' and resource_id = $1", f1);
	ck_assert_str_eq(v, "1");
	free(v);

	/* listed for the vendor and for staff; staff download the bytes as sent */
	snprintf(path, sizeof(path), "/v1/respond/%s/findings", token);
	h = http_do(&t, "GET", path, NULL, NULL, NULL);
	ck_status(h, 200);
	files = json_object_get(json_array_get(json_object_get(h->json, "items"), 0), "files");
	ck_assert_int_eq(json_array_size(files), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(files, 0), "id")), file_id);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s", f1);
	ck_status(h, 200);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "files")), 1);
	/* the version (and so the ETag) moved; the history did not */
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "version")), 2);
	ck_assert_int_eq(json_array_size(json_object_get(h->json, "history")), 1);
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s/files/%s", f1, file_id);
	ck_status(h, 200);
	ck_assert_str_eq(h->body, "方針を定めました\n");
	ck_assert(strstr(http_header(h, "Content-Disposition"), "attachment;") != NULL);
	ck_assert_str_eq(http_header(h, "X-Content-Type-Options"), "nosniff");
	http_free(h);
	h = call(NULL, "GET", NULL, NULL, "/v1/findings/%s/files/%s", f1, aid);
	ck_problem(h, 404, "not-found");
	http_free(h);

	/* at most 20 per finding */
	sql_do("insert into finding_files (tenant_id, finding_id, filename, content_type, size, sha256, data, uploaded_by)"
	       " select f.tenant_id, f.id, 'f' || n || '.txt', 'text/plain', 1, repeat('0', 64), 'x'::bytea, 'test'"
	       "   from findings f, generate_series(1, 19) n where f.id = $1::uuid", f1);
	snprintf(path, sizeof(path), "/v1/respond/%s/findings/%s/files?filename=b.txt", token, f1);
	h = http_do(&t, "POST", path, NULL, "b", text_type);
	ck_problem(h, 413, "evidence-limit");
	http_free(h);
	/* and 50 MiB together, whichever findings hold them */
	sql_do("delete from finding_files where uploaded_by = 'test'", NULL);
	sql_do("insert into finding_files (tenant_id, finding_id, filename, content_type, size, sha256, data, uploaded_by)"
	       " select f.tenant_id, f.id, 'big' || n || '.txt', 'text/plain', 10485760, repeat('0', 64),"
	       "        convert_to(repeat('x', 10485760), 'UTF8'), 'test'"
	       "   from findings f, generate_series(1, 5) n where f.id = $1::uuid", f1);
	h = http_do(&t, "POST", path, NULL, "b", text_type);
	ck_problem(h, 413, "evidence-limit");
	ck_assert(strstr(h->body, "52428800") != NULL);
	http_free(h);
	/* a closed finding takes none */
	sql_do("delete from finding_files where uploaded_by = 'test'", NULL);
	sql_do("update findings set status = 'risk_accepted', risk_accepted_reason = '許容', risk_accepted_by = 'test',"
	       " updated_by = 'test' where id = $1::uuid", f1);
	h = http_do(&t, "POST", path, NULL, "b", text_type);
	ck_problem(h, 409, "invalid-transition");
	http_free(h);
	v = sql1("select count(*) from finding_files", NULL);
	ck_assert_str_eq(v, "1");
	free(v);
	itk_teardown(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("findings");
	TCase *tc = tcase_create("findings");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, findings_from_proposal_to_recheck);
	tcase_add_test(tc, finding_evidence_files);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
