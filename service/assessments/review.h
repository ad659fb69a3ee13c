/*
 * review.h - staff's side after submission: per-answer decisions and
 * comments, returning items to the vendor, and completion (score,
 * verdict, the vendor's monitoring record).
 *
 * Staff never edit the vendor's answers; their judgement lives in
 * `reviews` and the verdict (docs/assessments.md).
 */
#ifndef ITAKU_ASSESSMENT_REVIEW_H
#define ITAKU_ASSESSMENT_REVIEW_H

struct req;

int review_update(struct req *r);
int review_return(struct req *r);
int review_complete(struct req *r);

#endif
