/*
 * scheduler.h - the periodic chores of one dispatcher thread per process.
 *
 * Every cfg->scheduler_interval_s seconds: prune outbox events past the
 * retention, raise PPC deadline alerts, announce findings past their
 * due date (finding.overdue, once per finding), fire the reminders that
 * are due (reminders_scan(), assessments/reminders.h), seal webhook secrets
 * under the current key (webhooks/sealed.h), and ask for the day's re-derivation of
 * what depends on the date (migration 0010), which then runs in slices of
 * about a second between delivery rounds until the day is done, and then
 * the day's overview figures (overview_days, migration 0027). Every
 * chore is safe with any number of processes running it: the database
 * decides who does what (unique alert keys, a finding's
 * overdue_notified_on, unique reminder keys, SKIP LOCKED, a run row per Tokyo day, optimistic
 * re-sealing). The day's negotiation risk scan (negotiation_risks_scan(),
 * sql/functions/90_negotiations.sql) runs in steps on its own run row.
 * Every scan also gives a slice of about a second to folding the rows the
 * writes added to the overview's kept counts, and after the day's chores
 * counts the tenants that have none (sql/functions/94_overview_counts.sql;
 * the day's snapshot first checks each tenant's counts against a recount);
 * a tenant's fold or count is serialised by an advisory lock, and one held
 * elsewhere is skipped.
 */
#ifndef ITAKU_WEBHOOK_SCHEDULER_H
#define ITAKU_WEBHOOK_SCHEDULER_H

#include <stdatomic.h>
#include <time.h>
#include "config.h"
#include "db/db.h"

struct scheduler {
	const struct config *cfg;    /* set by the owner; the rest starts zeroed */
	time_t next_scan;
	int rederive;                /* the day's re-derivation may have steps left */
	int overview;                /* so may the day's overview snapshot (after it) */
	int negotiations;            /* and the day's negotiation risk scan (after both) */
	int counts;                  /* the overview counts' folding, a slice a scan */
	int recount;                 /* tenants without counts may be left (after the rest) */
};

/* Runs what is due on db (the caller's connection, outside any
 * transaction). Adds the PPC deadline alerts it raised to *alerts.
 * Returns 1 while a chore wants to go on without waiting, else 0. */
int scheduler_run(struct scheduler *s, struct db_conn *db, const atomic_int *stop,
		  unsigned long *alerts);

#endif
