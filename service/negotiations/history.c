/*
 * history.c - sessions and outcomes (see history.h).
 */
#include "negotiations/history.h"
#include "negotiations/negotiations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http/req.h"
#include "json/valid.h"

#define YEN_MAX 1000000000000LL

static const char *const channels[] = { "meeting", "online", "phone", "email", "letter", NULL };
static const char *const sides[] = { "outsourcer", "vendor", NULL };
static const char *const kinds[] = { "price_revised", "partially", "declined", "cost_borne_by_outsourcer",
				     "withdrawn", "pending", NULL };
static const char *const decisions[] = { "agreed", "unilateral", NULL };
static const char *const vias[] = { "letter", "email", "other_electronic", "oral", "not_sent", NULL };

#define ACTOR "(select 'api_key:' || k.prefix from api_keys k where k.id = $4::uuid)"

/* $1 tenant, $2 negotiation, $3 document, $4 key id */
static struct db_stmt session_stmt = DB_STMT(
	"insert into negotiation_sessions as s (tenant_id, negotiation_id, held_on, channel, participants_outsourcer,"
	"       participants_vendor, proposals, minutes, corrects, recorded_by)"
	" select $1, $2, (d ->> 'held_on')::date, d ->> 'channel',"
	"        array(select jsonb_array_elements_text(d -> 'participants_outsourcer')),"
	"        array(select jsonb_array_elements_text(d -> 'participants_vendor')),"
	"        coalesce(d -> 'proposals', '[]'), d ->> 'minutes', (d ->> 'corrects')::uuid, " ACTOR
	"   from (select $3::jsonb d) x"
	" returning s.id, negotiation_session_json(s)::text");
static struct db_stmt outcome_stmt = DB_STMT(
	"insert into negotiation_outcomes as o (tenant_id, negotiation_id, kind, decided_on, decision,"
	"       agreed_one_off_jpy, agreed_recurring_yearly_jpy, effective_on, contract_ref, remaining,"
	"       price_before_jpy, price_after_jpy, reason, reason_sent_via, reason_sent_on, note, corrects, recorded_by)"
	" select $1, $2, x.*, " ACTOR
	"   from jsonb_to_record($3::jsonb) as x(kind text, decided_on date, decision text, agreed_one_off_jpy bigint,"
	"        agreed_recurring_yearly_jpy bigint, effective_on date, contract_ref text, remaining text,"
	"        price_before_jpy bigint, price_after_jpy bigint, reason text, reason_sent_via text,"
	"        reason_sent_on date, note text, corrects uuid)"
	" returning o.id, negotiation_outcome_json(o)::text");
/* The entry corrected must be one of this negotiation's. */
static struct db_stmt session_of_stmt = DB_STMT(
	"select 1 from negotiation_sessions where tenant_id = $1 and negotiation_id = $2 and id = $3");
static struct db_stmt outcome_of_stmt = DB_STMT(
	"select 1 from negotiation_outcomes where tenant_id = $1 and negotiation_id = $2 and id = $3");

/* Today in Tokyo (UTC+9, no daylight saving), YYYY-MM-DD. */
static void tokyo_today(char out[11])
{
	time_t now = time(NULL) + 9 * 3600;
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Whether date is after today in Tokyo (today is written to today). */
static int in_future(const char *date, char today[11])
{
	tokyo_today(today);
	return date && strcmp(date, today) > 0;
}

static void check_proposals(struct problem *p, json_t *body)
{
	static const char *const keys[] = { "by", "one_off_jpy", "recurring_yearly_jpy", "note", NULL };
	json_t *items = jv_array(p, body, "proposals", JV_OPTIONAL, 0, 50), *it;
	long long n;
	size_t i, from;
	char at[48];

	json_array_foreach(items, i, it) {
		snprintf(at, sizeof(at), "/proposals/%zu", i);
		if (!json_is_object(it)) {
			problem_add_pointer(p, at, "must be an object of by, one_off_jpy, recurring_yearly_jpy, note");
			continue;
		}
		from = problem_error_count(p);
		jv_only(p, it, keys);
		jv_enum(p, it, "by", JV_REQUIRED, sides);
		jv_int(p, it, "one_off_jpy", JV_OPTIONAL, 0, YEN_MAX, &n);
		jv_int(p, it, "recurring_yearly_jpy", JV_OPTIONAL, 0, YEN_MAX, &n);
		jv_string(p, it, "note", JV_OPTIONAL, 1, 2000);
		jv_rebase(p, from, at);
	}
}

/* Appends one entry: validated body, the negotiation locked, the entry it
 * corrects checked, then the insert and its audit event. */
static int append(struct req *r, const char *id, struct db_stmt *insert, struct db_stmt *corrects_of,
		  const char *type, json_t *current)
{
	const char *params[4] = { r->who.tenant_id, id, NULL, r->who.key_id };
	const char *corrects = json_string_value(json_object_get(r->body, "corrects"));
	char *text = NULL, action[64];
	json_t *out = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (corrects) {
		params[2] = corrects;
		if ((err = db_exec(r->db, corrects_of, 3, params, &res)))
			goto out;
		if (!PQntuples(res)) {
			problem_set(&r->problem, 422, "reference-not-found", NULL,
				    "a referenced resource does not exist in this tenant");
			problem_add_pointer(&r->problem, "/corrects", "is not an entry of this negotiation");
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	params[2] = text = json_dumps(r->body, JSON_COMPACT);
	if ((err = db_exec(r->db, insert, 4, params, &res)))
		goto out;
	out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	snprintf(action, sizeof(action), "%s.recorded", type);
	if ((err = req_audit(r, action, type, PQgetvalue(res, 0, 0), NULL, out)))
		goto out;
	ret = req_commit_json(r, 201, out, 0);
	out = NULL;
out:
	(void)current;
	json_decref(out);
	free(text);
	PQclear(res);
	return ret ? (err ? req_fail_db(r, err) : -1) : 0;
}

int history_add_session(struct req *r)
{
	static const char *const members[] = { "held_on", "channel", "participants_outsourcer", "participants_vendor",
		"proposals", "minutes", "corrects", NULL };
	const char *id = req_param_uuid(r, "id", "negotiation");
	struct problem *p = &r->problem;
	json_t *current = NULL;
	char today[11];
	int ret = -1, err = 0;

	if (!id)
		return -1;
	jv_only(p, r->body, members);
	if (in_future(jv_date(p, r->body, "held_on", JV_REQUIRED), today))
		problem_add_pointer(p, "/held_on", "must not be in the future (today is %s in Tokyo): record a session once it has taken place", today);
	jv_enum(p, r->body, "channel", JV_REQUIRED, channels);
	if (!jv_strings(p, r->body, "participants_outsourcer", 20, 1, 200, NULL) && jv_empty(r->body, "participants_outsourcer"))
		problem_add_pointer(p, "/participants_outsourcer", "is required: who took part for the outsourcer");
	if (!jv_strings(p, r->body, "participants_vendor", 20, 1, 200, NULL) && jv_empty(r->body, "participants_vendor"))
		problem_add_pointer(p, "/participants_vendor", "is required: who took part for the vendor");
	check_proposals(p, r->body);
	jv_string(p, r->body, "minutes", JV_REQUIRED, 1, 20000);
	jv_uuid(p, r->body, "corrects", JV_OPTIONAL);
	if (problem_error_count(p))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if (!(err = db_begin(r->db)) && !negotiations_lock(r, id, &current))
		ret = append(r, id, &session_stmt, &session_of_stmt, "negotiation_session", current);
	json_decref(current);
	return req_end(r, ret, err);
}

int history_add_outcome(struct req *r)
{
	static const char *const members[] = { "kind", "decided_on", "decision", "agreed_one_off_jpy",
		"agreed_recurring_yearly_jpy", "effective_on", "contract_ref", "remaining", "price_before_jpy",
		"price_after_jpy", "reason", "reason_sent_via", "reason_sent_on", "note", "corrects", NULL };
	const char *id = req_param_uuid(r, "id", "negotiation"), *effective, *kind, *after;
	struct problem *p = &r->problem;
	json_t *current = NULL;
	char today[11];
	long long n;
	int k, via, ret = -1, amounts = 0, err = 0;

	if (!id)
		return -1;
	jv_only(p, r->body, members);
	k = jv_enum(p, r->body, "kind", JV_REQUIRED, kinds);
	kind = k >= 0 ? kinds[k] : "";
	if (in_future(jv_date(p, r->body, "decided_on", JV_REQUIRED), today))
		problem_add_pointer(p, "/decided_on", "must not be in the future (today is %s in Tokyo): record an outcome once it is decided", today);
	jv_enum(p, r->body, "decision", JV_OPTIONAL, decisions);
	amounts += jv_int(p, r->body, "agreed_one_off_jpy", JV_OPTIONAL, 0, YEN_MAX, &n) == 1;
	amounts += jv_int(p, r->body, "agreed_recurring_yearly_jpy", JV_OPTIONAL, 0, YEN_MAX, &n) == 1;
	effective = jv_date(p, r->body, "effective_on", JV_OPTIONAL);
	jv_string(p, r->body, "contract_ref", JV_OPTIONAL, 1, 200);
	jv_string(p, r->body, "remaining", JV_OPTIONAL, 1, 4000);
	jv_int(p, r->body, "price_before_jpy", JV_OPTIONAL, 0, YEN_MAX, &n);
	jv_int(p, r->body, "price_after_jpy", JV_OPTIONAL, 0, YEN_MAX, &n);
	jv_string(p, r->body, "reason", JV_OPTIONAL, 1, 4000);
	via = jv_enum(p, r->body, "reason_sent_via", JV_OPTIONAL, vias);
	after = jv_date(p, r->body, "reason_sent_on", JV_OPTIONAL);
	jv_string(p, r->body, "note", JV_OPTIONAL, 1, 4000);
	jv_uuid(p, r->body, "corrects", JV_OPTIONAL);
	if ((!strcmp(kind, "price_revised") || !strcmp(kind, "partially")) && !amounts &&
	    !problem_error_count(p))
		problem_add_pointer(p, "/agreed_one_off_jpy",
				    "an agreed amount is required (agreed_one_off_jpy or agreed_recurring_yearly_jpy)");
	if (!strcmp(kind, "price_revised") && jv_empty(r->body, "effective_on"))
		problem_add_pointer(p, "/effective_on", "is required when the price is revised");
	if (!strcmp(kind, "partially") && jv_empty(r->body, "remaining"))
		problem_add_pointer(p, "/remaining", "is required: say what is left open");
	if (!strcmp(kind, "declined")) {
		if (jv_empty(r->body, "reason"))
			problem_add_pointer(p, "/reason", "is required when a price change is declined: record the reason given");
		if (jv_empty(r->body, "reason_sent_via"))
			problem_add_pointer(p, "/reason_sent_via", "is required when a price change is declined: how the reason was sent");
	}
	if (via >= 0 && via <= 2 && !after)
		problem_add_pointer(p, "/reason_sent_on", "is required when the reason was sent in writing or electronically");
	if (problem_error_count(p))
		return req_fail_invalid(r);
	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || negotiations_lock(r, id, &current))
		goto out;
	{
		const char *first = json_string_value(json_object_get(current, "requested_on_max"));

		if (effective && first && strcmp(effective, first) < 0) {
			problem_set(p, 422, "validation-failed", NULL, "the request body has invalid fields; see errors");
			problem_add_pointer(p, "/effective_on", "must not be before the security request (requested on %s)", first);
			goto out;
		}
	}
	ret = append(r, id, &outcome_stmt, &outcome_of_stmt, "negotiation_outcome", current);
out:
	json_decref(current);
	return req_end(r, ret, err);
}
