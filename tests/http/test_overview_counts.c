/* The overview's kept counts (migration 0035,
 * sql/functions/94_overview_counts.sql), on a generated register
 * (tests/fixtures/overview_seed.sql). The server's scheduler runs once at
 * start (hourly after), and the tests call its steps themselves. After
 * writes of every shape (multi-row updates that move a fact's day,
 * deletes, a foreign key's cascade, the rule results' upserts) the kept
 * counts equal a recount of the records, and the overview read from them
 * equals the one counted from the records. Rule results kept nowhere are
 * evaluated. A fold or a recount whose transaction is still open while
 * another write commits loses nothing; a tenant without counts is read
 * from its records and counted by the recount step; counts written
 * around the triggers are set aside by the day's check before the day's
 * snapshot, and counted again; counts made under other facts functions
 * are set aside when `itaku migrate` applies the functions file again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct itk t;
static char *tenant;

static char *sql1(const char *sql)
{
	const char *params[1] = { tenant };

	return itk_sql_value(&t, sql, 1, params);
}

static void sql_do(const char *sql)
{
	free(sql1(sql));
}

static long sqln(const char *sql)
{
	char *v = sql1(sql);
	long n = atol(v);

	free(v);
	return n;
}

static void ck_sql(const char *sql, const char *want)
{
	char *v = sql1(sql);

	ck_assert_msg(!strcmp(v, want), "%s: %s, not %s", sql, v, want);
	free(v);
}

/* The tenant's overview (without its moment), as a string. */
static char *overview(void)
{
	return sql1("select (overview_json($1, null, null, null, null, true)::jsonb - 'as_of')::text");
}

/* The kept counts agree with a recount, and the overview read from them
 * with the one counted from the records (the tenant taken off the
 * counted list inside a transaction that is rolled back). */
static void ck_kept(const char *after)
{
	PGconn *c = itk_connect(&t);
	const char *params[1] = { tenant };
	char *kept, *counted;
	PGresult *r;
	size_t at;

	ck_assert_msg(sqln("select count(*) from overview_counts_diff($1)") == 0, "after %s: %s", after,
		      sql1("select left(string_agg(format('%s %s %s: kept %s, counted %s', kind, figure, day, kept,"
			   " counted), '; '), 500) from overview_counts_diff($1)"));
	kept = overview();
	PQclear(PQexec(c, "begin"));
	r = PQexecParams(c, "delete from overview_counts_ready where tenant_id = $1", 1, NULL, params, NULL, NULL, 0);
	ck_assert_str_eq(PQcmdTuples(r), "1");
	PQclear(r);
	r = PQexecParams(c, "select (overview_json($1, null, null, null, null, true)::jsonb - 'as_of')::text",
			 1, NULL, params, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	counted = PQgetvalue(r, 0, 0);
	for (at = 0; kept[at] && kept[at] == counted[at]; at++)
		;
	at = at > 120 ? at - 120 : 0;
	ck_assert_msg(!strcmp(kept, counted), "after %s, from character %zu:\nkept:    %.240s\ncounted: %.240s",
		      after, at, kept + at, counted + at);
	PQclear(r);
	PQclear(PQexec(c, "rollback"));
	PQfinish(c);
	free(kept);
}

static void setup(void)
{
	static const char *const env[] = { "ITAKU_SCHEDULER_INTERVAL_S=3600", NULL };

	itk_setup(&t, "overview_counts", env);
	tenant = itk_sql_value(&t, "select id::text from tenants order by created_at limit 1", 0, NULL);
	itk_load_fixture_functions(&t, "overview_seed.sql");
	sql_do("select overview_seed($1, 120)");
	sql_do("select overview_seed_torihiki($1)");
}

static void teardown(void)
{
	free(tenant);
	itk_teardown(&t);
}

START_TEST(counts_follow_writes_of_every_shape)
{
	ck_kept("the seed");
	ck_assert_int_gt(sqln("select count(*) from overview_counts where tenant_id = $1"), 100);
	ck_assert_int_gt(sqln("select sum(n) from overview_counts where tenant_id = $1 and kind = 'rules'"), 0);

	/* many rows at once, each fact's day moving */
	sql_do("update vendors set last_monitoring_date = last_monitoring_date - 200 where tenant_id = $1");
	ck_kept("monitoring dates moved");
	sql_do("update vendors set last_monitoring_verdict = 'action_required'"
	       " where tenant_id = $1 and last_monitoring_verdict = 'watch'");
	ck_kept("verdicts changed");
	sql_do("update certifications set expires_on = expires_on - 100, scope_verified = not scope_verified"
	       " where tenant_id = $1");
	ck_kept("certifications changed");
	sql_do("delete from certifications c where c.tenant_id = $1 and c.kind = 'isms'"
	       " and not exists (select 1 from security_requests s where s.equivalent_certification_id = c.id)");
	ck_kept("certifications deleted");
	sql_do("update engagements set ends_on = tokyo_today() - 1 where tenant_id = $1 and ends_on is null"
	       " and handles_personal_data");
	sql_do("update engagements set data_locations = '{JP,SG}' where tenant_id = $1 and category = 'datacenter'");
	ck_kept("engagements ended and moved abroad");
	/* rule 7 kept per engagement: an engagement taken out of 取適法 deletes its row */
	ck_assert_int_gt(sqln("select count(*) from engagement_rule_results where tenant_id = $1"), 0);
	sql_do("update engagements set torihiki_type = 'not_applicable'"
	       " where tenant_id = $1 and torihiki_type = 'program_creation'");
	ck_kept("engagements taken out of 取適法");
	sql_do("update engagements set payment_due_days = 90 where tenant_id = $1 and payment_due_days = 30");
	ck_kept("payment terms lengthened");
	sql_do("update assessments set due_on = due_on - 40 where tenant_id = $1"
	       " and status in ('sent', 'in_progress', 'returned')");
	ck_kept("assessments' due dates moved");
	/* vendors inserted and deleted in one statement each */
	sql_do("insert into vendors (tenant_id, external_ref, name, status, last_monitoring_date, last_monitoring_verdict)"
	       " select $1, 'TMP' || n, '一時' || n, 'candidate', tokyo_today() - 400, 'watch' from generate_series(1, 3) n");
	ck_kept("vendors inserted");
	sql_do("delete from vendors where tenant_id = $1 and external_ref like 'TMP%'");
	ck_kept("vendors deleted");
	/* an engagement's deletion cascades to its kept rule results */
	ck_assert_int_gt(sqln("select count(*) from engagements e join engagement_rule_results k on k.engagement_id = e.id"
			      " where e.tenant_id = $1 and not exists (select 1 from subcontracts s where s.engagement_id = e.id)"
			      " and not exists (select 1 from handovers h where h.engagement_id = e.id)"
			      " and not exists (select 1 from security_requests r where r.engagement_id = e.id)"), 0);
	sql_do("delete from engagements e where e.tenant_id = $1"
	       " and exists (select 1 from engagement_rule_results k where k.engagement_id = e.id)"
	       " and not exists (select 1 from subcontracts s where s.engagement_id = e.id)"
	       " and not exists (select 1 from handovers h where h.engagement_id = e.id)"
	       " and not exists (select 1 from security_requests r where r.engagement_id = e.id)");
	ck_kept("engagements deleted");
	/* the kept results rewritten through their upsert (yesterday's, as after midnight) */
	sql_do("update request_rule_results set held_on = held_on - 1 where tenant_id = $1");
	ck_kept("the requests' results a day old");
	ck_assert_int_gt(sqln("select sum(security_request_rules_refresh(s.tenant_id, s.id) + 1) from security_requests s"
			      " where s.tenant_id = $1"), 0);
	ck_sql("select count(*) from request_rule_results where tenant_id = $1 and held_on <> tokyo_today()", "0");
	ck_kept("rule results refreshed");

	/* folded: nothing left unsettled, no count of zero kept */
	ck_assert_int_gt(sqln("select count(*) from overview_counts where tenant_id = $1 and not settled"), 0);
	ck_assert_int_gt(sqln("select changed from overview_counts_settle_step(20) where $1::text is not null"), 0);
	ck_sql("select count(*) from overview_counts where tenant_id = $1 and not settled", "0");
	ck_sql("select count(*) from overview_counts where tenant_id = $1 and n = 0", "0");
	ck_kept("the fold");
}
END_TEST

/* The overview's rule figures against the rows GET /v1/negotiation-risks lists. */
static void ck_rules(const char *after)
{
	ck_assert_msg(sqln("select count(*) from jsonb_each(overview_json($1, null, null, null, null, true)::jsonb"
			   "                             #> '{negotiations,risks_by_rule}') f"
			   " where (f.value ->> 'count')::bigint <> (select count(*)"
			   "   from negotiation_risk_rows($1, null, null, null, null, null, null, null) x"
			   "  where split_part(x.key, ':', 1) = f.key)") == 0, "after %s", after);
}

START_TEST(rule_results_kept_nowhere_are_evaluated)
{
	ck_assert_int_gt(sqln("select sum(n) from overview_counts where tenant_id = $1 and kind = 'rules'"), 0);
	ck_sql("select count(*) from security_requests s where s.tenant_id = $1 and not exists (select 1"
	       " from request_rule_results k where k.request_id = s.id and k.held_on = tokyo_today())", "0");
	ck_rules("the seed");
	/* engagements within 取適法 keeping none (every request keeps today's) */
	sql_do("delete from engagement_rule_results where tenant_id = $1"
	       " and engagement_id in (select engagement_id from engagement_rule_results"
	       "                        where tenant_id = $1 and keys <> '{}' limit 3)");
	ck_kept("engagements' results kept nowhere");
	ck_rules("engagements' results kept nowhere");
	/* kept again; then requests' results kept yesterday, or not at all (the
	 * engagements' half of the gate says nothing is missing) */
	sql_do("select count(engagement_rules_refresh(e.tenant_id, e.id)) from engagements e"
	       " where e.tenant_id = $1 and e.torihiki_type <> 'not_applicable'"
	       " and not exists (select 1 from engagement_rule_results k where k.engagement_id = e.id)");
	ck_sql("select count(*) from engagements e where e.tenant_id = $1 and e.torihiki_type <> 'not_applicable'"
	       " and not exists (select 1 from engagement_rule_results k where k.engagement_id = e.id)", "0");
	ck_rules("engagements' results kept again");
	sql_do("update request_rule_results set held_on = held_on - 1"
	       " where tenant_id = $1 and request_id in (select request_id from request_rule_results"
	       "                                          where tenant_id = $1 and keys <> '{}' limit 2)");
	sql_do("delete from request_rule_results where tenant_id = $1"
	       " and request_id in (select request_id from request_rule_results"
	       "                     where tenant_id = $1 and keys <> '{}' and held_on = tokyo_today() limit 2)");
	ck_kept("requests' results kept yesterday or not at all");
	ck_rules("requests' results kept yesterday or not at all");
	/* kept again by the day's scan: nothing left to evaluate */
	sql_do("delete from scheduler_runs where job = 'negotiation_risks' and $1::text is not null");
	for (int steps = 0; sqln("select more::int from negotiation_risks_step(500) where $1::text is not null"); steps++)
		ck_assert_int_lt(steps, 100);
	ck_sql("select count(*) from security_requests s where s.tenant_id = $1 and not exists (select 1"
	       " from request_rule_results k where k.request_id = s.id and k.held_on = tokyo_today())", "0");
	ck_sql("select count(*) from engagements e where e.tenant_id = $1 and e.torihiki_type <> 'not_applicable'"
	       " and not exists (select 1 from engagement_rule_results k where k.engagement_id = e.id)", "0");
	ck_kept("the day's scan");
	ck_rules("the day's scan");
}
END_TEST

/* A write that commits while a fold or a recount (B) has done its work but
 * not yet committed: begun before B's statement, or made entirely after it. */
START_TEST(a_write_committed_during_a_fold_or_recount_is_kept)
{
	static const char *const upkeep[] = { "select overview_counts_settle($1)::text",
					      "select overview_counts_rebuild($1)::text" };
	const char *params[1] = { tenant };
	PGconn *a = itk_connect(&t), *b = itk_connect(&t);

	/* a writer never waits for the upkeep: a wait would be this timeout */
	PQclear(PQexec(a, "set statement_timeout = 5000"));

	for (int i = 0; i < 4; i++) {
		const char *verdict = i % 2 ? "watch" : "no_issues";
		const char *write_params[2] = { tenant, verdict };
		const char *write = "update vendors set last_monitoring_verdict = $2,"
				    " last_monitoring_date = coalesce(last_monitoring_date, tokyo_today() - 10)"
				    " where tenant_id = $1 and external_ref like 'GEN1%'";
		int before = i < 2;
		PGresult *r;

		if (before) {
			PQclear(PQexec(a, "begin"));
			r = PQexecParams(a, write, 2, NULL, write_params, NULL, NULL, 0);
			ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
			PQclear(r);
		}
		PQclear(PQexec(b, "begin"));
		r = PQexecParams(b, upkeep[i % 2], 1, NULL, params, NULL, NULL, 0);
		ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
		PQclear(r);
		if (before) {
			PQclear(PQexec(a, "commit"));
		} else {
			r = PQexecParams(a, write, 2, NULL, write_params, NULL, NULL, 0);
			ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
			ck_assert_int_gt(atoi(PQcmdTuples(r)), 0);
			PQclear(r);
		}
		/* the write's own rows are in, while B still holds its lock */
		r = PQexecParams(a, "select count(*) from overview_counts where tenant_id = $1 and not settled"
				 " and figure = 'verdict:' || $2", 2, NULL, write_params, NULL, NULL, 0);
		ck_assert_int_gt(atoi(PQgetvalue(r, 0, 0)), 0);
		PQclear(r);
		PQclear(PQexec(b, "commit"));
		ck_kept(before ? "a write begun before the upkeep, committed during it"
			       : "a write made and committed during the upkeep");
	}
	PQfinish(a);
	PQfinish(b);
}
END_TEST

START_TEST(a_tenant_without_counts_is_read_from_its_records_then_counted)
{
	char *kept = overview(), *counted;

	/* as a tenant from before migration 0035, or after the facts changed */
	ck_assert_int_gt(sqln("select count(*) from overview_counts where tenant_id = $1"), 0);
	sql_do("with gone as (delete from overview_counts where tenant_id = $1)"
	       " delete from overview_counts_ready where tenant_id = $1");
	ck_sql("select count(*) from overview_counts_ready where tenant_id = $1", "0");
	counted = overview();   /* no counts at all: only the records could give this */
	ck_assert_str_eq(kept, counted);
	free(counted);
	/* the recount step counts it (one tenant a step) */
	ck_sql("select more::text || ' ' || changed from overview_counts_recount_step(1) where $1::text is not null",
	       "true 1");
	ck_sql("select checked_on = tokyo_today() from overview_counts_ready where tenant_id = $1", "t");
	ck_kept("the recount");
	counted = overview();
	ck_assert_str_eq(kept, counted);
	free(counted);
	free(kept);
	/* checked today: the next step has nothing to do */
	ck_sql("select more::text || ' ' || changed from overview_counts_recount_step(1) where $1::text is not null",
	       "false 0");
}
END_TEST

START_TEST(counts_written_around_the_triggers_are_set_aside_by_the_days_check)
{
	char body[512];

	snprintf(body, sizeof(body), "do $x$ begin set local session_replication_role = replica;"
		 " update certifications set expires_on = tokyo_today() - 1 where tenant_id = '%s'; end $x$", tenant);
	PQclear(itk_sql(&t, body, 0, NULL));
	ck_assert_int_gt(sqln("select count(*) from overview_counts_diff($1)"), 0);
	/* checked today already: left alone until tomorrow's check */
	ck_sql("select overview_counts_check($1)::text", "false");
	ck_sql("select count(*) from overview_counts_ready where tenant_id = $1", "1");
	/* the next day's snapshot checks first: the counts differ, so they are set
	 * aside and the day's figures read from the records */
	sql_do("update overview_counts_ready set checked_on = tokyo_today() - 1 where tenant_id = $1");
	for (int steps = 0; sqln("select more::int from vendors_rederive_step(500) where $1::text is not null"); steps++)
		ck_assert_int_lt(steps, 100);
	sql_do("delete from scheduler_runs where job = 'overview_snapshot' and $1::text is not null");
	sql_do("delete from overview_days where tenant_id = $1");
	ck_sql("select more::text || ' ' || written from overview_snapshot_step(10) where $1::text is not null",
	       "false 1");
	ck_sql("select count(*) from overview_counts_ready where tenant_id = $1", "0");
	ck_sql("select figures ->> 'certifications_expired' = (select count(*)::text from certifications"
	       " where tenant_id = $1 and expires_on < tokyo_today()) from overview_days where tenant_id = $1", "t");
	/* counted afresh by the next step */
	ck_sql("select more::text || ' ' || changed from overview_counts_recount_step(1) where $1::text is not null",
	       "true 1");
	ck_kept("the count after the day's check");
	/* a tenant whose counts agree is only marked checked */
	sql_do("update overview_counts_ready set checked_on = tokyo_today() - 1 where tenant_id = $1");
	ck_sql("select overview_counts_check($1)::text", "false");
	ck_sql("select checked_on = tokyo_today() from overview_counts_ready where tenant_id = $1", "t");
}
END_TEST

/* `itaku migrate` applying the functions file again sets aside the counts
 * made under other facts functions, and only those. */
START_TEST(counts_of_other_facts_are_made_again)
{
	static const char *const argv[] = { "migrate", NULL };
	char *other, *out;
	int status;

	ck_sql("select facts = overview_facts_version() from overview_counts_ready where tenant_id = $1", "t");
	other = itk_bootstrap(&t, "t2");
	free(other);
	ck_sql("select count(*) from overview_counts_ready where $1::text is not null", "2");
	sql_do("update overview_counts_ready set facts = 'older' where tenant_id = $1");
	sql_do("delete from itaku_schema_functions where name = '94_overview_counts.sql' and $1::text is not null");
	out = itk_run(&t, argv, NULL, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_msg(strstr(out, "94_overview_counts.sql") != NULL, "%s", out);
	free(out);
	ck_sql("select count(*) from overview_counts_ready where tenant_id = $1", "0");
	ck_sql("select count(*) from overview_counts_ready where tenant_id <> $1", "1");
	ck_sql("select more::text || ' ' || changed from overview_counts_recount_step(5) where $1::text is not null",
	       "false 1");
	ck_kept("counted again");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overview_counts");
	TCase *tc = tcase_create("overview_counts");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, counts_follow_writes_of_every_shape);
	tcase_add_test(tc, rule_results_kept_nowhere_are_evaluated);
	tcase_add_test(tc, a_write_committed_during_a_fold_or_recount_is_kept);
	tcase_add_test(tc, a_tenant_without_counts_is_read_from_its_records_then_counted);
	tcase_add_test(tc, counts_written_around_the_triggers_are_set_aside_by_the_days_check);
	tcase_add_test(tc, counts_of_other_facts_are_made_again);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
