/*
 * smtp_receiver.h - a real SMTP server on 127.0.0.1 for mail tests.
 *
 * One thread, one connection at a time: EHLO/HELO, MAIL, RCPT, DATA (with
 * dot-unstuffing), RSET, NOOP, QUIT; no TLS and no AUTH offered (servers
 * under test run with ITAKU_SMTP_TLS=none). Each accepted message is
 * stored whole. A scripted refusal answers the next RCPT with its reply
 * (e.g. "550 5.1.1 no such user"). All functions are thread-safe.
 */
#ifndef ITAKU_SMTP_RECEIVER_H
#define ITAKU_SMTP_RECEIVER_H

#include <pthread.h>
#include <stddef.h>

#define SMTP_RECEIVER_MAX 64
#define SMTP_RECEIVER_SCRIPT 8

struct smtp_mail {
	char from[256];
	char to[256];
	char *data;                /* the message as received (CRLF), NUL-terminated */
	size_t len;
};

struct smtp_receiver {
	int port;
	int fd;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	char script[SMTP_RECEIVER_SCRIPT][128];
	int nscript;
	int n;
	int refused;               /* RCPTs answered with a scripted refusal */
	struct smtp_mail got[SMTP_RECEIVER_MAX];
};

/* Starts on a free port (in sr->port). Returns 0 or -1. */
int smtp_receiver_start(struct smtp_receiver *sr);
void smtp_receiver_stop(struct smtp_receiver *sr);
/* The next RCPT is answered with reply (a whole line without CRLF). */
void smtp_receiver_refuse(struct smtp_receiver *sr, const char *reply);
/* Waits up to ms for at least n accepted messages; returns how many there are. */
int smtp_receiver_wait(struct smtp_receiver *sr, int n, int ms);
/* Waits up to ms for at least n refusals; returns how many there were. */
int smtp_receiver_wait_refused(struct smtp_receiver *sr, int n, int ms);

#endif
