/*
 * smtp.c - one SMTP transaction through libcurl.
 */
#include "mail/smtp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>

struct upload {
	const char *msg;
	size_t len, off;
	struct smtp_result *res;
};

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t room = size * n, left = u->len - u->off;

	if (left < room)
		room = left;
	memcpy(dst, u->msg + u->off, room);
	u->off += room;
	return room;
}

/* Keeps the relay's last reply line (its answer to what failed, or to the
 * end of DATA on success); the goodbye to QUIT says nothing. Only what
 * the relay sent is looked at: what we send (the message, the password)
 * never reaches this record. */
static int on_debug(CURL *c, curl_infotype type, char *data, size_t len, void *arg)
{
	struct upload *u = arg;

	(void)c;
	if (type != CURLINFO_HEADER_IN || len < 3)
		return 0;
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len >= 3 && !strncmp(data, "221", 3))
		return 0;
	if (len >= sizeof(u->res->reply))
		len = sizeof(u->res->reply) - 1;
	memcpy(u->res->reply, data, len);
	u->res->reply[len] = '\0';
	u->res->code = atoi(u->res->reply);
	return 0;
}

void smtp_send(const struct config *cfg, const char *to, const char *msg, size_t len, struct smtp_result *res)
{
	struct upload u = { msg, len, 0, res };
	struct curl_slist *rcpt = NULL;
	struct timespec t0, t1;
	char from[300], rcpt_to[300];
	CURLcode rc;
	CURL *c;

	memset(res, 0, sizeof(*res));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!(c = curl_easy_init())) {
		snprintf(res->reply, sizeof(res->reply), "out of memory");
		return;
	}
	snprintf(from, sizeof(from), "<%s>", cfg->mail_from);
	snprintf(rcpt_to, sizeof(rcpt_to), "<%s>", to);
	rcpt = curl_slist_append(NULL, rcpt_to);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(cfg->smtp_tls_none ? CURLUSESSL_NONE : CURLUSESSL_ALL));
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(cfg->smtp_timeout_s < 10 ? cfg->smtp_timeout_s : 10));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->smtp_timeout_s);
	if (cfg->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		if (cfg->smtp_password)
			curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, &u);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	rc = curl_easy_perform(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->duration_ms = (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	res->ok = rc == CURLE_OK;
	if (!res->ok && (!res->reply[0] || res->code < 400)) {
		/* no refusal from the relay: say what went wrong on our side */
		snprintf(res->reply, sizeof(res->reply), "%s", curl_easy_strerror(rc));
		res->code = 0;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
}
