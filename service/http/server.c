/*
 * server.c - ulfius/libmicrohttpd set-up and the dispatcher.
 *
 * Every request reaches dispatch() through ulfius' default endpoint; routing
 * is ours (http/router.c) so that 404, 405 with Allow, and the per-route
 * checks are decided in one place.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include <ulfius.h>
#include <yder.h>
#include "app.h"
#include "http/idempotency.h"
#include "http/metrics.h"
#include "http/params.h"
#include "http/req.h"
#include "json/valid.h"

static const char expose_headers[] =
	"ETag, Link, Location, Retry-After, X-Request-Id, Idempotent-Replayed, Itaku-Sync-Result";
static const char allow_headers[] =
	"Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-Id";

static void set_request_id(struct req *r)
{
	const char *given = req_header(r, "X-Request-Id");
	size_t n = given ? strlen(given) : 0;
	int ok = n > 0 && n <= REQ_ID_MAX;

	for (size_t i = 0; ok && i < n; i++) {
		char c = given[i];

		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.' || c == ':';
	}
	if (ok)
		memcpy(r->request_id, given, n + 1);
	else if (crypto_uuid(r->request_id))
		strcpy(r->request_id, "unknown");
}

static int body_too_large(struct req *r)
{
	const char *cl = req_header(r, "Content-Length");
	size_t max = r->app->cfg.max_body_bytes;

	/* ulfius keeps at most max + 1 bytes (see server_run), so a longer
	 * chunked body shows up here as max + 1. */
	return (cl && strtoull(cl, NULL, 10) > max) || r->u->binary_body_length > max;
}

static int content_type_json(const char *ct, int patch)
{
	size_t n;

	if (!ct)
		return 0;
	n = strcspn(ct, "; ");
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	       (patch && n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0);
}

static int parse_body(struct req *r)
{
	const char *text = r->u->binary_body;
	size_t len = r->u->binary_body_length;
	json_error_t jerr;

	if (!content_type_json(req_header(r, "Content-Type"), !strcmp(r->u->http_verb, "PATCH")))
		return req_fail(r, 415, "unsupported-media-type",
				"send the body as application/json");
	if (len == 0)
		return req_fail(r, 400, "malformed-json", "a JSON object body is required");
	if (jv_depth(text, len) > r->app->cfg.max_json_depth)
		return req_fail(r, 400, "malformed-json", "the JSON body is nested deeper than %d levels",
				r->app->cfg.max_json_depth);
	r->body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->body)
		return req_fail(r, 400, "malformed-json", "the body is not valid JSON: %s (line %d, column %d)",
				jerr.text, jerr.line, jerr.column);
	if (!json_is_object(r->body))
		return req_fail(r, 400, "malformed-json", "the body must be a JSON object");
	return 0;
}

static void cors(struct req *r)
{
	const char *origin = req_header(r, "Origin");

	if (!config_origin_allowed(&r->app->cfg, origin))
		return;
	req_set_header(r, "Access-Control-Allow-Origin", origin);
	req_set_header(r, "Vary", "Origin, Accept-Language");
	req_set_header(r, "Access-Control-Expose-Headers", expose_headers);
}

static int preflight(struct req *r)
{
	req_set_header(r, "Allow", r->match.allow);
	if (config_origin_allowed(&r->app->cfg, req_header(r, "Origin"))) {
		req_set_header(r, "Access-Control-Allow-Methods", r->match.allow);
		req_set_header(r, "Access-Control-Allow-Headers", allow_headers);
		req_set_header(r, "Access-Control-Max-Age", "600");
	}
	return req_empty(r, 204);
}

static int handle(struct req *r)
{
	const struct route *route;
	struct idem idem;
	int rc;

	rc = router_match(r->app->routes, r->app->nroutes, r->u->http_verb, r->u->url_path, &r->match);
	if (rc == ROUTER_NOT_FOUND)
		return req_fail(r, 404, "not-found", "there is no resource at this path");
	if (rc == ROUTER_BAD_METHOD) {
		if (!strcmp(r->u->http_verb, "OPTIONS"))
			return preflight(r);
		req_fail(r, 405, "method-not-allowed", "%s is not supported here; use %s",
			 r->u->http_verb, r->match.allow);
		snprintf(r->problem.allow, sizeof(r->problem.allow), "%s", r->match.allow);
		return -1;
	}
	route = r->route = &r->app->routes[r->match.index];
	if (body_too_large(r))
		return req_fail(r, 413, "body-too-large", "the request body exceeds %zu bytes",
				r->app->cfg.max_body_bytes);
	if (route->perm != PERM_PUBLIC) {
		if (auth_authenticate(r))
			return -1;
		if (!auth_role_allows(r->who.role, route->perm))
			return req_fail(r, 403, "forbidden", "the %s role may not do this",
					auth_role_name(r->who.role));
	}
	if (params_check(r))
		return -1;
	if ((route->flags & ROUTE_JSON_BODY) && parse_body(r))
		return -1;
	if ((route->flags & ROUTE_JSON_OPTIONAL) && r->u->binary_body_length > 0 && parse_body(r))
		return -1;
	if (route->flags & ROUTE_IDEMPOTENT) {
		rc = idem_begin(r, &idem);
		if (rc)
			return rc < 0 ? -1 : 0;
	} else {
		idem.active = 0;
	}
	rc = route->fn(r);
	if (idem_finish(r, &idem, rc))
		rc = -1;
	if (rc == 0 && r->status == 0)
		rc = req_fail(r, 500, "internal", "the handler produced no response");
	return rc;
}

static void send_problem(struct req *r)
{
	json_t *body;
	char *text;

	if (r->problem.status == 0)
		problem_set(&r->problem, 500, "internal", NULL, "an unexpected error occurred");
	/* Headers a failed handler may have set describe a response that is not sent. */
	u_map_remove_from_key_case(r->res->map_header, "Location");
	u_map_remove_from_key_case(r->res->map_header, "ETag");
	body = problem_to_json(&r->problem, r->lang);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	req_raw(r, r->problem.status, "application/problem+json", text ? text : "{}",
		text ? strlen(text) : 2);
	free(text);
	if (r->problem.allow[0])
		req_set_header(r, "Allow", r->problem.allow);
	if (r->problem.retry_after > 0) {
		char s[16];

		snprintf(s, sizeof(s), "%d", r->problem.retry_after);
		req_set_header(r, "Retry-After", s);
	}
}

/* Texts people read inside a JSON answer are objects with a "code" and a
 * "message" (risk reasons, say), written in English where they are built:
 * for a request in another language each message is rendered from the
 * catalogue. JSON and problem answers say which language they are in. */
static void render_messages(json_t *v, enum lang lang)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			render_messages(x, lang);
		return;
	}
	if (!json_is_object(v))
		return;
	if (json_is_string(json_object_get(v, "code")) && json_is_string(json_object_get(v, "message"))) {
		char text[1024];

		if (catalog_render(json_string_value(json_object_get(v, "message")), lang, text, sizeof(text)))
			json_object_set_new(v, "message", json_string(text));
	}
	json_object_foreach(v, key, x)
		render_messages(x, lang);
}

static void localize(struct req *r)
{
	const char *ct = u_map_get_case(r->res->map_header, "Content-Type");
	const char *body = r->res->binary_body;
	size_t len = r->res->binary_body_length;
	json_t *doc;
	char *text;

	if (!ct || (strncmp(ct, "application/json", 16) && strncmp(ct, "application/problem+json", 24)))
		return;
	req_set_header(r, "Content-Language", catalog_lang_tag(r->lang));
	if (r->lang == LANG_EN || !body || !memmem(body, len, "\"message\"", 9) ||
	    !strncmp(ct, "application/problem+json", 24))
		return;
	doc = json_loadb(body, len, 0, NULL);
	if (!doc)
		return;
	render_messages(doc, r->lang);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text)
		ulfius_set_binary_body_response(r->res, (unsigned)r->status, text, strlen(text));
	free(text);
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int dispatch(const struct _u_request *u, struct _u_response *res, void *user)
{
	struct app *app = user;
	struct req r;
	struct timespec t0;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	atomic_fetch_add(&app->inflight, 1);
	memset(&r, 0, sizeof(r));
	r.app = app;
	r.u = u;
	r.res = res;
	r.lang = catalog_lang(req_header(&r, "Accept-Language"));
	set_request_id(&r);

	if (handle(&r) < 0)
		send_problem(&r);
	if (r.problem.status >= 500)
		y_log_message(Y_LOG_LEVEL_ERROR, "request_id=%s status=%d %s", r.request_id,
			      r.problem.status, r.problem.detail);
	localize(&r);
	req_set_header(&r, "X-Request-Id", r.request_id);
	if (!u_map_get_case(r.res->map_header, "Cache-Control") || r.status >= 400)
		req_set_header(&r, "Cache-Control", "no-store");
	req_set_header(&r, "Vary", "Accept-Language");
	cors(&r);
	if (atomic_load(&app->draining))
		req_set_header(&r, "Connection", "close");

	if (r.db)
		pool_release(app->pool, r.db);
	json_decref(r.body);
	problem_clear(&r.problem);
	secs = elapsed(&t0);
	metrics_observe(r.route ? r.match.index : -1, r.status, secs);
	/* Not even a call when access lines are off: this runs per request. */
	if (app->cfg.log_level >= Y_LOG_LEVEL_INFO)
		y_log_message(Y_LOG_LEVEL_INFO,
			      "access method=%s route=%s status=%d duration_ms=%.2f request_id=%s",
			      u->http_verb, r.route ? r.route->pattern : "unmatched", r.status,
			      secs * 1e3, r.request_id);
	atomic_fetch_sub(&app->inflight, 1);
	return U_CALLBACK_COMPLETE;
}

/* ---- housekeeping ------------------------------------------------------ */

static pthread_mutex_t hk_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hk_cv = PTHREAD_COND_INITIALIZER;
static int hk_stop;

static struct db_stmt purge_stmt = DB_STMT(
	"delete from idempotency_keys where created_at < now() - interval '24 hours'");

static void *housekeeping(void *arg)
{
	struct app *app = arg;

	pthread_mutex_lock(&hk_mu);
	while (!hk_stop) {
		struct timespec until;
		struct db_conn *c;

		pthread_mutex_unlock(&hk_mu);
		if (pool_acquire(app->pool, &c) == 0) {
			db_exec(c, &purge_stmt, 0, NULL, NULL);
			pool_release(app->pool, c);
		}
		pthread_mutex_lock(&hk_mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 600;
		while (!hk_stop && pthread_cond_timedwait(&hk_cv, &hk_mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&hk_mu);
	return NULL;
}

/* ---- start and stop ---------------------------------------------------- */

static int start(struct _u_instance *inst, struct app *app, struct sockaddr_in *addr)
{
	unsigned flags = MHD_USE_ERROR_LOG | MHD_USE_ITC;
	struct MHD_OptionItem ops[8];
	int i = 0;

	/* What ulfius_start_framework() would set, which the pooled start
	 * leaves to us: completion cleanup, the URI logger that creates
	 * ulfius' per-request state, the bind address and the timeout. */
	ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL };
	ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL };
	ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, addr };
	ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, app->cfg.request_timeout_s, NULL };
	ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, 4096, NULL };
	if (app->cfg.http_threads == 0) {
		flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	} else {
		flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
		if (app->cfg.http_threads > 1)
			ops[i++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE,
							    app->cfg.http_threads, NULL };
	}
	ops[i] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return ulfius_start_framework_with_mhd_options(inst, flags, ops);
}

int server_run(struct app *app, const struct route *table, size_t n)
{
	struct _u_instance inst;
	struct sockaddr_in addr;
	pthread_t hk;
	sigset_t set;
	struct timespec t0;
	int sig = 0;

	app->routes = table;
	app->nroutes = n;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	{
		char err[256];

		if (params_load(table, n, err, sizeof(err))) {
			fprintf(stderr, "itaku: %s\n", err);
			return 1;
		}
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)app->cfg.listen_port);
	inet_pton(AF_INET, app->cfg.listen_host, &addr.sin_addr);
	if (ulfius_init_instance(&inst, app->cfg.listen_port, &addr, NULL) != U_OK) {
		fprintf(stderr, "itaku: cannot initialise the HTTP server\n");
		params_free();
		return 1;
	}
	/* One byte over the cap, so that an oversized body is detectable;
	 * ulfius reads and drops the rest without keeping it. */
	inst.max_post_body_size = app->cfg.max_body_bytes + 1;
	/* ulfius would otherwise feed every byte of a form or multipart body,
	 * however long, to libmicrohttpd's post processor and keep each field
	 * in memory before any handler (or authentication) runs. The API
	 * speaks JSON only: no body is ever parsed as a form. */
	inst.allowed_post_processor = U_POST_PROCESS_NONE;
	inst.max_post_param_size = 1;
	ulfius_set_default_endpoint(&inst, dispatch, app);
	if (start(&inst, app, &addr) != U_OK) {
		fprintf(stderr, "itaku: cannot listen on %s:%u\n", app->cfg.listen_host,
			app->cfg.listen_port);
		ulfius_clean_instance(&inst);
		params_free();
		return 1;
	}
	if (pthread_create(&hk, NULL, housekeeping, app)) {
		fprintf(stderr, "itaku: cannot start the housekeeping thread\n");
		ulfius_stop_framework(&inst);
		ulfius_clean_instance(&inst);
		params_free();
		return 1;
	}
	y_log_message(Y_LOG_LEVEL_INFO, "listening on http://%s:%u (%s)", app->cfg.listen_host,
		      app->cfg.listen_port,
		      app->cfg.http_threads ? "epoll thread pool" : "thread per connection");

	sigwait(&set, &sig);
	y_log_message(Y_LOG_LEVEL_INFO, "signal %d: draining", sig);
	atomic_store(&app->draining, 1);
	{
		MHD_socket fd = MHD_quiesce_daemon(inst.mhd_daemon);

		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&app->inflight) > 0 && elapsed(&t0) < app->cfg.shutdown_timeout_s)
		usleep(10000);
	if (atomic_load(&app->inflight) > 0)
		y_log_message(Y_LOG_LEVEL_WARNING, "%d requests still running after %ds; stopping anyway",
			      atomic_load(&app->inflight), app->cfg.shutdown_timeout_s);
	ulfius_stop_framework(&inst);
	ulfius_clean_instance(&inst);

	pthread_mutex_lock(&hk_mu);
	hk_stop = 1;
	pthread_cond_signal(&hk_cv);
	pthread_mutex_unlock(&hk_mu);
	pthread_join(hk, NULL);
	params_free();
	y_log_message(Y_LOG_LEVEL_INFO, "stopped");
	return 0;
}
