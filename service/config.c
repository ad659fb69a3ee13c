/*
 * config.c - environment parsing. Every variable is validated here so that a
 * typo stops start-up with a message instead of surfacing under load.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <yder.h>
#include "util/crypto.h"

const char config_help[] =
	"Environment:\n"
	"  ITAKU_DATABASE_URL           libpq conninfo or URI (required)\n"
	"  ITAKU_LISTEN                 host:port to listen on (default 127.0.0.1:8080)\n"
	"  ITAKU_DB_POOL_SIZE           database connections, 1-256 (default 8)\n"
	"  ITAKU_DB_ACQUIRE_TIMEOUT_MS  wait for a free connection before 503 (default 2000)\n"
	"  ITAKU_STATEMENT_TIMEOUT_MS   per-statement timeout, 100-600000 (default 5000)\n"
	"  ITAKU_MAX_BODY_BYTES         request body cap, answers 413 above it (default 1048576)\n"
	"  ITAKU_MAX_JSON_DEPTH         nesting cap for JSON bodies, 2-256 (default 32)\n"
	"  ITAKU_LOG_LEVEL              error, warning, info or debug (default info)\n"
	"  ITAKU_HTTP_THREADS           0 = a thread per connection (default); N = epoll pool of N\n"
	"  ITAKU_REQUEST_TIMEOUT_S      idle connection timeout in seconds (default 30)\n"
	"  ITAKU_SHUTDOWN_TIMEOUT_S     grace period for in-flight requests on SIGTERM (default 10)\n"
	"  ITAKU_AUTH_CACHE_TTL_S       seconds a verified API key is cached, 0 = off (default 10)\n"
	"  ITAKU_REPORT_LINK_RATE       requests per minute one vendor report link may make (default 30)\n"
	"  ITAKU_RESPOND_LINK_RATE      requests per minute one assessment respondent link may make (default 60)\n"
	"  ITAKU_WEBHOOK_WORKERS        webhook dispatcher threads in serve, 0 = none (default 2)\n"
	"  ITAKU_WEBHOOK_TIMEOUT_S      seconds one delivery attempt may take, 1-60 (default 10)\n"
	"  ITAKU_WEBHOOK_SCHEDULE       delays before each retry, e.g. 5s,5m,30m,2h (default\n"
	"                               5s,5m,30m,2h,5h,10h,14h,20h,24h); then the delivery is dead\n"
	"  ITAKU_WEBHOOK_ALLOW_PRIVATE  1 lets webhook URLs reach loopback and private networks (default 0)\n"
	"  ITAKU_SCHEDULER_INTERVAL_S   how often PPC deadlines are scanned for alerts and old\n"
	"                               webhook events pruned (default 60)\n"
	"  ITAKU_WEBHOOK_RETENTION_DAYS days an event, its deliveries and attempts are kept once\n"
	"                               nothing is pending, 1-3650 (default 30)\n"
	"  ITAKU_SMTP_URL               smtp://HOST:PORT or smtps://HOST:PORT of the relay the service\n"
	"                               mails invitations and reminders through; unset = no mail\n"
	"                               (tenants turn mail on with PATCH /v1/settings mail.enabled)\n"
	"  ITAKU_SMTP_TLS               starttls (default: smtp:// must upgrade with STARTTLS, the\n"
	"                               relay's certificate verified) or none (plain text, only to a\n"
	"                               relay on 127.0.0.1, ::1 or localhost, such as a sidecar)\n"
	"  ITAKU_SMTP_USER              relay login, optional\n"
	"  ITAKU_SMTP_PASSWORD          relay password, optional (needs ITAKU_SMTP_USER)\n"
	"  ITAKU_MAIL_FROM              sender address, e.g. itaku@example.jp (required with SMTP)\n"
	"  ITAKU_PUBLIC_URL             base URL of respondent links in mails, https://HOST[/PATH]\n"
	"                               (http:// only for localhost); links are URL/respond#TOKEN\n"
	"  ITAKU_SMTP_TIMEOUT_S         seconds one mail attempt may take, 1-120 (default 30)\n"
	"  ITAKU_MAIL_WORKERS           mail threads in serve when SMTP is set, 0-8 (default 1)\n"
	"  ITAKU_MAIL_SCHEDULE          delays before each mail retry (default 1m,5m,30m,2h,6h,12h,24h);\n"
	"                               then the message is dead\n"
	"  ITAKU_CORS_ORIGINS           comma-separated allowed origins, or * (default none)\n"
	"  ITAKU_SECRET_KEY             ID:BASE64 (32 random bytes): seals webhook signing secrets\n"
	"                               in the database; required to create or rotate them and to\n"
	"                               sign deliveries (generate: head -c 32 /dev/urandom | base64)\n"
	"  ITAKU_SECRET_KEYS_PREVIOUS   comma-separated ID:BASE64 keys that only open secrets sealed\n"
	"                               before a key rotation; the scheduler re-seals them\n";

static const char *env_lookup(const char *name)
{
	return getenv(name);
}

static int parse_int(const char *name, const char *val, long lo, long hi, long *out,
		     char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (errno || end == val || *end || v < lo || v > hi) {
		snprintf(err, errlen, "%s: expected an integer between %ld and %ld, got \"%s\"",
			 name, lo, hi, val);
		return -1;
	}
	*out = v;
	return 0;
}

static int get_int(const char *(*lookup)(const char *), const char *name, long def,
		   long lo, long hi, long *out, char *err, size_t errlen)
{
	const char *val = lookup(name);

	if (!val || !*val) {
		*out = def;
		return 0;
	}
	return parse_int(name, val, lo, hi, out, err, errlen);
}

static int parse_listen(struct config *cfg, const char *val, char *err, size_t errlen)
{
	const char *colon = strrchr(val, ':');
	struct in_addr addr;
	size_t hostlen;
	long port;

	if (!colon || colon == val) {
		snprintf(err, errlen, "ITAKU_LISTEN: expected host:port, got \"%s\"", val);
		return -1;
	}
	hostlen = (size_t)(colon - val);
	if (hostlen >= sizeof(cfg->listen_host)) {
		snprintf(err, errlen, "ITAKU_LISTEN: host too long");
		return -1;
	}
	memcpy(cfg->listen_host, val, hostlen);
	cfg->listen_host[hostlen] = '\0';
	if (strcmp(cfg->listen_host, "localhost") == 0)
		strcpy(cfg->listen_host, "127.0.0.1");
	if (inet_pton(AF_INET, cfg->listen_host, &addr) != 1) {
		snprintf(err, errlen, "ITAKU_LISTEN: host must be an IPv4 address, got \"%s\"",
			 cfg->listen_host);
		return -1;
	}
	if (parse_int("ITAKU_LISTEN", colon + 1, 1, 65535, &port, err, errlen))
		return -1;
	cfg->listen_port = (unsigned)port;
	return 0;
}

static int parse_log_level(const char *val, int *out, char *err, size_t errlen)
{
	static const struct { const char *name; int level; } levels[] = {
		{ "error", Y_LOG_LEVEL_ERROR }, { "warning", Y_LOG_LEVEL_WARNING },
		{ "info", Y_LOG_LEVEL_INFO }, { "debug", Y_LOG_LEVEL_DEBUG },
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcasecmp(val, levels[i].name) == 0) {
			*out = levels[i].level;
			return 0;
		}
	}
	snprintf(err, errlen, "ITAKU_LOG_LEVEL: expected error, warning, info or debug, got \"%s\"", val);
	return -1;
}

/* "5s,5m,2h,1d": each delay with its unit (a bare number is seconds),
 * into delays[] (CONFIG_MAX_RETRIES) and *n. */
static int parse_schedule(const char *name, const char *val, int *delays, int *count,
			  char *err, size_t errlen)
{
	const char *p = val;

	*count = 0;
	while (*p) {
		char *end;
		long n, unit = 1;

		errno = 0;
		n = strtol(p, &end, 10);
		if (errno || end == p || n < 0)
			goto bad;
		switch (*end) {
		case 's': unit = 1; end++; break;
		case 'm': unit = 60; end++; break;
		case 'h': unit = 3600; end++; break;
		case 'd': unit = 86400; end++; break;
		}
		if ((*end && *end != ',') || n > 7 * 86400 / unit || *count == CONFIG_MAX_RETRIES)
			goto bad;
		delays[(*count)++] = (int)(n * unit);
		p = *end ? end + 1 : end;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: expected up to %d delays of at most 7 days "
		 "like 5s,5m,2h,1d, got \"%s\"", name, CONFIG_MAX_RETRIES, val);
	return -1;
}

static int parse_origins(struct config *cfg, const char *val, char *err, size_t errlen)
{
	const char *p = val;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		while (len && (*p == ' ')) {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len) {
			if (cfg->n_origins == CONFIG_MAX_ORIGINS || len >= sizeof(cfg->origins[0])) {
				snprintf(err, errlen, "ITAKU_CORS_ORIGINS: at most %d origins of under 256 bytes",
					 CONFIG_MAX_ORIGINS);
				return -1;
			}
			if (!(len == 1 && *p == '*') && strncmp(p, "http://", 7) && strncmp(p, "https://", 8)) {
				snprintf(err, errlen, "ITAKU_CORS_ORIGINS: \"%.*s\" is not an http(s) origin or *",
					 (int)len, p);
				return -1;
			}
			memcpy(cfg->origins[cfg->n_origins], p, len);
			cfg->origins[cfg->n_origins++][len] = '\0';
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

/* One "id:base64" key into cfg's next slot. */
static int parse_key(struct config *cfg, const char *name, const char *val, size_t len,
		     char *err, size_t errlen)
{
	const char *colon = memchr(val, ':', len);
	struct config_key *k = &cfg->secret_keys[cfg->n_secret_keys];
	size_t idlen = colon ? (size_t)(colon - val) : 0;
	unsigned char key[CONFIG_KEY_BYTES + 4];

	if (cfg->n_secret_keys == CONFIG_MAX_KEYS) {
		snprintf(err, errlen, "%s: at most %d keys in all", name, CONFIG_MAX_KEYS);
		return -1;
	}
	if (!colon || idlen == 0 || idlen >= sizeof(k->id) || strspn(val, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < idlen ||
	    crypto_b64_decode(colon + 1, len - idlen - 1, key, sizeof(key)) != CONFIG_KEY_BYTES) {
		snprintf(err, errlen, "%s: expected ID:BASE64, an id of 1-32 letters, digits, _ or - and "
			 "the standard base64 of 32 bytes", name);
		return -1;
	}
	memcpy(k->id, val, idlen);
	k->id[idlen] = '\0';
	for (int i = 0; i < cfg->n_secret_keys; i++) {
		if (!strcmp(cfg->secret_keys[i].id, k->id)) {
			snprintf(err, errlen, "%s: the key id \"%s\" is used twice", name, k->id);
			return -1;
		}
	}
	memcpy(k->key, key, CONFIG_KEY_BYTES);
	cfg->n_secret_keys++;
	return 0;
}

static int parse_keys(struct config *cfg, const char *current, const char *previous,
		      char *err, size_t errlen)
{
	if (!current || !*current) {
		if (previous && *previous) {
			snprintf(err, errlen, "ITAKU_SECRET_KEYS_PREVIOUS is set without ITAKU_SECRET_KEY");
			return -1;
		}
		return 0;
	}
	if (parse_key(cfg, "ITAKU_SECRET_KEY", current, strlen(current), err, errlen))
		return -1;
	for (const char *p = previous; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len && parse_key(cfg, "ITAKU_SECRET_KEYS_PREVIOUS", p, len, err, errlen))
			return -1;
		p = comma ? comma + 1 : p + len;
	}
	return 0;
}

static const char *nonempty(const char *(*lookup)(const char *), const char *name)
{
	const char *v = lookup(name);

	return v && *v ? v : NULL;
}

/* The host of an smtp(s):// or http(s):// URL is a loopback name. */
static int host_is_loopback(const char *url)
{
	static const char *const names[] = { "127.0.0.1", "localhost", "[::1]", NULL };
	const char *h = strstr(url, "://");

	if (!h)
		return 0;
	h += 3;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);

		if (!strncasecmp(h, names[i], n) && (h[n] == '\0' || h[n] == ':' || h[n] == '/'))
			return 1;
	}
	return 0;
}

/* An address fit for an envelope and a header line: no display name. */
static int address_ok(const char *a)
{
	const char *at = strchr(a, '@');

	return at && at != a && at[1] && !strchr(at + 1, '@') && strlen(a) <= 254 &&
	       !a[strcspn(a, " \t\r\n<>(),;:\"\\")];
}

/* Mail is off unless ITAKU_SMTP_URL is set; then the sender and the links'
 * base are required, and plain text is allowed to a loopback relay only,
 * so that a password or a respondent link never crosses a network in the
 * clear by a typo. */
static int parse_mail(struct config *cfg, const char *(*lookup)(const char *), char *err, size_t errlen)
{
	const char *tls = nonempty(lookup, "ITAKU_SMTP_TLS"), *pub = nonempty(lookup, "ITAKU_PUBLIC_URL");
	size_t n;

	cfg->smtp_url = nonempty(lookup, "ITAKU_SMTP_URL");
	cfg->smtp_user = nonempty(lookup, "ITAKU_SMTP_USER");
	cfg->smtp_password = nonempty(lookup, "ITAKU_SMTP_PASSWORD");
	cfg->mail_from = nonempty(lookup, "ITAKU_MAIL_FROM");
	if (!cfg->smtp_url)
		return 0;
	if (strncmp(cfg->smtp_url, "smtp://", 7) && strncmp(cfg->smtp_url, "smtps://", 8)) {
		snprintf(err, errlen, "ITAKU_SMTP_URL: expected smtp://HOST:PORT or smtps://HOST:PORT");
		return -1;
	}
	if (tls && strcmp(tls, "starttls") && strcmp(tls, "none")) {
		snprintf(err, errlen, "ITAKU_SMTP_TLS: expected starttls or none, got \"%s\"", tls);
		return -1;
	}
	cfg->smtp_tls_none = tls && !strcmp(tls, "none");
	if (cfg->smtp_tls_none && (strncmp(cfg->smtp_url, "smtp://", 7) || !host_is_loopback(cfg->smtp_url))) {
		snprintf(err, errlen, "ITAKU_SMTP_TLS=none: only for smtp:// to 127.0.0.1, ::1 or localhost");
		return -1;
	}
	if (cfg->smtp_password && !cfg->smtp_user) {
		snprintf(err, errlen, "ITAKU_SMTP_PASSWORD is set without ITAKU_SMTP_USER");
		return -1;
	}
	if (!cfg->mail_from || !address_ok(cfg->mail_from)) {
		snprintf(err, errlen, "ITAKU_MAIL_FROM: an address like itaku@example.jp is required with ITAKU_SMTP_URL");
		return -1;
	}
	if (!pub || (strncmp(pub, "https://", 8) && !(strncmp(pub, "http://", 7) == 0 && host_is_loopback(pub))) ||
	    (n = strlen(pub)) >= sizeof(cfg->public_url) || pub[strcspn(pub, " \t\r\n?#")]) {
		snprintf(err, errlen, "ITAKU_PUBLIC_URL: an https:// URL (http:// only to localhost) without ? or #, "
			 "under 256 bytes, is required with ITAKU_SMTP_URL");
		return -1;
	}
	while (n && pub[n - 1] == '/')
		n--;
	memcpy(cfg->public_url, pub, n);
	cfg->public_url[n] = '\0';
	return 0;
}

int config_load_from(struct config *cfg, const char *(*lookup)(const char *name),
		     char *err, size_t errlen)
{
	const char *val;
	long v;

	memset(cfg, 0, sizeof(*cfg));
	cfg->database_url = lookup("ITAKU_DATABASE_URL");
	if (cfg->database_url && !*cfg->database_url)
		cfg->database_url = NULL;

	val = lookup("ITAKU_LISTEN");
	if (parse_listen(cfg, val && *val ? val : "127.0.0.1:8080", err, errlen))
		return -1;

#define INT_VAR(field, name, def, lo, hi) \
	do { \
		if (get_int(lookup, name, def, lo, hi, &v, err, errlen)) \
			return -1; \
		cfg->field = v; \
	} while (0)
	INT_VAR(db_pool_size, "ITAKU_DB_POOL_SIZE", 8, 1, 256);
	INT_VAR(db_acquire_timeout_ms, "ITAKU_DB_ACQUIRE_TIMEOUT_MS", 2000, 0, 60000);
	INT_VAR(statement_timeout_ms, "ITAKU_STATEMENT_TIMEOUT_MS", 5000, 100, 600000);
	INT_VAR(max_body_bytes, "ITAKU_MAX_BODY_BYTES", 1048576, 1024, 1073741824);
	INT_VAR(max_json_depth, "ITAKU_MAX_JSON_DEPTH", 32, 2, 256);
	INT_VAR(http_threads, "ITAKU_HTTP_THREADS", 0, 0, 256);
	INT_VAR(request_timeout_s, "ITAKU_REQUEST_TIMEOUT_S", 30, 1, 3600);
	INT_VAR(shutdown_timeout_s, "ITAKU_SHUTDOWN_TIMEOUT_S", 10, 0, 600);
	INT_VAR(auth_cache_ttl_s, "ITAKU_AUTH_CACHE_TTL_S", 10, 0, 3600);
	INT_VAR(report_link_rate, "ITAKU_REPORT_LINK_RATE", 30, 1, 100000);
	INT_VAR(respond_link_rate, "ITAKU_RESPOND_LINK_RATE", 60, 1, 100000);
	INT_VAR(webhook_workers, "ITAKU_WEBHOOK_WORKERS", 2, 0, 64);
	INT_VAR(webhook_timeout_s, "ITAKU_WEBHOOK_TIMEOUT_S", 10, 1, 60);
	INT_VAR(webhook_allow_private, "ITAKU_WEBHOOK_ALLOW_PRIVATE", 0, 0, 1);
	INT_VAR(scheduler_interval_s, "ITAKU_SCHEDULER_INTERVAL_S", 60, 1, 3600);
	INT_VAR(webhook_retention_days, "ITAKU_WEBHOOK_RETENTION_DAYS", 30, 1, 3650);
	INT_VAR(smtp_timeout_s, "ITAKU_SMTP_TIMEOUT_S", 30, 1, 120);
	INT_VAR(mail_workers, "ITAKU_MAIL_WORKERS", 1, 0, 8);
#undef INT_VAR

	cfg->log_level = Y_LOG_LEVEL_INFO;
	val = lookup("ITAKU_LOG_LEVEL");
	if (val && *val && parse_log_level(val, &cfg->log_level, err, errlen))
		return -1;

	val = lookup("ITAKU_WEBHOOK_SCHEDULE");
	if (parse_schedule("ITAKU_WEBHOOK_SCHEDULE", val && *val ? val : "5s,5m,30m,2h,5h,10h,14h,20h,24h",
			   cfg->retry_delays, &cfg->n_retries, err, errlen))
		return -1;
	val = lookup("ITAKU_MAIL_SCHEDULE");
	if (parse_schedule("ITAKU_MAIL_SCHEDULE", val && *val ? val : "1m,5m,30m,2h,6h,12h,24h",
			   cfg->mail_retry_delays, &cfg->n_mail_retries, err, errlen))
		return -1;
	if (parse_mail(cfg, lookup, err, errlen))
		return -1;

	val = lookup("ITAKU_CORS_ORIGINS");
	if (val && parse_origins(cfg, val, err, errlen))
		return -1;

	if (parse_keys(cfg, lookup("ITAKU_SECRET_KEY"), lookup("ITAKU_SECRET_KEYS_PREVIOUS"), err, errlen))
		return -1;
	return 0;
}

int config_load(struct config *cfg, char *err, size_t errlen)
{
	return config_load_from(cfg, env_lookup, err, errlen);
}

int config_origin_allowed(const struct config *cfg, const char *origin)
{
	if (!origin)
		return 0;
	for (int i = 0; i < cfg->n_origins; i++) {
		if (strcmp(cfg->origins[i], "*") == 0 || strcmp(cfg->origins[i], origin) == 0)
			return 1;
	}
	return 0;
}
