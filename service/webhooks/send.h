/*
 * send.h - one webhook attempt over HTTP.
 *
 * Uses libcurl directly: http and https only, no redirects, no proxies,
 * a connect timeout and a total timeout, the response body read up to a
 * cap and thrown away. Unless private targets are allowed, every address
 * is checked just before connecting (webhooks/ssrf.h).
 *
 * A sender sends a batch concurrently (curl multi), so one dispatcher
 * thread is not held up by one slow receiver per message. Not thread-safe:
 * each dispatcher thread owns one sender.
 */
#ifndef ITAKU_WEBHOOK_SEND_H
#define ITAKU_WEBHOOK_SEND_H

#include <stddef.h>

#define WEBHOOK_RESPONSE_CAP 65536
#define WEBHOOK_BATCH_MAX 16

struct webhook_sender;

struct webhook_message {
	const char *url;
	const char *id;              /* webhook-id: the event id, the same on every retry */
	const char *body;
	size_t len;
	const char *secret;          /* current secret, or NULL when it could not be opened */
	const char *previous_secret; /* NULL, or the rotated-out secret still in its overlap */
};

struct webhook_result {
	long status;                 /* HTTP status, 0 when none arrived */
	int retry_after_s;           /* Retry-After in seconds, 0 when absent or unusable */
	int duration_ms;
	char error[200];             /* empty on a 2xx */
};

/* Returns NULL when out of memory. */
struct webhook_sender *webhook_sender_new(int timeout_s, int allow_private);
void webhook_sender_free(struct webhook_sender *s);

/* Sends n (at most WEBHOOK_BATCH_MAX) messages at once and waits for all
 * of them; fills res[i] for msgs[i]. A result with an empty error is a 2xx. */
void webhook_send_batch(struct webhook_sender *s, const struct webhook_message *msgs,
			struct webhook_result *res, int n);

#endif
