/*
 * engagements.h - outsourced work (委託業務) under a vendor.
 *
 * Each engagement is returned with the measures its outsourcing category
 * needs under the NISC tables (outsourcing_measures in the schema) and the
 * contract clauses still missing for the required ones.
 */
#ifndef ITAKU_ENGAGEMENTS_H
#define ITAKU_ENGAGEMENTS_H

struct req;

int engagements_create(struct req *r);
int engagements_list_for_vendor(struct req *r);
/* GET /v1/engagements: the tenant's, with the overview's filters. */
int engagements_list(struct req *r);
int engagements_get(struct req *r);
int engagements_update(struct req *r);
int engagements_delete(struct req *r);

/* True for an ISO 3166-1 alpha-2 code in upper case. */
int engagements_country_known(const char *code);

/* The outsourcing categories (NISC handbook) and personal data
 * categories an engagement records; NULL-terminated. Questionnaire
 * applicability conditions name the same words. */
extern const char *const engagements_categories[];
extern const char *const engagements_data_categories[];

#endif
