/*
 * report.c - GET /v1/overview/report.csv: the board report. The overview's
 * figures, one row each (the list that reproduces it included), then one
 * row per vendor with a problem, naming it and its problems. UTF-8 with a
 * BOM and CRLF (util/csv), so that Excel opens it with the Japanese
 * intact; headers and labels are Japanese with the English key after a
 * slash, as the comparison's CSV writes them.
 */
#include "overview/overview.h"

#include <stdio.h>
#include <string.h>
#include "http/req.h"
#include "http/scope.h"
#include "util/csv.h"

static struct db_stmt figures_stmt = DB_STMT(
	"select overview_json($1, $2, $3, $4, $5::text[], $6::boolean)::text");
static struct db_stmt vendors_stmt = DB_STMT(
	"select id::text, name, external_ref, risk_tier, array_to_string(problems, ','),"
	"       cardinality(problems)::text"
	"  from overview_problem_vendors($1, $2, $3, $4, $5::text[])");

static const char *const headers[] = {
	"種別 / kind", "区分 / section", "項目 / item", "件数 / count", "値 / value", "一覧 / list", NULL
};

/* Section and item labels; an item without one is written by its key. */
static const struct label {
	const char *key, *ja;
} labels[] = {
	{ "vendors", "委託先" }, { "certifications", "認証" }, { "engagements", "委託業務" },
	{ "subcontracting", "再委託" }, { "assessments", "評価" }, { "findings", "是正事項" },
	{ "incidents", "事故" }, { "negotiations", "価格転嫁協議" }, { "handovers", "機密情報の受け渡し" },
	{ "webhooks", "Webhook" },
	{ "open_requests", "対応中のセキュリティ要請" },
	{ "risks_by_rule.R1_no_timely_consultation", "要確認: 協議の遅れ" },
	{ "risks_by_rule.R2_decline_without_written_reason", "要確認: 理由を書面で示さない拒否" },
	{ "risks_by_rule.R3_unchanged_at_renewal", "要確認: 更新時に価格据え置き" },
	{ "risks_by_rule.R4_low_price_unilateral", "要確認: 一方的な低価格" },
	{ "risks_by_rule.R5_designation_with_equivalent", "要確認: 同等の対策があるのに指定" },
	{ "risks_by_rule.R6_charge_without_agreement", "要確認: 合意のない費用負担" },
	{ "risks_by_rule.R7_payment_terms", "要確認: 取適法の支払条件" },
	{ "concluded_this_year", "今年決着した協議（転嫁率）" },
	{ "payment_term_over_60_days", "取適法の対象で支払期日が60日超" },
	{ "total", "総数" }, { "by_tier.high", "リスク区分: 高" }, { "by_tier.medium", "リスク区分: 中" },
	{ "by_tier.low", "リスク区分: 低" }, { "by_verdict.no_issues", "直近の判定: 問題なし" },
	{ "by_verdict.watch", "直近の判定: 経過観察" }, { "by_verdict.action_required", "直近の判定: 要是正" },
	{ "overrides_in_force", "リスク区分の上書き" }, { "monitoring_overdue", "モニタリング期限超過" },
	{ "monitoring_due_within_30_days", "30日以内にモニタリング期限" },
	{ "monitoring_due_within_90_days", "90日以内にモニタリング期限" },
	{ "expired", "期限切れ" }, { "expiring_within_30_days", "30日以内に期限切れ" },
	{ "expiring_within_90_days", "90日以内に期限切れ" }, { "scope_never_verified", "適用範囲が未確認" },
	{ "personal_data", "個人データを取り扱う" }, { "foreign_data_locations", "国外のデータ所在地" },
	{ "clauses_missing", "必要な契約条項の不足" }, { "pending_approvals", "承認待ち" },
	{ "incomplete_flow_down", "再委託先への義務の確認不足" }, { "deepest_approved", "承認済みの最深階層" },
	{ "chain_assessed", "1年以内に評価済みの再委託先" }, { "chain_not_assessed", "1年以内の評価がない再委託先" },
	{ "weakest_link", "最も弱い再委託先（リスク区分）" },
	{ "by_status.draft", "状態: 下書き" }, { "by_status.sent", "状態: 送付済み" },
	{ "by_status.in_progress", "状態: 回答中" }, { "by_status.submitted", "状態: 提出済み" },
	{ "by_status.in_review", "状態: 確認中" }, { "by_status.returned", "状態: 差し戻し" },
	{ "by_status.completed", "状態: 完了" }, { "by_status.cancelled", "状態: 取消" },
	{ "overdue", "期限超過" }, { "due_this_month", "今月が期限" },
	{ "average_score_by_template", "今年の平均点" },
	{ "open_by_severity.critical", "未解決: 重大" }, { "open_by_severity.high", "未解決: 高" },
	{ "open_by_severity.medium", "未解決: 中" }, { "open_by_severity.low", "未解決: 低" },
	{ "open_by_status.reported", "状態: 報告受付" }, { "open_by_status.investigating", "状態: 調査中" },
	{ "open_by_status.contained", "状態: 封じ込め済み" },
	{ "ppc_filings_pending", "個人情報保護委員会への報告待ち" },
	{ "ppc_filings_overdue", "個人情報保護委員会への報告期限超過" },
	{ "dead_deliveries", "配信不能" }, { "disabled_subscriptions", "停止中の購読" },
	/* the problems of a vendor row */
	{ "action_required", "要是正の判定" }, { "certification_expired", "認証の期限切れ" },
	{ "assessment_overdue", "評価の回答期限超過" }, { "finding_overdue", "是正期限超過" },
	{ "incident_open", "未解決の重大事故" }, { "ppc_filing_overdue", "個人情報保護委員会への報告期限超過" },
	{ "handover_overdue", "返却・消去期限超過" },
	{ NULL, NULL }
};

/* "日本語 / key" into out. */
static const char *label(const char *key, char *out, size_t cap)
{
	for (const struct label *l = labels; l->key; l++)
		if (!strcmp(l->key, key)) {
			snprintf(out, cap, "%s / %s", l->ja, key);
			return out;
		}
	snprintf(out, cap, "%s", key);
	return out;
}

static void figure_row(struct csv_buf *b, const char *section, const char *item, json_t *fig,
		       const char *value)
{
	char s[256], count[32];

	snprintf(count, sizeof(count), "%lld", (long long)json_integer_value(json_object_get(fig, "count")));
	csv_field(b, "集計 / figure", 1, 1);
	csv_field(b, label(section, s, sizeof(s)), 0, 1);
	csv_field(b, item, 0, 1);
	csv_field(b, count, 0, 0);
	csv_field(b, value, 0, 1);
	csv_field(b, json_string_value(json_object_get(fig, "href")), 0, 1);
	csv_end_record(b);
}

/* A member's text, "" when it is null or missing (never NULL for %s). */
static const char *text_of(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The value a figure carries besides its count, as text (or NULL). */
static const char *extra(json_t *fig, char *out, size_t cap)
{
	json_t *v;

	if ((v = json_object_get(fig, "tier")) && json_is_string(v))
		snprintf(out, cap, "%s", json_string_value(v));
	else if ((v = json_object_get(fig, "depth")) && json_is_integer(v))
		snprintf(out, cap, "%lld", (long long)json_integer_value(v));
	else if ((v = json_object_get(fig, "pass_through_rate")) && json_is_number(v))
		snprintf(out, cap, "%g", json_number_value(v));
	else if ((v = json_object_get(fig, "oldest_requested_at")) && json_is_string(v))
		snprintf(out, cap, "%s", json_string_value(v));
	else if ((v = json_object_get(fig, "nearest")) && json_is_object(v))
		snprintf(out, cap, "%s %s %s", text_of(json_object_get(v, "filing")),
			 text_of(json_object_get(v, "due_at")), text_of(json_object_get(v, "incident_id")));
	else
		return NULL;
	return out;
}

/* Every figure under obj, depth first, keys joined by '.'. */
static void walk(struct csv_buf *b, const char *section, const char *prefix, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		char path[128], item[512], val[256];

		snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", key);
		if (json_is_object(v) && json_object_get(v, "href")) {
			figure_row(b, section, label(path, item, sizeof(item)), v, extra(v, val, sizeof(val)));
		} else if (json_is_object(v)) {
			walk(b, section, path, v);
		} else if (json_is_array(v)) {
			size_t i;
			json_t *t;

			json_array_foreach(v, i, t) {
				char name[512];
				json_t *avg = json_object_get(t, "average");

				snprintf(name, sizeof(name), "%s: %s", label(path, item, sizeof(item)),
					 json_string_value(json_object_get(t, "template_name")));
				if (json_is_number(avg))
					snprintf(val, sizeof(val), "%g", json_number_value(avg));
				figure_row(b, section, name, t, json_is_number(avg) ? val : NULL);
			}
		}
	}
}

static void vendor_row(struct csv_buf *b, PGresult *res, int row)
{
	char problems[1024] = "", href[64], one[256];
	const char *list = PQgetvalue(res, row, 4);

	/* the problems by their labels, "; " between */
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ","), used = strlen(problems);
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)(n < sizeof(key) ? n : sizeof(key) - 1), p);
		snprintf(problems + used, sizeof(problems) - used, "%s%s", used ? "; " : "",
			 label(key, one, sizeof(one)));
		p += n + (p[n] == ',');
	}
	snprintf(href, sizeof(href), "/v1/vendors/%s", PQgetvalue(res, row, 0));
	csv_field(b, "委託先 / vendor", 1, 1);
	csv_field(b, PQgetvalue(res, row, 1), 0, 1);
	csv_field(b, problems, 0, 1);
	csv_field(b, PQgetvalue(res, row, 5), 0, 0);
	snprintf(one, sizeof(one), "%s%s%s", PQgetvalue(res, row, 3),
		 PQgetisnull(res, row, 2) ? "" : " ", db_value(res, row, 2) ? db_value(res, row, 2) : "");
	csv_field(b, one, 0, 1);
	csv_field(b, href, 0, 1);
	csv_end_record(b);
}

int overview_report_csv(struct req *r)
{
	static const char *const sections[] = { "vendors", "certifications", "engagements", "subcontracting",
		"assessments", "findings", "incidents", "negotiations", "handovers", "webhooks", NULL };
	const char *params[6];
	struct scope sc;
	struct csv_buf b = { 0 };
	json_t *doc = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (overview_scope_read(r, &sc, params))
		return -1;
	if (!req_db(r))
		goto out;
	/* one snapshot: the figures and the vendor rows agree */
	if ((err = db_begin_snapshot(r->db)) || (err = db_exec(r->db, &figures_stmt, 6, params, &res)))
		goto out;
	doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	res = NULL;
	if ((err = db_exec(r->db, &vendors_stmt, 5, params, &res)))
		goto out;
	csv_put(&b, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; headers[i]; i++)
		csv_field(&b, headers[i], i == 0, 0);
	csv_end_record(&b);
	for (size_t i = 0; sections[i]; i++) {
		json_t *s = json_object_get(doc, sections[i]);

		if (json_is_object(s))
			walk(&b, sections[i], "", s);
	}
	for (int i = 0; i < PQntuples(res); i++)
		vendor_row(&b, res, i);
	if (b.failed || !doc) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	db_rollback(r->db);
	req_set_header(r, "Content-Disposition", "attachment; filename=\"overview-report.csv\"");
	ret = req_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len);
out:
	PQclear(res);
	json_decref(doc);
	csv_buf_free(&b);
	scope_free(&sc);
	return req_end(r, ret, err);
}
