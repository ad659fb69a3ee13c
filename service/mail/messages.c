/*
 * messages.c - listing an assessment's mail.
 */
#include "mail/messages.h"

#include "http/req.h"
#include "http/resource.h"

static struct db_stmt list_stmt = DB_STMT(
	"select m.created_at::text, m.id::text, mail_message_json(m)::text from mail_messages m"
	" where m.tenant_id = $1 and m.assessment_id = $2"
	"   and ($3::timestamptz is null or (m.created_at, m.id) > ($3::timestamptz, $4::uuid))"
	" order by m.created_at, m.id limit $5");
static struct db_stmt assessment_exists_stmt = DB_STMT(
	"select 1 from assessments where tenant_id = $1 and id = $2");

int mail_messages_list(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	const char *params[5];

	if (!id)
		return -1;
	return resource_list(r, id, "assessment", &assessment_exists_stmt, &list_stmt, 5, params);
}
