/*
 * send.c - signing and posting webhook attempts with libcurl.
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

/* One transfer's state, handed to curl's callbacks. */
struct transfer {
	struct webhook_sender *s;
	CURL *curl;                  /* kept between batches */
	struct curl_slist *headers;
	struct timespec t0;
	size_t received;
	int retry_after_s;
	int refused;                 /* the socket callback refused an address */
	int done;
	CURLcode rc;
};

struct webhook_sender {
	CURLM *multi;                /* owns the connection cache, so keep-alive spans batches */
	int timeout_s;
	int allow_private;
	struct transfer t[WEBHOOK_BATCH_MAX];
};

struct webhook_sender *webhook_sender_new(int timeout_s, int allow_private)
{
	struct webhook_sender *s = calloc(1, sizeof(*s));

	if (!s || !(s->multi = curl_multi_init()))
		goto fail;
	for (int i = 0; i < WEBHOOK_BATCH_MAX; i++) {
		if (!(s->t[i].curl = curl_easy_init()))
			goto fail;
		s->t[i].s = s;
	}
	s->timeout_s = timeout_s;
	s->allow_private = allow_private;
	return s;
fail:
	webhook_sender_free(s);
	return NULL;
}

void webhook_sender_free(struct webhook_sender *s)
{
	if (!s)
		return;
	for (int i = 0; i < WEBHOOK_BATCH_MAX; i++)
		curl_easy_cleanup(s->t[i].curl);
	curl_multi_cleanup(s->multi);
	free(s);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;

	(void)data;
	t->received += size * n;
	/* Returning less than given aborts the transfer: a receiver cannot
	 * keep a dispatcher thread busy by streaming an endless answer. */
	return t->received > WEBHOOK_RESPONSE_CAP ? 0 : size * n;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
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
		t->retry_after_s = secs > 86400 ? 86400 : (int)secs;
	return size * n;
}

static curl_socket_t on_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct transfer *t = arg;

	(void)purpose;
	if (!t->s->allow_private && !ssrf_address_public(&addr->addr)) {
		t->refused = 1;
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

/* Prepares transfer t for msg; returns 0, or -1 with res->error set. */
static int prepare(struct transfer *t, const struct webhook_message *msg, struct webhook_result *res)
{
	CURL *c = t->curl;
	int ok, timeout = t->s->timeout_s;

	if (!msg->secret) {
		snprintf(res->error, sizeof(res->error),
			 "the signing secret cannot be opened with the keys this server has");
		return -1;
	}
	t->headers = signed_headers(msg, &ok);
	if (!ok) {
		curl_slist_free_all(t->headers);
		t->headers = NULL;
		snprintf(res->error, sizeof(res->error), "the subscription's secret does not decode");
		return -1;
	}
	t->received = 0;
	t->retry_after_s = 0;
	t->refused = 0;
	t->done = 0;
	t->rc = CURLE_OK;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, msg->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(timeout < 5 ? timeout : 5));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, msg->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, t);
	curl_easy_setopt(c, CURLOPT_PRIVATE, t);
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	return 0;
}

/* Prepares transfer t and hands it to the multi handle. Returns 0, or -1
 * with nothing left allocated and res->error saying why, so a transfer
 * that never started is recorded as a failed attempt with its reason. */
static int start(struct webhook_sender *s, struct transfer *t, const struct webhook_message *msg,
		 struct webhook_result *res)
{
	CURLMcode mc;

	if (prepare(t, msg, res))
		return -1;
	mc = curl_multi_add_handle(s->multi, t->curl);
	if (mc == CURLM_OK)
		return 0;
	curl_slist_free_all(t->headers);
	t->headers = NULL;
	snprintf(res->error, sizeof(res->error), "the transfer could not be started: %s",
		 curl_multi_strerror(mc));
	return -1;
}

/* Turns a finished transfer into its result. */
static void conclude(struct transfer *t, struct webhook_result *res)
{
	struct timespec t1;
	CURLcode rc = t->rc;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->duration_ms = (int)((t1.tv_sec - t->t0.tv_sec) * 1000 +
				 (t1.tv_nsec - t->t0.tv_nsec) / 1000000);
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &res->status);
	res->retry_after_s = t->retry_after_s;
	curl_slist_free_all(t->headers);
	t->headers = NULL;

	if (t->refused)
		snprintf(res->error, sizeof(res->error),
			 "refused: the URL resolves to a loopback, private or link-local address");
	else if (rc == CURLE_WRITE_ERROR && res->status)
		rc = CURLE_OK;       /* we stopped reading a long answer; its status stands */
	else if (rc != CURLE_OK)
		snprintf(res->error, sizeof(res->error), "%s", curl_easy_strerror(rc));
	if (t->refused || rc != CURLE_OK)
		res->status = 0;
	if (!res->error[0] && (res->status < 200 || res->status > 299))
		snprintf(res->error, sizeof(res->error), "the receiver answered %ld", res->status);
}

void webhook_send_batch(struct webhook_sender *s, const struct webhook_message *msgs,
			struct webhook_result *res, int n)
{
	int running = 0, added = 0;

	if (n > WEBHOOK_BATCH_MAX)
		n = WEBHOOK_BATCH_MAX;
	for (int i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		if (start(s, &s->t[i], &msgs[i], &res[i]) == 0)
			added++;
		else
			s->t[i].done = -1;       /* never started; res[i].error says why */
	}
	while (added) {
		CURLMsg *m;
		int left;

		if (curl_multi_perform(s->multi, &running) != CURLM_OK)
			break;
		while ((m = curl_multi_info_read(s->multi, &left))) {
			struct transfer *t;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			t->rc = m->data.result;
			t->done = 1;
			curl_multi_remove_handle(s->multi, m->easy_handle);
			added--;
		}
		if (added && curl_multi_poll(s->multi, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	}
	for (int i = 0; i < n; i++) {
		struct transfer *t = &s->t[i];

		if (t->done == -1)
			continue;
		if (!t->done) {          /* the multi handle failed: give up on it */
			curl_multi_remove_handle(s->multi, t->curl);
			t->rc = CURLE_FAILED_INIT;
		}
		conclude(t, &res[i]);
	}
}
