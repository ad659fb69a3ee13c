/*
 * reminders.c - the reminders list (see reminders.h).
 */
#include "assessments/reminders.h"

#include <stddef.h>
#include "http/page.h"
#include "http/query.h"
#include "http/req.h"

static const char *const kinds[] = { "assessment", "finding", NULL };

/* $1 tenant, $2 kind, $3 vendor, then the keyset and the limit. Due:
 * oldest day first, then kind and subject (d.k): one reminder per
 * assessment or finding at most. */
static struct db_stmt due_stmt = DB_STMT(
	"select d.day::text, d.k, reminder_json(d.tenant_id, d.kind, d.assessment_id, d.finding_id,"
	"       d.offset_days, d.due_on, null, null, null)::text"
	"  from reminders_due($1, tokyo_today()) d"
	" where ($2::text is null or d.kind = $2)"
	"   and ($3::uuid is null or d.vendor_id = $3::uuid)"
	"   and ($4::date is null or (d.day, d.k collate \"C\") > ($4::date, $5::text collate \"C\"))"
	" order by d.day, d.k collate \"C\" limit $6");
/* Fired: newest first. The key compares ids as text, so that a cursor
 * of the other listing gives a page, never an error. */
static struct db_stmt fired_stmt = DB_STMT(
	"select x.fired_at::text, x.id::text, reminder_json(x.tenant_id, x.kind, x.assessment_id, x.finding_id,"
	"       x.offset_days, x.due_on, x.id, x.fired_at, x.event_id)::text"
	"  from reminders x join assessments a on a.tenant_id = x.tenant_id and a.id = x.assessment_id"
	" where x.tenant_id = $1 and ($2::text is null or x.kind = $2)"
	"   and ($3::uuid is null or a.vendor_id = $3::uuid)"
	"   and ($4::timestamptz is null"
	"        or (x.fired_at, x.id::text collate \"C\") < ($4::timestamptz, $5::text collate \"C\"))"
	" order by x.fired_at desc, x.id::text collate \"C\" desc limit $6");

int reminders_list(struct req *r)
{
	const char *params[6] = { r->who.tenant_id };
	int due;

	params[1] = query_enum(r, "kind", kinds);
	params[2] = query_uuid(r, "vendor_id");
	due = query_bool(r, "due");
	if (query_fail(r))
		return -1;
	return page_list(r, due == 1 ? &due_stmt : &fired_stmt, 6, params, 2);
}
