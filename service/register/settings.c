/*
 * settings.c - tenant settings.
 */
#include "register/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/etag.h"
#include "http/req.h"
#include "json/valid.h"
#include "register/torihiki.h"

#define SETTINGS_JSON \
	"json_build_object('monitoring_cadence_months', json_build_object(" \
	" 'high', coalesce((t.settings #>> '{monitoring_cadence_months,high}')::int, 12)," \
	" 'medium', coalesce((t.settings #>> '{monitoring_cadence_months,medium}')::int, 24)," \
	" 'low', coalesce((t.settings #>> '{monitoring_cadence_months,low}')::int, 36))," \
	" 'appi_preliminary_days', coalesce((t.settings ->> 'appi_preliminary_days')::int, 3)," \
	" 'ppc_warning_hours', coalesce((t.settings ->> 'ppc_warning_hours')::int, 24)," \
	" 'reminders', json_build_object('assessment_days', reminder_days(t.settings, 'assessment')," \
	" 'finding_days', reminder_days(t.settings, 'finding'))," \
	" 'evidence_max_age_months', settings_evidence_max_age_months(t.settings)," \
	" 'mail', json_build_object('enabled', mail_enabled(t.settings))," \
	" 'negotiation_retention_years', settings_negotiation_retention_years(t.settings)," \
	" 'negotiation_consultation_days', settings_negotiation_consultation_days(t.settings)," \
	" 'torihiki', json_build_object('capital_jpy', (t.settings #>> '{torihiki,capital_jpy}')::bigint," \
	" 'employee_count', (t.settings #>> '{torihiki,employee_count}')::int," \
	" 'superior_bargaining_position', (t.settings #>> '{torihiki,superior_bargaining_position}')::boolean," \
	" 'superior_bargaining_position_note', t.settings #>> '{torihiki,superior_bargaining_position_note}')," \
	" 'version', t.version, 'updated_at', t.updated_at)::text"

static struct db_stmt get_stmt = DB_STMT(
	"select version, " SETTINGS_JSON " from tenants t where id = $1");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, " SETTINGS_JSON ", $2::int[] is null or version = any($2::int[])"
	"  from tenants t where id = $1 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update tenants t set settings = settings || $2::jsonb,"
	"       version = version + 1, updated_at = now()"
	" where id = $1 returning version, " SETTINGS_JSON);
/* Re-derives every vendor's cadence and due date (vendors_derive). */
static struct db_stmt touch_stmt = DB_STMT(
	"update vendors set tenant_id = tenant_id where tenant_id = $1");

int settings_get(struct req *r)
{
	const char *params[1] = { r->who.tenant_id };
	PGresult *res = NULL;
	int err;

	if (!req_db(r))
		return -1;
	if ((err = db_exec(r->db, &get_stmt, 1, params, &res)))
		return req_fail_db(r, err);
	etag_set(r, atol(PQgetvalue(res, 0, 0)));
	err = req_json_text(r, 200, PQgetvalue(res, 0, 1));
	PQclear(res);
	return err;
}

/* Reminder offsets: at most REMINDERS_MAX distinct whole days within
 * REMINDERS_SPAN of the due date (negative before, 0 on the day, positive
 * after); an empty list turns that kind of reminder off. */
#define REMINDERS_MAX 10
#define REMINDERS_SPAN 90

static void check_days(struct problem *p, json_t *reminders, const char *name)
{
	json_t *days = json_object_get(reminders, name), *v;
	char ptr[64];
	size_t i, j;

	if (!days)
		return;
	snprintf(ptr, sizeof(ptr), "/reminders/%s", name);
	if (!json_is_array(days) || json_array_size(days) > REMINDERS_MAX) {
		problem_add_pointer(p, ptr, "must be an array of at most 10 distinct offsets in days"
				    " (negative: before the due date)");
		return;
	}
	json_array_foreach(days, i, v) {
		snprintf(ptr, sizeof(ptr), "/reminders/%s/%zu", name, i);
		if (!json_is_integer(v) || json_integer_value(v) < -REMINDERS_SPAN ||
		    json_integer_value(v) > REMINDERS_SPAN) {
			problem_add_pointer(p, ptr, "must be an integer from %lld to %lld",
					    (long long)-REMINDERS_SPAN, (long long)REMINDERS_SPAN);
			continue;
		}
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(days, j), v))
				break;
		if (j < i)
			problem_add_pointer(p, ptr, "repeats an earlier offset");
	}
}

/* Offsets are stored ascending, as they are shown. */
static int cmp_day(const void *a, const void *b)
{
	json_int_t x = json_integer_value(*(json_t *const *)a), y = json_integer_value(*(json_t *const *)b);

	return x < y ? -1 : x > y;
}

static json_t *sorted_days(json_t *days)
{
	size_t n = json_array_size(days);
	json_t *items[REMINDERS_MAX], *out = json_array();

	for (size_t i = 0; i < n && i < REMINDERS_MAX; i++)
		items[i] = json_array_get(days, i);
	qsort(items, n, sizeof(items[0]), cmp_day);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, items[i]);
	return out;
}

int settings_update(struct req *r)
{
	static const char *const fields[] = { "monitoring_cadence_months", "appi_preliminary_days",
		"ppc_warning_hours", "reminders", "evidence_max_age_months", "mail",
		"negotiation_retention_years", "negotiation_consultation_days", "torihiki", NULL };
	static const char *const mail_fields[] = { "enabled", NULL };
	static const char *const tiers[] = { "high", "medium", "low", NULL };
	static const char *const reminder_kinds[] = { "assessment_days", "finding_days", NULL };
	json_t *cad = json_object_get(r->body, "monitoring_cadence_months");
	json_t *rem = json_object_get(r->body, "reminders");
	json_t *mail = json_object_get(r->body, "mail");
	json_t *current = NULL, *merged = NULL, *after = NULL;
	char versions[128], *text = NULL;
	const char *params[3];
	PGresult *res = NULL;
	int err = 0, ret = -1;
	long long n;
	int on;

	jv_only(&r->problem, r->body, fields);
	if (cad && !json_is_object(cad))
		problem_add_pointer(&r->problem, "/monitoring_cadence_months", "must be an object of high, medium, low");
	if (json_is_object(cad)) {
		size_t from = problem_error_count(&r->problem);

		jv_only(&r->problem, cad, tiers);
		for (int i = 0; tiers[i]; i++)
			jv_int(&r->problem, cad, tiers[i], JV_OPTIONAL, 1, 120, &n);
		jv_rebase(&r->problem, from, "/monitoring_cadence_months");
	}
	if (rem && !json_is_object(rem))
		problem_add_pointer(&r->problem, "/reminders", "must be an object of assessment_days, finding_days");
	if (json_is_object(rem)) {
		size_t from = problem_error_count(&r->problem);

		jv_only(&r->problem, rem, reminder_kinds);
		jv_rebase(&r->problem, from, "/reminders");
		for (int i = 0; reminder_kinds[i]; i++)
			check_days(&r->problem, rem, reminder_kinds[i]);
	}
	/* Mail on for this tenant; the deployment sends only with ITAKU_SMTP_URL. */
	if (mail && !json_is_object(mail))
		problem_add_pointer(&r->problem, "/mail", "must be an object of enabled");
	if (json_is_object(mail)) {
		size_t from = problem_error_count(&r->problem);

		jv_only(&r->problem, mail, mail_fields);
		jv_bool(&r->problem, mail, "enabled", JV_OPTIONAL, &on);
		jv_rebase(&r->problem, from, "/mail");
	}
	torihiki_check_settings(&r->problem, json_object_get(r->body, "torihiki"));
	jv_int(&r->problem, r->body, "appi_preliminary_days", JV_OPTIONAL, 3, 5, &n);
	jv_int(&r->problem, r->body, "ppc_warning_hours", JV_OPTIONAL, 1, 168, &n);
	jv_int(&r->problem, r->body, "evidence_max_age_months", JV_OPTIONAL, 1, 120, &n);
	/* 取引記録 are kept for at least two years. */
	jv_int(&r->problem, r->body, "negotiation_retention_years", JV_OPTIONAL, 2, 30, &n);
	jv_int(&r->problem, r->body, "negotiation_consultation_days", JV_OPTIONAL, 1, 365, &n);
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = etag_match_param(r, versions, sizeof(versions));
	if ((err = db_begin(r->db)) || (err = db_exec(r->db, &lock_stmt, 2, params, &res)))
		goto out;
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0) {
		req_fail(r, 412, "precondition-failed", "the settings have changed since you read them");
		goto out;
	}
	current = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	PQclear(res);
	res = NULL;
	merged = json_deep_copy(current);
	json_object_del(merged, "version");
	json_object_del(merged, "updated_at");
	if (json_is_object(cad))
		json_object_update(json_object_get(merged, "monitoring_cadence_months"), cad);
	for (int i = 0; json_is_object(rem) && reminder_kinds[i]; i++)
		if (json_object_get(rem, reminder_kinds[i]))
			json_object_set_new(json_object_get(merged, "reminders"), reminder_kinds[i],
					    sorted_days(json_object_get(rem, reminder_kinds[i])));
	if (json_is_object(mail) && json_object_get(mail, "enabled"))
		json_object_set(json_object_get(merged, "mail"), "enabled", json_object_get(mail, "enabled"));
	torihiki_merge_settings(merged, json_object_get(r->body, "torihiki"));
	for (int i = 1; fields[i]; i++)
		if (json_is_integer(json_object_get(r->body, fields[i])))
			json_object_set(merged, fields[i], json_object_get(r->body, fields[i]));
	text = json_dumps(merged, JSON_COMPACT);
	params[1] = text;
	if ((err = db_exec(r->db, &update_stmt, 2, params, &res)) ||
	    (cad && (err = db_exec(r->db, &touch_stmt, 1, params, NULL))))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	if ((err = req_audit(r, "settings.updated", "tenant", r->who.tenant_id, current, after)))
		goto out;
	ret = req_commit_json(r, 200, after, atol(PQgetvalue(res, 0, 0)));
	after = NULL;
out:
	json_decref(current);
	json_decref(merged);
	json_decref(after);
	free(text);
	PQclear(res);
	return req_end(r, ret, err);
}
