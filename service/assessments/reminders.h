/*
 * reminders.h - reminders of assessments still with the vendor and of
 * open findings (issue 18): GET /v1/reminders.
 *
 * The tenant's schedule is a setting (register/settings.h: reminders,
 * offsets in days from a due date, negative before, 0 on the day,
 * positive after). Which reminders are due, what their webhook events
 * carry and the scan that fires them are in sql/functions/87_reminders.sql;
 * the scheduler (webhooks/scheduler.c) calls reminders_scan() with its
 * other daily chores. Invariant the database keeps: a reminder (one
 * assessment or finding, one offset, one due date) fires once, whatever
 * the number of replicas scanning; fired reminders never change.
 */
#ifndef ITAKU_REMINDERS_H
#define ITAKU_REMINDERS_H

struct req;

/* GET /v1/reminders: ?due=true lists what is due now, oldest day first;
 * otherwise the reminders already fired, newest first. Filters: kind,
 * vendor_id; keyset pages. */
int reminders_list(struct req *r);

#endif
