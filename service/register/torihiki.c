/*
 * torihiki.c - 取適法 answers of engagements and of the tenant; the
 * engagement's coverage view.
 */
#include "register/torihiki.h"

#include <stdio.h>
#include <string.h>
#include "http/req.h"
#include "json/valid.h"

const char *const torihiki_types[] = { "manufacturing_repair_transport", "program_creation",
	"transport_storage_information_processing", "other_information_products", "other_services",
	"not_applicable", NULL };
static const char *const term_fields[] = { "due_basis", "due_days", "cutoff_day", "month_offset",
	"payment_day", "method", "full_amount_by_due", "transfer_fee_borne_by", "terms_in_writing", NULL };
static const char *const bases[] = { "days_after_receipt", "monthly_cutoff", NULL };
static const char *const methods[] = { "bank_transfer", "promissory_note", "electronic_receivables",
	"factoring", "other", NULL };
static const char *const fee_payers[] = { "outsourcer", "vendor", NULL };
static const char *const cutoff_fields[] = { "cutoff_day", "month_offset", "payment_day", NULL };

/* A member of the other due basis: cleared when the patch did not name it,
 * an error when it set it. */
static void drop(struct problem *p, json_t *terms, json_t *sent, const char *name, const char *why)
{
	char ptr[64];

	if (json_is_null(json_object_get(terms, name)))
		return;
	if (json_object_get(sent, name) && !json_is_null(json_object_get(sent, name))) {
		snprintf(ptr, sizeof(ptr), "/payment_terms/%s", name);
		problem_add_pointer(p, ptr, "%s", why);
	}
	json_object_set_new(terms, name, json_null());
}

static void check_terms(struct problem *p, json_t *doc, json_t *patch)
{
	json_t *sent = json_object_get(patch, "payment_terms"), *terms = json_object();
	json_t *base = json_object_get(doc, "payment_terms");
	size_t from = problem_error_count(p);
	long long n, cutoff = -1, offset = -1, day = -1;
	int basis, b;

	if (sent && !json_is_object(sent) && !json_is_null(sent)) {
		problem_add_pointer(p, "/payment_terms", "must be an object");
		json_decref(terms);
		return;
	}
	for (size_t i = 0; term_fields[i]; i++)
		json_object_set_new(terms, term_fields[i], json_null());
	/* The stored terms, then the members sent (null clears a member). */
	if (json_is_object(base) && !json_is_null(sent))
		for (size_t i = 0; term_fields[i]; i++)
			if (json_object_get(base, term_fields[i]))
				json_object_set(terms, term_fields[i], json_object_get(base, term_fields[i]));
	if (json_is_object(sent)) {
		jv_only(p, sent, term_fields);
		for (size_t i = 0; term_fields[i]; i++)
			if (json_object_get(sent, term_fields[i]))
				json_object_set(terms, term_fields[i], json_object_get(sent, term_fields[i]));
	}
	basis = jv_enum(p, terms, "due_basis", JV_OPTIONAL, bases);
	jv_int(p, terms, "due_days", JV_OPTIONAL, 0, 730, &n);
	jv_int(p, terms, "cutoff_day", JV_OPTIONAL, 1, 31, &cutoff);
	jv_int(p, terms, "month_offset", JV_OPTIONAL, 0, 12, &offset);
	jv_int(p, terms, "payment_day", JV_OPTIONAL, 1, 31, &day);
	jv_enum(p, terms, "method", JV_OPTIONAL, methods);
	jv_bool(p, terms, "full_amount_by_due", JV_OPTIONAL, &b);
	jv_enum(p, terms, "transfer_fee_borne_by", JV_OPTIONAL, fee_payers);
	jv_bool(p, terms, "terms_in_writing", JV_OPTIONAL, &b);
	jv_rebase(p, from, "/payment_terms");
	if (problem_error_count(p) > from) {
		json_decref(terms);
		return;
	}
	if (basis != 0)
		drop(p, terms, sent, "due_days", "is only for due_basis days_after_receipt");
	if (basis != 1)
		for (size_t i = 0; cutoff_fields[i]; i++)
			drop(p, terms, sent, cutoff_fields[i], "is only for due_basis monthly_cutoff");
	if (basis == 0 && json_is_null(json_object_get(terms, "due_days")))
		problem_add_pointer(p, "/payment_terms/due_days", "is required");
	for (size_t i = 0; basis == 1 && cutoff_fields[i]; i++) {
		char ptr[64];

		snprintf(ptr, sizeof(ptr), "/payment_terms/%s", cutoff_fields[i]);
		if (json_is_null(json_object_get(terms, cutoff_fields[i])))
			problem_add_pointer(p, ptr, "is required");
	}
	if (basis == 1 && offset == 0 && day > 0 && cutoff > 0 && day <= cutoff)
		problem_add_pointer(p, "/payment_terms/payment_day",
				    "must come after cutoff_day when the payment is in the same month");
	json_object_set_new(doc, "payment_terms", terms);
}

void torihiki_check_engagement(struct problem *p, json_t *doc, json_t *patch)
{
	jv_enum(p, doc, "torihiki_type", JV_OPTIONAL, torihiki_types);
	jv_date(p, doc, "ordered_on", JV_OPTIONAL);
	check_terms(p, doc, patch);
}

/* settings.torihiki: the outsourcer's own figures. Capital is whole yen;
 * the headcount is 常時使用する従業員の数. */
static const char *const setting_fields[] = { "capital_jpy", "employee_count",
	"superior_bargaining_position", "superior_bargaining_position_note", NULL };

void torihiki_check_settings(struct problem *p, json_t *patch)
{
	size_t from = problem_error_count(p);
	long long n;
	int b;

	if (!patch)
		return;
	if (!json_is_object(patch)) {
		problem_add_pointer(p, "/torihiki", "must be an object of capital_jpy, employee_count,"
				    " superior_bargaining_position, superior_bargaining_position_note");
		return;
	}
	jv_only(p, patch, setting_fields);
	jv_int(p, patch, "capital_jpy", JV_OPTIONAL, 0, 9000000000000000000LL, &n);
	jv_int(p, patch, "employee_count", JV_OPTIONAL, 0, 10000000, &n);
	jv_bool(p, patch, "superior_bargaining_position", JV_OPTIONAL, &b);
	jv_string(p, patch, "superior_bargaining_position_note", JV_OPTIONAL, 1, 2000);
	jv_rebase(p, from, "/torihiki");
}

void torihiki_merge_settings(json_t *current, json_t *patch)
{
	json_t *t = json_object_get(current, "torihiki");

	if (!json_is_object(patch) || !json_is_object(t))
		return;
	for (size_t i = 0; setting_fields[i]; i++)
		if (json_object_get(patch, setting_fields[i]))
			json_object_set(t, setting_fields[i], json_object_get(patch, setting_fields[i]));
}

static struct db_stmt view_stmt = DB_STMT(
	"select torihiki_engagement_json($1, $2)::text");

int torihiki_get(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "engagement");
	const char *params[2];
	PGresult *res = NULL;
	int err;

	if (!id || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	if ((err = db_exec(r->db, &view_stmt, 2, params, &res)))
		return req_fail_db(r, err);
	if (PQgetisnull(res, 0, 0))
		err = req_fail(r, 404, "not-found", "no engagement with this id");
	else
		err = req_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}
