/*
 * receiver.c - see receiver.h.
 */
#include "receiver.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
	struct receiver *rv;
	int fd;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void header(const char *head, const char *name, char *out, size_t max)
{
	size_t nlen = strlen(name);

	out[0] = '\0';
	for (const char *p = head; p && *p; p = strstr(p, "\r\n")) {
		if (*p == '\r')
			p += 2;
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1, *end = strstr(v, "\r\n");
			size_t len;

			while (*v == ' ')
				v++;
			len = end ? (size_t)(end - v) : strlen(v);
			if (len >= max)
				len = max - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return;
		}
	}
}

/* Reads one request into buf; returns the total length or -1 at EOF. */
static ssize_t read_request(int fd, char *buf, size_t cap, size_t *head_len, size_t *body_len)
{
	size_t have = 0;

	for (;;) {
		char *end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL;

		if (end) {
			char cl[32];

			buf[end - buf] = '\0';
			header(buf, "Content-Length", cl, sizeof(cl));
			buf[end - buf] = '\r';
			*head_len = (size_t)(end - buf) + 4;
			*body_len = (size_t)atol(cl);
			if (*head_len + *body_len <= have)
				return (ssize_t)have;
			if (*head_len + *body_len >= cap)
				return -1;
		}
		if (have >= cap - 1)
			return -1;
		{
			ssize_t n = read(fd, buf + have, cap - 1 - have);

			if (n <= 0)
				return -1;
			have += (size_t)n;
		}
	}
}

static void *serve_conn(void *arg)
{
	struct conn *c = arg;
	struct receiver *rv = c->rv;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);

	while (buf) {
		size_t head_len = 0, body_len = 0;
		ssize_t n = read_request(c->fd, buf, cap, &head_len, &body_len);
		struct received *r = NULL;
		int status, retry = 0;
		char reply[256];

		if (n < 0)
			break;
		buf[head_len - 2] = '\0';   /* headers end at the first of the two CRLFs */
		pthread_mutex_lock(&rv->mu);
		rv->count++;
		if (rv->log) {
			char id[80];

			header(buf, "webhook-id", id, sizeof(id));
			fprintf(rv->log, "%lld %s\n", now_ns(), id);
			fflush(rv->log);
		}
		if (!rv->quiet && rv->n < RECEIVER_MAX) {
			r = &rv->got[rv->n];
			r->at_ns = now_ns();
			header(buf, "webhook-id", r->id, sizeof(r->id));
			header(buf, "webhook-timestamp", r->timestamp, sizeof(r->timestamp));
			header(buf, "webhook-signature", r->signature, sizeof(r->signature));
			header(buf, "content-type", r->content_type, sizeof(r->content_type));
			r->body = malloc(body_len + 1);
			memcpy(r->body, buf + head_len, body_len);
			r->body[body_len] = '\0';
			r->len = body_len;
			rv->n++;
		}
		if (rv->nscript > 0) {
			status = rv->script_status[0];
			retry = rv->script_retry_after[0];
			memmove(rv->script_status, rv->script_status + 1, sizeof(int) * (RECEIVER_SCRIPT - 1));
			memmove(rv->script_retry_after, rv->script_retry_after + 1,
				sizeof(int) * (RECEIVER_SCRIPT - 1));
			rv->nscript--;
		} else {
			status = rv->default_status;
		}
		pthread_cond_broadcast(&rv->cv);
		pthread_mutex_unlock(&rv->mu);
		if (rv->delay_ms > 0)
			usleep((useconds_t)rv->delay_ms * 1000);
		if (retry > 0)
			snprintf(reply, sizeof(reply), "HTTP/1.1 %d X\r\nContent-Length: 2\r\n"
				 "Retry-After: %d\r\n\r\nok", status, retry);
		else
			snprintf(reply, sizeof(reply), "HTTP/1.1 %d X\r\nContent-Length: 2\r\n\r\nok", status);
		/* Keep-alive; curl sends no pipelined POSTs, so nothing is
		 * left in buf for the next request. */
		if (write(c->fd, reply, strlen(reply)) < 0)
			break;
	}
	free(buf);
	pthread_mutex_lock(&rv->mu);
	for (int i = 0; i < rv->nconns; i++) {
		if (rv->conns[i] == c->fd) {
			rv->conns[i] = rv->conns[--rv->nconns];
			break;
		}
	}
	pthread_cond_broadcast(&rv->cv);
	pthread_mutex_unlock(&rv->mu);
	close(c->fd);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct receiver *rv = arg;

	for (;;) {
		struct pollfd p = { .fd = rv->fd, .events = POLLIN };
		struct conn *c;
		pthread_t th;
		int fd;

		pthread_mutex_lock(&rv->mu);
		if (rv->stop) {
			pthread_mutex_unlock(&rv->mu);
			break;
		}
		pthread_mutex_unlock(&rv->mu);
		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept(rv->fd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&rv->mu);
		if (rv->nconns == RECEIVER_CONNS) {
			pthread_mutex_unlock(&rv->mu);
			close(fd);
			continue;
		}
		rv->conns[rv->nconns++] = fd;
		pthread_mutex_unlock(&rv->mu);
		c = malloc(sizeof(*c));
		c->rv = rv;
		c->fd = fd;
		if (pthread_create(&th, NULL, serve_conn, c) == 0)
			pthread_detach(th);
		else
			abort();
	}
	return NULL;
}

int receiver_start(struct receiver *rv, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t alen = sizeof(a);
	int one = 1;

	memset(rv, 0, sizeof(*rv));
	rv->default_status = 200;
	pthread_mutex_init(&rv->mu, NULL);
	pthread_cond_init(&rv->cv, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rv->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rv->fd < 0)
		return -1;
	setsockopt(rv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(rv->fd, (struct sockaddr *)&a, sizeof(a)) || listen(rv->fd, 128) ||
	    getsockname(rv->fd, (struct sockaddr *)&a, &alen)) {
		close(rv->fd);
		return -1;
	}
	rv->port = ntohs(a.sin_port);
	return pthread_create(&rv->th, NULL, accept_loop, rv) ? -1 : 0;
}

void receiver_stop(struct receiver *rv)
{
	pthread_mutex_lock(&rv->mu);
	rv->stop = 1;
	pthread_mutex_unlock(&rv->mu);
	pthread_join(rv->th, NULL);
	close(rv->fd);
	/* Connections kept alive by the client end too: a stopped receiver
	 * must look down to a dispatcher holding a cached connection. */
	pthread_mutex_lock(&rv->mu);
	for (int i = 0; i < rv->nconns; i++)
		shutdown(rv->conns[i], SHUT_RDWR);
	while (rv->nconns > 0)
		pthread_cond_wait(&rv->cv, &rv->mu);
	for (int i = 0; i < rv->n; i++)
		free(rv->got[i].body);
	rv->n = 0;
	pthread_mutex_unlock(&rv->mu);
}

void receiver_script(struct receiver *rv, int status, int retry_after)
{
	pthread_mutex_lock(&rv->mu);
	if (rv->nscript < RECEIVER_SCRIPT) {
		rv->script_status[rv->nscript] = status;
		rv->script_retry_after[rv->nscript++] = retry_after;
	}
	pthread_mutex_unlock(&rv->mu);
}

int receiver_wait(struct receiver *rv, int n, int ms)
{
	struct timespec until;
	int got;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&rv->mu);
	while (rv->count < n && pthread_cond_timedwait(&rv->cv, &rv->mu, &until) != ETIMEDOUT)
		;
	got = (int)rv->count;
	pthread_mutex_unlock(&rv->mu);
	return got;
}

int receiver_count_id(struct receiver *rv, const char *id)
{
	int k = 0;

	pthread_mutex_lock(&rv->mu);
	for (int i = 0; i < rv->n; i++)
		k += strcmp(rv->got[i].id, id) == 0;
	pthread_mutex_unlock(&rv->mu);
	return k;
}
