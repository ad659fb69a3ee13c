/*
 * incident_list.c - incident lists: the tenant's, with the PPC filters, and
 * the views from above on the chain (an engagement sees every incident in
 * its chain; a vendor sees its own and those of every subcontractor below
 * it, through the path the incident carries).
 */
#include "incidents/incident_list.h"
#include "incidents/incidents.h"

#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/resource.h"

static const char *const sorts[] = { "created", "deadline", NULL };

/* $3 status[], $4 severity[], $5 category[], $6 vendor, $7 engagement,
 * $8 ppc_reportable, $9 deadline_before, $10 overdue, $11 open, $12-$15
 * vendor scope (http/scope.h; the vendor it happened at) */
#define FILTERS \
	"   and ($3::text[] is null or i.status = any($3::text[]))" \
	"   and ($4::text[] is null or i.severity = any($4::text[]))" \
	"   and ($5::text[] is null or i.category = any($5::text[]))" \
	"   and ($6::uuid is null or i.vendor_id = $6::uuid)" \
	"   and ($7::uuid is null or i.engagement_id = $7::uuid)" \
	"   and ($8::boolean is null or i.ppc_reportable = $8::boolean)" \
	"   and ($9::timestamptz is null or incident_next_deadline(i) < $9::timestamptz)" \
	"   and ($10::boolean is null or (incident_next_deadline(i) < now()) = $10::boolean)" \
	"   and ($11::boolean is null or (i.status not in ('resolved', 'closed')) = $11::boolean)" \
	"   and vendor_in_scope($1, i.vendor_id, $12, $13, $14, $15::text[])"

static struct db_stmt by_created_stmt = DB_STMT(
	"select i.created_at::text, i.id::text, incident_json(i)::text from incidents i"
	" where i.tenant_id = $1 and $2::uuid is null" FILTERS
	"   and ($16::timestamptz is null or (i.created_at, i.id) > ($16::timestamptz, $17::uuid))"
	" order by i.created_at, i.id limit $18");
/* Nearest unmet PPC deadline first: the work queue for the privacy officer. */
static struct db_stmt by_deadline_stmt = DB_STMT(
	"select incident_next_deadline(i)::text, i.id::text, incident_json(i)::text from incidents i"
	" where i.tenant_id = $1 and $2::uuid is null and incident_next_deadline(i) is not null" FILTERS
	"   and ($16::timestamptz is null"
	"        or (incident_next_deadline(i), i.id) > ($16::timestamptz, $17::uuid))"
	" order by incident_next_deadline(i), i.id limit $18");

static const char *bool_param(struct req *r, const char *name)
{
	int v = query_bool(r, name);

	return v < 0 ? NULL : v ? "true" : "false";
}

int incidents_list(struct req *r)
{
	char status[96], severity[64], category[160];
	const char *params[18], *sort;
	struct scope sc;
	int ret;

	query_enum_list(r, "status", incident_statuses, status, sizeof(status));
	query_enum_list(r, "severity", incident_severities, severity, sizeof(severity));
	query_enum_list(r, "category", incident_categories, category, sizeof(category));
	params[5] = query_uuid(r, "vendor_id");
	params[6] = query_uuid(r, "engagement_id");
	params[7] = bool_param(r, "ppc_reportable");
	params[8] = query_timestamp(r, "deadline_before");
	params[9] = bool_param(r, "overdue");
	params[10] = bool_param(r, "open");
	sort = query_enum(r, "sort", sorts);
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	params[2] = status[0] ? status : NULL;
	params[3] = severity[0] ? severity : NULL;
	params[4] = category[0] ? category : NULL;
	scope_params(&sc, params + 11);
	ret = resource_list(r, NULL, NULL, NULL,
			    sort && !strcmp(sort, "deadline") ? &by_deadline_stmt : &by_created_stmt,
			    18, params);
	scope_free(&sc);
	return ret;
}

static struct db_stmt engagement_stmt = DB_STMT(
	"select i.created_at::text, i.id::text, incident_json(i)::text from incidents i"
	" where i.tenant_id = $1 and i.engagement_id = $2"
	"   and ($3::text[] is null or i.status = any($3::text[]))"
	"   and ($4::timestamptz is null or (i.created_at, i.id) > ($4::timestamptz, $5::uuid))"
	" order by i.created_at, i.id limit $6");
static struct db_stmt engagement_exists_stmt = DB_STMT(
	"select 1 from engagements where tenant_id = $1 and id = $2");

int incidents_list_for_engagement(struct req *r)
{
	const char *engagement = req_param_uuid(r, "id", "engagement");
	const char *params[6];
	char status[96];

	if (!engagement)
		return -1;
	query_enum_list(r, "status", incident_statuses, status, sizeof(status));
	if (query_fail(r))
		return -1;
	params[2] = status[0] ? status : NULL;
	return resource_list(r, engagement, "engagement", &engagement_exists_stmt,
			     &engagement_stmt, 6, params);
}

/* The path holds the vendor wherever it sits: at the incident or above it. */
static struct db_stmt vendor_stmt = DB_STMT(
	"select i.created_at::text, i.id::text, incident_json(i)::text from incidents i"
	" where i.tenant_id = $1 and i.chain_path @> array[$2::uuid]"
	"   and ($3::text[] is null or i.status = any($3::text[]))"
	"   and ($4::timestamptz is null or (i.created_at, i.id) > ($4::timestamptz, $5::uuid))"
	" order by i.created_at, i.id limit $6");
static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int incidents_list_for_vendor(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");
	const char *params[6];
	char status[96];

	if (!vendor)
		return -1;
	query_enum_list(r, "status", incident_statuses, status, sizeof(status));
	if (query_fail(r))
		return -1;
	params[2] = status[0] ? status : NULL;
	return resource_list(r, vendor, "vendor", &vendor_exists_stmt, &vendor_stmt, 6, params);
}
