/*
 * campaigns.h - one questionnaire version sent to many vendors at once
 * (/v1/assessment-campaigns; docs/assessments.md, "Campaigns").
 *
 * Creating a campaign makes, in one transaction, one assessment per
 * selected vendor (or per current engagement of each) and sends each as
 * POST /v1/assessments/{id}/send would, or reports per vendor why not. A
 * campaign never changes afterwards: its assessments move on their own,
 * and its progress is read from them.
 *
 * campaigns.c creates; campaigns_read.c lists, reads (with progress) and
 * exports.
 */
#ifndef ITAKU_CAMPAIGNS_H
#define ITAKU_CAMPAIGNS_H

struct req;

/* At most this many vendors per campaign: explicit ids or a filter's matches. */
#define CAMPAIGN_MAX_VENDORS 2000

int campaigns_create(struct req *r);
int campaigns_list(struct req *r);
int campaigns_get(struct req *r);
int campaigns_export(struct req *r);

#endif
