/*
 * tenants.h - tenant creation for `itaku bootstrap`.
 */
#ifndef ITAKU_TENANTS_H
#define ITAKU_TENANTS_H

#include <stdio.h>
#include "db/db.h"

/* Creates the tenant NAME unless it exists, then a new admin API key for it.
 * Prints what it did to out and the key alone on the last line.
 * Returns 0, or -1 with a message in err. */
int tenants_bootstrap(struct db_conn *db, const char *name, FILE *out, char *err, size_t errlen);

#endif
