/*
 * migrate.h - applies the embedded sql/migrations in order.
 *
 * Each migration runs in its own transaction together with the row that
 * records it (version, name, SHA-256 of its text). A session advisory lock
 * keeps two replicas from migrating at once. An applied migration whose
 * text has since changed stops the run: history is never rewritten.
 *
 * The functions files (sql/functions: every function and trigger, the one
 * live copy of each) are re-applied whenever their text changed, like
 * Flyway's repeatable migrations, each recorded with its SHA-256 in
 * itaku_schema_functions: those numbered 00-09 (pure functions the schema
 * names) before the migrations, the rest after.
 *
 * 0011_baseline.sql stands for the old 0001-0011; a database that applied
 * those is recorded as at the baseline, by a listed mapping of their
 * checksums (sql/migrations/README.md).
 */
#ifndef ITAKU_MIGRATE_H
#define ITAKU_MIGRATE_H

#include <stdio.h>
#include "db/db.h"

/* Applies pending migrations, printing one line per applied file to out.
 * Returns the number applied (>= 0), or -1 with a message in err. */
int migrate_run(struct db_conn *c, FILE *out, char *err, size_t errlen);

/* Latest embedded migration version (the number in its file name). */
int migrate_latest_embedded(void);

/* Counts the functions files whose text this build has but the database
 * has not applied. Returns 0 or a db_err. */
int migrate_functions_stale(struct db_conn *c, int *stale);

/* Reads the latest applied version; 0 when none. Returns 0 or a db_err. */
int migrate_latest_applied(struct db_conn *c, int *version);

#endif
