/*
 * scope.h - the vendor scope that lists and the overview share: the
 * records of the vendors in a department, with a tag, with an engagement
 * of a category, of given tiers (query parameters department, tag,
 * engagement_category and vendor_tier, or risk_tier on the vendor list).
 *
 * Lists pass the four values to vendor_in_scope() (sql/functions/
 * 95_overview.sql), which is where the conditions are defined; the
 * overview applies the same conditions, so that each of its figures and
 * the list its href names count the same records.
 */
#ifndef ITAKU_SCOPE_H
#define ITAKU_SCOPE_H

struct req;

#define SCOPE_NPARAMS 4

struct scope {
	char *department, *tag;       /* owned copies, or NULL */
	const char *category;         /* borrowed from the request, or NULL */
	char tiers[32];               /* array literal "{high,low}", "" = none */
};

/* Reads the four parameters, the tiers under tier_name. Errors are
 * recorded on the request's problem; the caller ends with query_fail(). */
void scope_parse(struct req *r, struct scope *s, const char *tier_name);
/* params[0..3]: department, tag, category, tiers (NULL when absent), in
 * the order of vendor_in_scope()'s last four arguments. */
void scope_params(const struct scope *s, const char **params);
void scope_free(struct scope *s);

#endif
