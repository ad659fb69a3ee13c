/*
 * forward.h - an assessment forwarded down the subcontractor chain (再委託先).
 *
 * POST /v1/assessments/{id}/forward makes a child assessment: the same
 * questionnaire version (or some of its sections) for the subcontractor
 * of an approved link in the parent's engagement chain, within the depth
 * the engagement allows, with its own due date and contact (given, or the
 * subcontractor's security officer / incident contact). The child is a
 * draft that is sent like any other; sections not forwarded are kept out
 * with the reason not_forwarded (forward_exclusions()). The chain view
 * rolls the results up (chain_node_assessment() in sql/functions).
 */
#ifndef ITAKU_ASSESSMENT_FORWARD_H
#define ITAKU_ASSESSMENT_FORWARD_H

#include <jansson.h>

struct req;

int forward_create(struct req *r);

/* The vendor's requests to forward (respond_forward.c takes them through
 * the link; staff decide here): GET /v1/assessments/{id}/forward-requests,
 * POST /v1/forward-requests/{id}/approve (makes the child as forward_create
 * does, with the request's link, sections and suggested contact unless
 * the body gives one) and …/reject (with a note the vendor sees). */
int forward_requests_list(struct req *r);
int forward_requests_approve(struct req *r);
int forward_requests_reject(struct req *r);

/* The questions of content outside sections (an array of section codes;
 * NULL or not an array: none), as exclusions {code: {"reason":
 * "not_forwarded", "level": "section"}} (caller decrefs). */
json_t *forward_exclusions(json_t *content, json_t *sections);

#endif
