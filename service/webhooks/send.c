/*
 * send.c - signing and posting one webhook attempt with libcurl.
 */
#include "webhooks/send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <curl/curl.h>
#include "webhooks/signature.h"
#include "webhooks/ssrf.h"

struct webhook_sender {
	CURL *curl;                  /* kept between attempts for its connection cache */
	int timeout_s;
	int allow_private;
	size_t received;
	int retry_after_s;
	int refused;                 /* the socket callback refused an address */
};

struct webhook_sender *webhook_sender_new(int timeout_s, int allow_private)
{
	struct webhook_sender *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->curl = curl_easy_init();
	if (!s->curl) {
		free(s);
		return NULL;
	}
	s->timeout_s = timeout_s;
	s->allow_private = allow_private;
	return s;
}

void webhook_sender_free(struct webhook_sender *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct webhook_sender *s = arg;

	(void)data;
	s->received += size * n;
	/* Returning less than given aborts the transfer: a receiver cannot
	 * keep a dispatcher thread busy by streaming an endless answer. */
	return s->received > WEBHOOK_RESPONSE_CAP ? 0 : size * n;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct webhook_sender *s = arg;
	size_t len = size * n;
	char value[128];
	long secs;
	char *end;

	if (len < 13 || strncasecmp(line, "retry-after:", 12) != 0)
		return len;
	len -= 12;
	line += 12;
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
		len--;
	if (!len || len >= sizeof(value))
		return size * n;
	memcpy(value, line, len);
	value[len] = '\0';
	secs = strtol(value, &end, 10);
	if (*end) {                  /* an HTTP date instead of seconds */
		time_t at = curl_getdate(value, NULL);

		secs = at > 0 ? (long)(at - time(NULL)) : 0;
	}
	if (secs > 0)
		s->retry_after_s = secs > 86400 ? 86400 : (int)secs;
	return size * n;
}

static curl_socket_t on_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct webhook_sender *s = arg;

	(void)purpose;
	if (!s->allow_private && !ssrf_address_public(&addr->addr)) {
		s->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

static struct curl_slist *signed_headers(const struct webhook_message *msg, int *ok)
{
	char line[256], sig[WEBHOOK_SIGNATURE_LEN], old[WEBHOOK_SIGNATURE_LEN];
	struct curl_slist *h = NULL;
	long long ts = (long long)time(NULL);

	*ok = 0;
	if (webhook_sign(msg->secret, msg->id, ts, msg->body, msg->len, sig))
		return NULL;
	h = curl_slist_append(h, "content-type: application/json");
	h = curl_slist_append(h, "user-agent: itaku-webhooks/1");
	/* An empty Expect stops curl from waiting for 100-continue. */
	h = curl_slist_append(h, "expect:");
	snprintf(line, sizeof(line), "webhook-id: %s", msg->id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "webhook-timestamp: %lld", ts);
	h = curl_slist_append(h, line);
	if (msg->previous_secret &&
	    webhook_sign(msg->previous_secret, msg->id, ts, msg->body, msg->len, old) == 0)
		snprintf(line, sizeof(line), "webhook-signature: %s %s", sig, old);
	else
		snprintf(line, sizeof(line), "webhook-signature: %s", sig);
	h = curl_slist_append(h, line);
	*ok = h != NULL;
	return h;
}

int webhook_send(struct webhook_sender *s, const struct webhook_message *msg,
		 struct webhook_result *res)
{
	struct curl_slist *headers;
	struct timespec t0, t1;
	CURL *c = s->curl;
	CURLcode rc;
	int ok;

	memset(res, 0, sizeof(*res));
	headers = signed_headers(msg, &ok);
	if (!ok) {
		curl_slist_free_all(headers);
		snprintf(res->error, sizeof(res->error), "the subscription's secret does not decode");
		return -1;
	}
	s->received = 0;
	s->retry_after_s = 0;
	s->refused = 0;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, msg->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(s->timeout_s < 5 ? s->timeout_s : 5));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)s->timeout_s);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, msg->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, s);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = curl_easy_perform(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->duration_ms = (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	res->retry_after_s = s->retry_after_s;
	curl_slist_free_all(headers);

	if (s->refused)
		snprintf(res->error, sizeof(res->error),
			 "refused: the URL resolves to a loopback, private or link-local address");
	else if (rc == CURLE_WRITE_ERROR && res->status)
		rc = CURLE_OK;       /* we stopped reading a long answer; its status stands */
	else if (rc != CURLE_OK)
		snprintf(res->error, sizeof(res->error), "%s", curl_easy_strerror(rc));
	if (s->refused || rc != CURLE_OK)
		res->status = rc == CURLE_OK ? res->status : 0;
	if (!res->error[0] && (res->status < 200 || res->status > 299))
		snprintf(res->error, sizeof(res->error), "the receiver answered %ld", res->status);
	return res->error[0] ? -1 : 0;
}
