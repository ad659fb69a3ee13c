/*
 * messages.h - the mail recorded for an assessment (read only): every
 * invitation and reminder queued for its respondent, with its status and
 * each attempt's answer from the relay. Never a body or a token: the
 * mail held the only copy of its link.
 */
#ifndef ITAKU_MAIL_MESSAGES_H
#define ITAKU_MAIL_MESSAGES_H

struct req;

/* GET /v1/assessments/{id}/messages: oldest first, keyset pages. */
int mail_messages_list(struct req *r);

#endif
