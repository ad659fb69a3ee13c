/*
 * receiver.h - a real HTTP server for webhook tests and benchmarks.
 *
 * Listens on 127.0.0.1, one thread per connection, keep-alive supported.
 * Every POST is recorded (headers that matter and the body) and answered
 * with the next scripted reply, or with the default status once the
 * script is used up. All functions are thread-safe.
 */
#ifndef ITAKU_RECEIVER_H
#define ITAKU_RECEIVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/* The key servers under test seal webhook signing secrets with: add it
 * to the environment of every server a webhook test starts. */
#define ITK_SECRET_KEY "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define ITK_SECRET_KEY_ENV "ITAKU_SECRET_KEY=" ITK_SECRET_KEY

#define RECEIVER_MAX 4096
#define RECEIVER_SCRIPT 32
#define RECEIVER_CONNS 256

struct received {
	char id[80];
	char timestamp[24];
	char signature[256];
	char content_type[64];
	char *body;                /* NUL-terminated */
	size_t len;
	long long at_ns;           /* CLOCK_REALTIME on arrival */
};

struct receiver {
	int port;
	int fd;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int default_status;
	int script_status[RECEIVER_SCRIPT];
	int script_retry_after[RECEIVER_SCRIPT];
	int nscript;
	int n;
	struct received got[RECEIVER_MAX];
	int conns[RECEIVER_CONNS];   /* open connections, closed by receiver_stop() */
	int nconns;
	int quiet;                 /* benchmarks: count only, keep no bodies */
	FILE *log;                 /* when set: "arrival_ns webhook-id" per request */
	int delay_ms;              /* wait this long before answering (a slow receiver) */
	long long count;
};

/* Starts on port (0 = any free port; the port is then in rv->port).
 * Returns 0 or -1. */
int receiver_start(struct receiver *rv, int port);
/* Stops listening and frees what was recorded. */
void receiver_stop(struct receiver *rv);
/* The next request is answered with status (and Retry-After when > 0). */
void receiver_script(struct receiver *rv, int status, int retry_after);
/* Waits up to ms for at least n requests; returns how many arrived. */
int receiver_wait(struct receiver *rv, int n, int ms);
/* Number of requests that carried this webhook-id. */
int receiver_count_id(struct receiver *rv, const char *id);

#endif
