/*
 * outbox.h - the threads that send the mail outbox (table mail_messages).
 *
 * Started only when ITAKU_SMTP_URL is set. Each thread has a database
 * connection of its own (outside the request pool) on which it LISTENs
 * on itaku_mail, and loops: claim one due message with FOR UPDATE SKIP
 * LOCKED and a lease (committed on its own), then, in one transaction,
 * check that the message still has something to say, issue a fresh
 * respondent link (assessments/links.h, superseding the live one), hand
 * the mail to the relay and record the outcome, and commit. So the new
 * link goes live, and the previous one answers 410, only once the relay
 * has taken a mail carrying it; a refused mail rolls its link back and
 * the previous link keeps working until a retry succeeds. The token
 * exists only on this thread's stack and in the mail.
 *
 * Several threads and processes share one outbox: a message is claimed
 * by one at a time, and sent twice only when its lease (the SMTP timeout
 * + 30 s) ran out mid-send or the commit after the relay's 250 failed.
 */
#ifndef ITAKU_MAIL_OUTBOX_H
#define ITAKU_MAIL_OUTBOX_H

#include "config.h"

struct mail_outbox;

/* Starts n threads (n > 0) when cfg->smtp_url is set. cfg must outlive
 * the outbox. Returns NULL when mail is off, n <= 0 or no thread could be
 * created. */
struct mail_outbox *mail_outbox_start(const struct config *cfg, int n);

/* Stops claiming, lets a mail in flight finish, joins and frees (NULL: nothing). */
void mail_outbox_stop(struct mail_outbox *o);

#endif
