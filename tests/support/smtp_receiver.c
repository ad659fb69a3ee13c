/*
 * smtp_receiver.c - the test SMTP server.
 */
#include "smtp_receiver.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct conn {
	int fd;
	char buf[8192];
	size_t len;
};

static void say(int fd, const char *line)
{
	size_t n = strlen(line);

	if (write(fd, line, n) != (ssize_t)n || write(fd, "\r\n", 2) != 2)
		return;
}

/* Reads one line (without CRLF) into out; -1 on EOF or a 10 s silence. */
static int read_line(struct conn *c, char *out, size_t cap)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - c->buf), keep = l;

			if (keep && c->buf[keep - 1] == '\r')
				keep--;
			if (keep >= cap)
				keep = cap - 1;
			memcpy(out, c->buf, keep);
			out[keep] = '\0';
			memmove(c->buf, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			return 0;
		}
		if (c->len == sizeof(c->buf) || poll(&p, 1, 10000) <= 0)
			return -1;
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
	}
}

static void serve(struct smtp_receiver *sr, int fd)
{
	struct conn c = { .fd = fd };
	char line[1024], from[256] = "", to[256] = "";
	char *data = NULL;
	size_t len = 0, cap = 0;

	say(fd, "220 itaku-test ESMTP ready");
	while (read_line(&c, line, sizeof(line)) == 0) {
		if (!strncasecmp(line, "EHLO", 4)) {
			say(fd, "250-itaku-test");
			say(fd, "250-8BITMIME");
			say(fd, "250 SIZE 10485760");
		} else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4)) {
			say(fd, "250 OK");
		} else if (!strncasecmp(line, "RSET", 4)) {
			from[0] = to[0] = '\0';
			say(fd, "250 OK");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			snprintf(from, sizeof(from), "%.200s", line + 10);
			say(fd, "250 2.1.0 OK");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			char reply[128] = "";

			pthread_mutex_lock(&sr->mu);
			if (sr->nscript) {
				snprintf(reply, sizeof(reply), "%s", sr->script[0]);
				memmove(sr->script[0], sr->script[1], sizeof(sr->script[0]) * (size_t)--sr->nscript);
				sr->refused++;
				pthread_cond_broadcast(&sr->cv);
			}
			pthread_mutex_unlock(&sr->mu);
			if (reply[0]) {
				say(fd, reply);
			} else {
				snprintf(to, sizeof(to), "%.200s", line + 8);
				say(fd, "250 2.1.5 OK");
			}
		} else if (!strncasecmp(line, "DATA", 4)) {
			if (!to[0]) {
				say(fd, "503 5.5.1 no valid recipients");
				continue;
			}
			say(fd, "354 end with <CRLF>.<CRLF>");
			len = 0;
			while (read_line(&c, line, sizeof(line)) == 0 && strcmp(line, ".") != 0) {
				const char *l = line[0] == '.' ? line + 1 : line;   /* dot-unstuffing */
				size_t n = strlen(l);

				if (len + n + 3 > cap) {
					cap = (len + n + 3) * 2;
					data = realloc(data, cap);
				}
				memcpy(data + len, l, n);
				memcpy(data + len + n, "\r\n", 3);
				len += n + 2;
			}
			pthread_mutex_lock(&sr->mu);
			if (sr->n < SMTP_RECEIVER_MAX) {
				struct smtp_mail *m = &sr->got[sr->n++];

				snprintf(m->from, sizeof(m->from), "%s", from);
				snprintf(m->to, sizeof(m->to), "%s", to);
				m->data = data ? data : strdup("");
				m->len = len;
				data = NULL;
				cap = 0;
			}
			pthread_cond_broadcast(&sr->cv);
			pthread_mutex_unlock(&sr->mu);
			say(fd, "250 2.0.0 OK queued");
			to[0] = '\0';
		} else if (!strncasecmp(line, "QUIT", 4)) {
			say(fd, "221 2.0.0 bye");
			break;
		} else {
			say(fd, "502 5.5.2 not implemented");
		}
	}
	free(data);
	close(fd);
}

static void *accept_loop(void *arg)
{
	struct smtp_receiver *sr = arg;

	for (;;) {
		struct pollfd p = { .fd = sr->fd, .events = POLLIN };
		int stop, fd;

		pthread_mutex_lock(&sr->mu);
		stop = sr->stop;
		pthread_mutex_unlock(&sr->mu);
		if (stop)
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((fd = accept(sr->fd, NULL, NULL)) >= 0)
			serve(sr, fd);
	}
	return NULL;
}

int smtp_receiver_start(struct smtp_receiver *sr)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	memset(sr, 0, sizeof(*sr));
	pthread_mutex_init(&sr->mu, NULL);
	pthread_cond_init(&sr->cv, NULL);
	if ((sr->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || bind(sr->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(sr->fd, 16) || getsockname(sr->fd, (struct sockaddr *)&a, &alen))
		return -1;
	sr->port = ntohs(a.sin_port);
	return pthread_create(&sr->th, NULL, accept_loop, sr) ? -1 : 0;
}

void smtp_receiver_stop(struct smtp_receiver *sr)
{
	pthread_mutex_lock(&sr->mu);
	sr->stop = 1;
	pthread_mutex_unlock(&sr->mu);
	pthread_join(sr->th, NULL);
	close(sr->fd);
	for (int i = 0; i < sr->n; i++)
		free(sr->got[i].data);
}

void smtp_receiver_refuse(struct smtp_receiver *sr, const char *reply)
{
	pthread_mutex_lock(&sr->mu);
	if (sr->nscript < SMTP_RECEIVER_SCRIPT)
		snprintf(sr->script[sr->nscript++], sizeof(sr->script[0]), "%s", reply);
	pthread_mutex_unlock(&sr->mu);
}

static int wait_for(struct smtp_receiver *sr, const int *counter, int n, int ms)
{
	struct timespec until;
	int got;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&sr->mu);
	while (*counter < n && pthread_cond_timedwait(&sr->cv, &sr->mu, &until) != ETIMEDOUT)
		;
	got = *counter;
	pthread_mutex_unlock(&sr->mu);
	return got;
}

int smtp_receiver_wait(struct smtp_receiver *sr, int n, int ms)
{
	return wait_for(sr, &sr->n, n, ms);
}

int smtp_receiver_wait_refused(struct smtp_receiver *sr, int n, int ms)
{
	return wait_for(sr, &sr->refused, n, ms);
}
