/*
 * retention.h - deleting negotiation records: refused inside the
 * tenant's retention period (negotiation_retention_years, at least two
 * years: 取引記録 are kept that long), allowed after it. The database
 * refuses it too (sql/functions/90_negotiations.sql); the check here
 * answers 409 with the date the records are kept until.
 */
#ifndef ITAKU_NEGOTIATIONS_RETENTION_H
#define ITAKU_NEGOTIATIONS_RETENTION_H

#include "db/db.h"

struct req;

struct retention_target {
	const char *type;          /* audit resource type and wording: "security_request" */
	/* $1 tenant, $2 id -> json, retained until (YYYY-MM-DD, Tokyo), still
	 * kept (t/f), in use (t/f: something that must go first refers to it); FOR UPDATE */
	struct db_stmt *lock;
	struct db_stmt *remove;    /* $1 tenant, $2 id */
	const char *in_use;        /* the 409 text when in use */
};

/* DELETE of the path's id: 404, 409 retention-period, 409 in-use, or 204
 * with the deletion audited as <type>.deleted. */
int retention_delete(struct req *r, const struct retention_target *t);

#endif
