/*
 * config.h - process configuration, read once from the environment.
 *
 * config_load() fills a struct config from ITAKU_* variables (or the defaults)
 * and never allocates: string fields point into the environment or into the
 * struct's own buffers. On a bad value it returns -1 and writes a message that
 * names the variable into err.
 */
#ifndef ITAKU_CONFIG_H
#define ITAKU_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_ORIGINS 16
#define CONFIG_MAX_RETRIES 16
#define CONFIG_MAX_KEYS 5
#define CONFIG_KEY_BYTES 32

struct config {
	const char *database_url;        /* ITAKU_DATABASE_URL (required for most commands) */
	char listen_host[64];            /* ITAKU_LISTEN host part, IPv4 literal */
	unsigned listen_port;            /* ITAKU_LISTEN port part */
	int db_pool_size;                /* ITAKU_DB_POOL_SIZE, 1..256 */
	int db_acquire_timeout_ms;       /* ITAKU_DB_ACQUIRE_TIMEOUT_MS */
	int statement_timeout_ms;        /* ITAKU_STATEMENT_TIMEOUT_MS */
	size_t max_body_bytes;           /* ITAKU_MAX_BODY_BYTES */
	int max_json_depth;              /* ITAKU_MAX_JSON_DEPTH */
	int log_level;                   /* ITAKU_LOG_LEVEL as a yder level */
	int http_threads;                /* ITAKU_HTTP_THREADS: 0 = thread per connection */
	int request_timeout_s;           /* ITAKU_REQUEST_TIMEOUT_S: idle connection timeout */
	int shutdown_timeout_s;          /* ITAKU_SHUTDOWN_TIMEOUT_S */
	int auth_cache_ttl_s;            /* ITAKU_AUTH_CACHE_TTL_S: 0 disables the key cache */
	int report_link_rate;            /* ITAKU_REPORT_LINK_RATE: requests per link per minute */
	int respond_link_rate;           /* ITAKU_RESPOND_LINK_RATE: per respondent link per minute */
	int webhook_workers;             /* ITAKU_WEBHOOK_WORKERS: dispatcher threads, 0 = none */
	int webhook_timeout_s;           /* ITAKU_WEBHOOK_TIMEOUT_S: one attempt, connect included */
	int webhook_allow_private;       /* ITAKU_WEBHOOK_ALLOW_PRIVATE: 1 lets URLs reach private nets */
	int scheduler_interval_s;        /* ITAKU_SCHEDULER_INTERVAL_S: deadline alert scan period */
	int webhook_retention_days;      /* ITAKU_WEBHOOK_RETENTION_DAYS: events kept after delivery */
	int n_retries;                   /* ITAKU_WEBHOOK_SCHEDULE: delays before each retry, seconds */
	int retry_delays[CONFIG_MAX_RETRIES];
	/* Built-in mail (service/mail/): off while smtp_url is NULL. */
	const char *smtp_url;            /* ITAKU_SMTP_URL: smtp://host:port or smtps://host:port */
	int smtp_tls_none;               /* ITAKU_SMTP_TLS=none: plain smtp:// to a loopback relay */
	const char *smtp_user;           /* ITAKU_SMTP_USER, or NULL */
	const char *smtp_password;       /* ITAKU_SMTP_PASSWORD, or NULL; never logged */
	const char *mail_from;           /* ITAKU_MAIL_FROM: the envelope and From address */
	char public_url[256];            /* ITAKU_PUBLIC_URL without a trailing slash */
	int smtp_timeout_s;              /* ITAKU_SMTP_TIMEOUT_S: one attempt, connect included */
	int mail_workers;                /* ITAKU_MAIL_WORKERS: mail threads in serve, 0 = none */
	int n_mail_retries;              /* ITAKU_MAIL_SCHEDULE: delays before each retry, seconds */
	int mail_retry_delays[CONFIG_MAX_RETRIES];
	int n_origins;                   /* ITAKU_CORS_ORIGINS, comma separated, or "*" */
	char origins[CONFIG_MAX_ORIGINS][256];
	/* Keys that seal webhook signing secrets at rest (AES-256-GCM), each
	 * "id:base64 of 32 bytes": [0] is ITAKU_SECRET_KEY, which seals; the
	 * rest are ITAKU_SECRET_KEYS_PREVIOUS (comma separated), which only
	 * open what they sealed, for rotation. n_secret_keys 0: none set. */
	int n_secret_keys;
	struct config_key {
		char id[33];
		unsigned char key[CONFIG_KEY_BYTES];
	} secret_keys[CONFIG_MAX_KEYS];
};

/* Fills cfg from the environment. Returns 0, or -1 with err set. */
int config_load(struct config *cfg, char *err, size_t errlen);

/* Fills cfg from a lookup function instead of getenv (for tests). */
int config_load_from(struct config *cfg, const char *(*lookup)(const char *name),
		     char *err, size_t errlen);

/* True when origin is allowed by ITAKU_CORS_ORIGINS. */
int config_origin_allowed(const struct config *cfg, const char *origin);

/* The text printed by `itaku --help` for the environment. */
extern const char config_help[];

#endif
