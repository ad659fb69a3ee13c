/*
 * holidays.h - the operator's command for the Japanese holiday calendar
 * behind the PPC deadlines.
 *
 * The calendar lives in the schema (migration 0009): jp_holiday() applies
 * 国民の祝日に関する法律 (fixed days, Monday holidays, the equinoxes,
 * 振替休日, 国民の休日) for 2000-2099, and jp_government_closed() adds
 * weekends and 29 December to 3 January. A holiday made by a law of its
 * own for one day (2019's accession days, say) is a row of
 * jp_extra_holidays, which only this command writes: no tenant and no API
 * key can change the calendar. Adding or removing one re-derives the
 * deadlines of every incident it moves, each with an audit event.
 */
#ifndef ITAKU_HOLIDAYS_H
#define ITAKU_HOLIDAYS_H

#include <stdio.h>
#include "db/db.h"

/* The usage lines of `itaku holiday`, for the command's help. */
#define HOLIDAYS_USAGE \
	"  holiday list YEAR          the holidays of YEAR (2000-2099) that move PPC deadlines\n" \
	"  holiday add DATE NAME [BASIS]\n" \
	"                             add a one-off government holiday (a law of its own for one\n" \
	"                             day) and re-derive the PPC deadlines it moves\n" \
	"  holiday remove DATE        remove a one-off holiday added that way\n"

/* Runs `itaku holiday list YEAR | add DATE NAME [BASIS] | remove DATE`
 * (argv without "itaku holiday") on db, the caller's connection. Writes
 * results to out and failures to err; returns the exit status: 0, 1 when
 * refused or failed, 2 for bad usage. */
int holidays_command(struct db_conn *db, int argc, char **argv, FILE *out, FILE *err);

#endif
