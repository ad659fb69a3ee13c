/*
 * corpmaster.h - import of the National Tax Agency's corporate number data
 * (法人番号公表サイト 全件/差分データ, Unicode edition: UTF-8 CSV, no header,
 * 30 columns) into the tenant-independent corporate_master table.
 *
 * The corporate master is reference data shared by every tenant, so it is
 * written only by the operator (`itaku corporate-master import FILE|-`,
 * runnable as a Kubernetes Job), never through a tenant's API key.
 *
 * The file is streamed: read block by block, parsed row by row and written
 * in batches of 500, so a file of millions of rows never sits in memory.
 * Each row is checked before it is written; a bad row (including one dated
 * after today in Tokyo) is reported by line number and skipped whole. A row
 * only replaces a stored one with the same corporate number when its update
 * date is not older, so later files win and re-importing an older file
 * changes nothing. Batches commit as they go: an interrupted import leaves
 * the rows already written (each a whole fact) and can simply be run again.
 *
 * A batch also re-derives the vendors, in every tenant, that carry its
 * corporate numbers (official name and address, closure, risk tier); each
 * vendor whose derived state changed gets an audit event in its own
 * tenant's trail (actor "operator", action vendor.official_record_changed)
 * in the same transaction. Every run is recorded in
 * corporate_master_imports.
 */
#ifndef ITAKU_CORPMASTER_H
#define ITAKU_CORPMASTER_H

#include <stdio.h>
#include <jansson.h>
#include "db/db.h"

/* Imports the CSV read from in, on db (a connection of the caller's, used
 * for nothing else meanwhile). source names the input in the import record.
 * Returns 0 with *summary (counts, row errors; caller decrefs), or -1 with
 * a message in err when reading or the database failed. */
int corpmaster_import(struct db_conn *db, FILE *in, const char *source, json_t **summary,
		      char *err, size_t errlen);

#endif
