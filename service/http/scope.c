/*
 * scope.c - see scope.h.
 */
#include "http/scope.h"

#include <stdlib.h>
#include <string.h>
#include "http/query.h"

/* The outsourcing categories of engagements (the table's CHECK). */
static const char *const categories[] = {
	"system_build", "operation_onsite", "operation_remote", "datacenter", "asp_saas", "housing",
	"maintenance", "data_processing", "storage_transport", NULL
};
static const char *const tiers[] = { "high", "medium", "low", NULL };

void scope_parse(struct req *r, struct scope *s, const char *tier_name)
{
	memset(s, 0, sizeof(*s));
	s->department = query_text(r, "department", 200);
	s->tag = query_text(r, "tag", 200);
	s->category = query_enum(r, "engagement_category", categories);
	query_enum_list(r, tier_name, tiers, s->tiers, sizeof(s->tiers));
}

void scope_params(const struct scope *s, const char **params)
{
	params[0] = s->department;
	params[1] = s->tag;
	params[2] = s->category;
	params[3] = s->tiers[0] ? s->tiers : NULL;
}

void scope_free(struct scope *s)
{
	free(s->department);
	free(s->tag);
	s->department = s->tag = NULL;
}
