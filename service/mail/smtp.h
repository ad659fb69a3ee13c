/*
 * smtp.h - handing one message to the relay with libcurl's SMTP.
 *
 * smtp:// upgrades with STARTTLS and fails when the relay does not offer
 * it, unless ITAKU_SMTP_TLS=none (loopback relays only, checked in
 * config.c); smtps:// is TLS from the start. The relay's certificate is
 * always verified. No proxies, a connect and a total timeout.
 */
#ifndef ITAKU_MAIL_SMTP_H
#define ITAKU_MAIL_SMTP_H

#include <stddef.h>
#include "config.h"

struct smtp_result {
	int ok;                      /* the relay accepted the message */
	int code;                    /* the relay's last reply code, 0 when none came */
	char reply[400];             /* its last reply line, or why there was none */
	int duration_ms;
};

/* Sends msg (len bytes, CRLF lines) from cfg->mail_from to to. Blocks up
 * to cfg->smtp_timeout_s. Thread-safe (one easy handle per call). */
void smtp_send(const struct config *cfg, const char *to, const char *msg, size_t len, struct smtp_result *res);

#endif
