/*
 * vendor_list.c - GET /v1/vendors (filters, search, three sort orders with
 * keyset pagination) and GET /v1/vendors/export.csv (same filters, streamed).
 *
 * Both run the same statements: the export walks the listing 500 rows at a
 * time, borrowing a pooled connection per chunk, so a large export holds no
 * connection between chunks and no more than one chunk in memory.
 */
#include "register/vendor_list.h"
#include "register/vendors.h"
#include "register/engagements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ulfius.h>
#include "db/pool.h"
#include "http/page.h"
#include "http/query.h"
#include "http/req.h"
#include "util/csv.h"

/* The list statements' parameters by name: $1 is params[A_TENANT], $2
 * params[A_STATUS], and so on, in this order. The sort name comes back as
 * the first column, the first value of the next page's cursor, so that a
 * cursor from another order is recognised. */
enum list_arg {
	A_TENANT,       /* $1 */
	A_STATUS,       /* $2  statuses, "{a,b}" */
	A_TIER,         /* $3  tiers */
	A_VERDICT,      /* $4  last monitoring verdicts */
	A_DEPARTMENT,   /* $5 */
	A_TAG,          /* $6 */
	A_PERSONAL,     /* $7  handles personal data */
	A_Q,            /* $8  search, NFKC-folded */
	A_OVERDUE,      /* $9  monitoring overdue */
	A_EXPIRING,     /* $10 a certificate expires within these days */
	A_REF,          /* $11 external_ref */
	A_SORT,         /* $12 sort name, returned for the cursor */
	A_AFTER_KEY,    /* $13 keyset: the last row's sort key */
	A_AFTER_ID,     /* $14 keyset: the last row's id */
	A_LIMIT,        /* $15 */
	A_CATEGORY,     /* $16 has an engagement of this category */
	A_OVERRIDDEN,   /* $17 the tier is overridden */
	A_DUE_WITHIN,   /* $18 monitoring due within these days (not overdue) */
	NPARAMS
};

#define LIST_WHERE \
	" from vendors v where v.tenant_id = $1" \
	"   and ($2::text[] is null or v.status = any($2::text[]))" \
	"   and ($3::text[] is null or v.risk_tier = any($3::text[]))" \
	"   and ($4::text[] is null or v.last_monitoring_verdict = any($4::text[]))" \
	"   and ($5::text is null or v.department = $5)" \
	"   and ($6::text is null or v.tags @> array[$6::text])" \
	"   and ($7::boolean is null or v.handles_personal_data = $7::boolean)" \
	"   and ($8::text is null or v.search_text like '%' || replace(replace(replace(" \
	"        itaku_fold($8), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')" \
	"   and ($9::boolean is null or coalesce(v.next_monitoring_due < tokyo_today(), false) = $9::boolean)" \
	"   and ($10::int is null or exists (select 1 from certifications c" \
	"        where c.tenant_id = v.tenant_id and c.vendor_id = v.id" \
	"          and c.expires_on between tokyo_today() and tokyo_today() + $10::int))" \
	"   and ($11::text is null or v.external_ref = $11)" \
	"   and ($16::text is null or exists (select 1 from engagements e" \
	"        where e.tenant_id = v.tenant_id and e.vendor_id = v.id and e.category = $16))" \
	"   and ($17::boolean is null or (v.risk_override_tier is not null) = $17::boolean)" \
	"   and ($18::int is null or v.next_monitoring_due between tokyo_today() and tokyo_today() + $18::int)"

#define LIST_SQL(key, cast, dir, cmp) \
	"select $12::text, " key "::text, v.id::text, " VENDOR_JSON LIST_WHERE \
	"   and ($13::text is null or (" key ", v.id) " cmp " ($13::" cast ", $14::uuid))" \
	" order by " key " " dir ", v.id " dir " limit $15"

#define DUE "coalesce(v.next_monitoring_due, 'infinity'::date)"

static struct {
	const char *name;
	struct db_stmt stmt;
} sorts[] = {
	{ "name", DB_STMT(LIST_SQL("v.name", "text", "asc", ">")) },
	{ "-name", DB_STMT(LIST_SQL("v.name", "text", "desc", "<")) },
	{ "created_at", DB_STMT(LIST_SQL("v.created_at", "timestamptz", "asc", ">")) },
	{ "-created_at", DB_STMT(LIST_SQL("v.created_at", "timestamptz", "desc", "<")) },
	{ "next_monitoring_due", DB_STMT(LIST_SQL(DUE, "date", "asc", ">")) },
	{ "-next_monitoring_due", DB_STMT(LIST_SQL(DUE, "date", "desc", "<")) },
};
#define NSORTS (sizeof(sorts) / sizeof(sorts[0]))

struct filters {
	char tenant[CRYPTO_UUID_LEN];
	char status[128], tier[64], verdict[96];      /* array literals, "" = none */
	char *department, *tag, *q, *external_ref;    /* owned copies */
	int personal, overdue, overridden;            /* -1 none, 0 false, 1 true */
	char expiring[16], due_within[16];
	char category[32];                            /* a copy: the export outlives the request */
	int sort;
};

static void filters_free(struct filters *f)
{
	free(f->department);
	free(f->tag);
	free(f->q);
	free(f->external_ref);
}

static int filters_parse(struct req *r, struct filters *f)
{
	static const char *const statuses[] = { "candidate", "active", "suspended", "terminated", NULL };
	static const char *const tiers[] = { "high", "medium", "low", NULL };
	static const char *const verdicts[] = { "no_issues", "watch", "action_required", NULL };
	const char *sort = req_query(r, "sort");
	const char *days = query_int(r, "certificate_expiring_within_days", 0, 3650);
	const char *due = query_int(r, "monitoring_due_within_days", 0, 3650);
	const char *category;

	memset(f, 0, sizeof(*f));
	snprintf(f->tenant, sizeof(f->tenant), "%s", r->who.tenant_id);
	query_enum_list(r, "status", statuses, f->status, sizeof(f->status));
	query_enum_list(r, "risk_tier", tiers, f->tier, sizeof(f->tier));
	query_enum_list(r, "last_verdict", verdicts, f->verdict, sizeof(f->verdict));
	f->department = query_text(r, "department", 200);
	f->tag = query_text(r, "tag", 200);
	f->q = query_text(r, "q", 200);
	f->external_ref = query_text(r, "external_ref", 100);
	f->personal = query_bool(r, "handles_personal_data");
	f->overdue = query_bool(r, "monitoring_overdue");
	f->overridden = query_bool(r, "risk_overridden");
	category = query_enum(r, "engagement_category", engagements_categories);
	if (category)
		snprintf(f->category, sizeof(f->category), "%s", category);
	if (days)
		snprintf(f->expiring, sizeof(f->expiring), "%s", days);
	if (due)
		snprintf(f->due_within, sizeof(f->due_within), "%s", due);
	f->sort = 0;
	if (sort) {
		f->sort = -1;
		for (size_t i = 0; i < NSORTS; i++)
			if (!strcmp(sort, sorts[i].name))
				f->sort = (int)i;
		if (f->sort < 0)
			problem_add_parameter(&r->problem, "sort",
					      "must be name, created_at or next_monitoring_due, optionally prefixed with -");
	}
	return query_fail(r);
}

static void filters_params(const struct filters *f, const char *params[NPARAMS])
{
	params[A_TENANT] = f->tenant;
	params[A_STATUS] = f->status[0] ? f->status : NULL;
	params[A_TIER] = f->tier[0] ? f->tier : NULL;
	params[A_VERDICT] = f->verdict[0] ? f->verdict : NULL;
	params[A_DEPARTMENT] = f->department;
	params[A_TAG] = f->tag;
	params[A_PERSONAL] = f->personal < 0 ? NULL : f->personal ? "true" : "false";
	params[A_Q] = f->q;
	params[A_OVERDUE] = f->overdue < 0 ? NULL : f->overdue ? "true" : "false";
	params[A_EXPIRING] = f->expiring[0] ? f->expiring : NULL;
	params[A_REF] = f->external_ref;
	params[A_SORT] = sorts[f->sort].name;
	params[A_CATEGORY] = f->category[0] ? f->category : NULL;
	params[A_OVERRIDDEN] = f->overridden < 0 ? NULL : f->overridden ? "true" : "false";
	params[A_DUE_WITHIN] = f->due_within[0] ? f->due_within : NULL;
}

int vendors_list(struct req *r)
{
	struct filters f;
	struct page pg = { 0 };
	const char *params[NPARAMS];
	PGresult *res = NULL;
	char limit[16];
	int err, ret = -1;

	if (filters_parse(r, &f) || page_parse(r, &pg))
		goto out;
	/* The sort is the first cursor value: a cursor from another order
	 * would point into the wrong place. */
	if (pg.after && (json_array_size(pg.after) != 3 ||
			 strcmp(page_after(&pg, 0), sorts[f.sort].name) != 0)) {
		problem_add_parameter(&r->problem, "cursor", "belongs to another sort order");
		req_fail(r, 400, "invalid-cursor", "the cursor was made for another sort order");
		goto out;
	}
	if (!req_db(r))
		goto out;
	filters_params(&f, params);
	snprintf(limit, sizeof(limit), "%d", pg.limit + 1);
	params[A_AFTER_KEY] = page_after(&pg, 1);
	params[A_AFTER_ID] = page_after(&pg, 2);
	params[A_LIMIT] = limit;
	if ((err = db_exec(r->db, &sorts[f.sort].stmt, NPARAMS, params, &res))) {
		req_fail_db(r, err);
		goto out;
	}
	ret = page_respond_rows(r, &pg, res, 3);
out:
	PQclear(res);
	page_free(&pg);
	filters_free(&f);
	return ret;
}

/* ---- CSV export ------------------------------------------------------------ */

#define EXPORT_CHUNK 500

static const char *const csv_columns[] = {
	"id", "external_ref", "name", "name_kana", "corporate_number", "entity_type", "country",
	"address", "capital_jpy", "employee_count", "department", "status", "risk_tier",
	"risk_computed_tier", "risk_override_reason", "handles_personal_data",
	"last_monitoring_date", "last_verdict", "next_monitoring_due", "monitoring_overdue",
	"corporation_closed", "official_name", "tags", "created_at", "updated_at", NULL
};

struct export {
	struct app *app;
	struct filters f;
	char *after_key, *after_id;
	struct csv_buf out;   /* the rows not yet read; reset once read */
	size_t pos;
	int done;
};

static const char *jtext(json_t *v, char *tmp, size_t cap)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_integer(v)) {
		snprintf(tmp, cap, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	return NULL;
}

static void csv_row(struct export *x, json_t *v)
{
	json_t *risk = json_object_get(v, "risk"), *mon = json_object_get(v, "monitoring");
	json_t *ovr = json_object_get(risk, "override"), *off = json_object_get(v, "official");
	json_t *cells[32], *tag;
	char tmp[32], *tags = NULL;
	size_t i, n = 0;

	cells[n++] = json_object_get(v, "id");
	cells[n++] = json_object_get(v, "external_ref");
	cells[n++] = json_object_get(v, "name");
	cells[n++] = json_object_get(v, "name_kana");
	cells[n++] = json_object_get(v, "corporate_number");
	cells[n++] = json_object_get(v, "entity_type");
	cells[n++] = json_object_get(v, "country");
	cells[n++] = json_object_get(v, "address");
	cells[n++] = json_object_get(v, "capital_jpy");
	cells[n++] = json_object_get(v, "employee_count");
	cells[n++] = json_object_get(v, "department");
	cells[n++] = json_object_get(v, "status");
	cells[n++] = json_object_get(risk, "tier");
	cells[n++] = json_object_get(risk, "computed_tier");
	cells[n++] = json_object_get(ovr, "reason");
	cells[n++] = json_object_get(v, "handles_personal_data");
	cells[n++] = json_object_get(mon, "last_date");
	cells[n++] = json_object_get(mon, "last_verdict");
	cells[n++] = json_object_get(mon, "next_due");
	cells[n++] = json_object_get(mon, "overdue");
	cells[n++] = json_object_get(v, "corporation_closed");
	cells[n++] = json_object_get(off, "name");
	for (i = 0; i < n; i++)
		csv_field(&x->out, jtext(cells[i], tmp, sizeof(tmp)), i == 0, 1);
	json_array_foreach(json_object_get(v, "tags"), i, tag) {
		char *next = NULL;

		if (asprintf(&next, "%s%s%s", tags ? tags : "", tags ? ";" : "", json_string_value(tag)) < 0)
			break;
		free(tags);
		tags = next;
	}
	csv_field(&x->out, tags, 0, 1);
	free(tags);
	csv_field(&x->out, json_string_value(json_object_get(v, "created_at")), 0, 0);
	csv_field(&x->out, json_string_value(json_object_get(v, "updated_at")), 0, 0);
	csv_end_record(&x->out);
}

/* Appends the next chunk of rows; sets done after the last one. */
static int export_fill(struct export *x)
{
	const char *params[NPARAMS];
	struct db_conn *c;
	PGresult *res = NULL;
	char limit[16];
	int n, err;

	if (pool_acquire(x->app->pool, &c))
		return -1;
	filters_params(&x->f, params);
	snprintf(limit, sizeof(limit), "%d", EXPORT_CHUNK);
	params[A_AFTER_KEY] = x->after_key;
	params[A_AFTER_ID] = x->after_id;
	params[A_LIMIT] = limit;
	err = db_exec(c, &sorts[x->f.sort].stmt, NPARAMS, params, &res);
	pool_release(x->app->pool, c);
	if (err)
		return -1;
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		json_t *v = json_loads(PQgetvalue(res, i, 3), 0, NULL);

		csv_row(x, v);
		json_decref(v);
	}
	if (n > 0) {
		free(x->after_key);
		free(x->after_id);
		x->after_key = strdup(PQgetvalue(res, n - 1, 1));
		x->after_id = strdup(PQgetvalue(res, n - 1, 2));
	}
	x->done = n < EXPORT_CHUNK;
	PQclear(res);
	return 0;
}

static ssize_t export_read(void *cls, uint64_t offset, char *out, size_t max)
{
	struct export *x = cls;
	size_t n;

	(void)offset;
	if (x->pos == x->out.len) {
		x->pos = x->out.len = 0;
		while (x->out.len == 0 && !x->done)
			if (export_fill(x) || x->out.failed)
				return U_STREAM_ERROR;
		if (x->out.len == 0)
			return U_STREAM_END;
	}
	n = x->out.len - x->pos < max ? x->out.len - x->pos : max;
	memcpy(out, x->out.data + x->pos, n);
	x->pos += n;
	return (ssize_t)n;
}

static void export_free(void *cls)
{
	struct export *x = cls;

	filters_free(&x->f);
	free(x->after_key);
	free(x->after_id);
	csv_buf_free(&x->out);
	free(x);
}

int vendors_export(struct req *r)
{
	struct export *x = calloc(1, sizeof(*x));

	if (!x)
		return req_fail(r, 500, "internal", "out of memory");
	x->app = r->app;
	if (filters_parse(r, &x->f)) {
		export_free(x);
		return -1;
	}
	/* BOM first, so that Excel reads UTF-8; then the header row. */
	csv_put(&x->out, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; csv_columns[i]; i++)
		csv_field(&x->out, csv_columns[i], i == 0, 0);
	csv_end_record(&x->out);
	req_set_header(r, "Content-Disposition", "attachment; filename=\"vendors.csv\"");
	return req_stream(r, 200, "text/csv; charset=utf-8", export_read, export_free, x);
}
