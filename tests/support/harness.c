/*
 * harness.c - processes, databases and HTTP for the test suites.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *admin_conninfo(void)
{
	const char *c = getenv("ITAKU_TEST_PG");

	if (!c)
		ck_abort_msg("ITAKU_TEST_PG is not set; run the tests through tests/run.sh");
	return c;
}

static const char *itaku_bin(void)
{
	const char *b = getenv("ITAKU_BIN");

	return b ? b : "build/itaku";
}

static void admin_exec(const char *conninfo, const char *sql)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "cannot connect to %s: %s", conninfo,
		      PQerrorMessage(c));
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

void itk_db_create(struct itk *t, const char *suite, const char *conninfo)
{
	char sql[160];
	const char *argv[] = { "migrate", NULL };
	int status;
	char *out;

	snprintf(t->db, sizeof(t->db), "itaku_t_%s_%d", suite, (int)getpid());
	snprintf(sql, sizeof(sql), "drop database if exists %s", t->db);
	admin_exec(conninfo, sql);
	snprintf(sql, sizeof(sql), "create database %s", t->db);
	admin_exec(conninfo, sql);
	snprintf(t->url, sizeof(t->url), "%s dbname=%s", conninfo, t->db);
	out = itk_run(t, argv, NULL, &status);
	ck_assert_msg(status == 0, "itaku migrate failed: %s", out);
	free(out);
}

void itk_db_drop(struct itk *t, const char *conninfo)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "drop database if exists %s with (force)", t->db);
	admin_exec(conninfo, sql);
}

static void build_env(char **dst, size_t cap, const struct itk *t, const char *const *extra)
{
	static char url[600], listen[64];
	size_t n = 0;

	snprintf(url, sizeof(url), "ITAKU_DATABASE_URL=%s", t->url);
	snprintf(listen, sizeof(listen), "ITAKU_LISTEN=127.0.0.1:%d", t->port ? t->port : 1);
	for (char **e = environ; *e && n + 8 < cap; e++) {
		if (strncmp(*e, "ITAKU_", 6) || !strncmp(*e, "ITAKU_TEST_", 11) || !strncmp(*e, "ITAKU_BIN", 9))
			dst[n++] = *e;
	}
	dst[n++] = url;
	dst[n++] = listen;
	for (size_t i = 0; extra && extra[i] && n + 1 < cap; i++)
		dst[n++] = (char *)extra[i];
	dst[n] = NULL;
}

char *itk_run(const struct itk *t, const char *const argv[], const char *const *env, int *status)
{
	int pipefd[2];
	char *envp[256], *args[16], *out = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;
	int st;

	build_env(envp, 256, t, env);
	args[0] = (char *)itaku_bin();
	for (int i = 0; argv[i] && i < 14; i++) {
		args[i + 1] = (char *)argv[i];
		args[i + 2] = NULL;
	}
	ck_assert(pipe(pipefd) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execve(args[0], args, envp);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n;

		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			out = realloc(out, cap);
		}
		n = read(pipefd[0], out + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &st, 0);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

char *itk_bootstrap(const struct itk *t, const char *tenant)
{
	const char *argv[] = { "bootstrap", "--tenant", tenant, NULL };
	int status;
	char *out = itk_run(t, argv, NULL, &status), *last, *key;
	size_t n = strlen(out);

	ck_assert_msg(status == 0, "bootstrap failed: %s", out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	last = strrchr(out, '\n');
	key = strdup(last ? last + 1 : out);
	free(out);
	return key;
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

int itk_start(struct itk *t, const char *const *env)
{
	char *envp[256], *args[3];
	struct timespec ts = { 0, 50 * 1000000L };

	t->port = free_port();
	snprintf(t->base, sizeof(t->base), "http://127.0.0.1:%d", t->port);
	snprintf(t->log_path, sizeof(t->log_path), "/tmp/itaku-test-%s.log", t->db);
	build_env(envp, 256, t, env);
	args[0] = (char *)itaku_bin();
	args[1] = "serve";
	args[2] = NULL;
	t->pid = fork();
	if (t->pid == 0) {
		int fd = open(t->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execve(args[0], args, envp);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		struct http *h;
		int st;

		if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
			t->pid = 0;
			return -1;
		}
		h = http_do(t, "GET", "/healthz", NULL, NULL, NULL);
		if (h->status == 200) {
			http_free(h);
			return 0;
		}
		http_free(h);
		nanosleep(&ts, NULL);
	}
	return -1;
}

int itk_stop(struct itk *t)
{
	int st;

	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGTERM);
	if (waitpid(t->pid, &st, 0) != t->pid)
		return -1;
	t->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void itk_setup(struct itk *t, const char *suite, const char *const *env)
{
	char *key;

	memset(t, 0, sizeof(*t));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	itk_db_create(t, suite, admin_conninfo());
	key = itk_bootstrap(t, "t1");
	snprintf(t->admin_key, sizeof(t->admin_key), "%s", key);
	free(key);
	ck_assert_msg(itk_start(t, env) == 0, "itaku serve did not start; see %s", t->log_path);
}

void itk_teardown(struct itk *t)
{
	int rc = itk_stop(t);

	ck_assert_msg(rc == 0, "itaku serve exited with %d; see %s", rc, t->log_path);
	itk_db_drop(t, admin_conninfo());
}

PGconn *itk_connect(const struct itk *t)
{
	PGconn *c = PQconnectdb(t->url);

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	return c;
}

void itk_load_fixture_functions(const struct itk *t, const char *name)
{
	char path[512], *sql = malloc(1 << 16);
	FILE *f;
	size_t n;

	ck_assert_ptr_nonnull(sql);
	snprintf(path, sizeof(path), "%s/%s", ITK_FIXTURES, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	n = fread(sql, 1, (1 << 16) - 1, f);
	fclose(f);
	ck_assert_msg(n < (1 << 16) - 1, "%s: too long", path);
	sql[n] = '\0';
	for (char *stmt = strstr(sql, "create or replace function "), *next; stmt; stmt = next) {
		next = strstr(stmt + 1, "\ncreate or replace function ");
		if (next)
			*next++ = '\0';
		PQclear(itk_sql(t, stmt, 0, NULL));
	}
	free(sql);
}

PGresult *itk_sql(const struct itk *t, const char *sql, int n, const char *const *params)
{
	PGconn *c = itk_connect(t);
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);

	ck_assert_msg(s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQfinish(c);
	return r;
}

char *itk_sql_value(const struct itk *t, const char *sql, int n, const char *const *params)
{
	PGresult *r = itk_sql(t, sql, n, params);
	char *v = strdup(PQntuples(r) ? PQgetvalue(r, 0, 0) : "");

	PQclear(r);
	return v;
}

PGconn *itk_park_writers(const struct itk *t)
{
	PGconn *c = itk_connect(t);
	PGresult *r;

	PQclear(PQexec(c, "begin"));
	r = PQexec(c, "select * from audit_chain_heads for update");
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	return c;
}

int itk_wait_parked(const struct itk *t)
{
	struct timespec ts = { 0, 20 * 1000000L };

	for (int i = 0; i < 100; i++) {
		char *n = itk_sql_value(t, "select count(*) from pg_stat_activity"
					   " where wait_event_type = 'Lock' and datname = current_database()", 0, NULL);
		int waiting = atoi(n);

		free(n);
		if (waiting)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

void itk_unpark(PGconn *lock)
{
	PQclear(PQexec(lock, "commit"));
	PQfinish(lock);
}

static void *call_run(void *arg)
{
	struct itk_call *c = arg;

	c->res = http_do(c->t, c->method, c->path, c->t->admin_key, c->body, c->headers);
	return NULL;
}

void itk_call_start(struct itk_call *c)
{
	c->res = NULL;
	ck_assert_int_eq(pthread_create(&c->th, NULL, call_run, c), 0);
}

struct http *itk_call_join(struct itk_call *c)
{
	pthread_join(c->th, NULL);
	return c->res;
}

/* ---- HTTP ---------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct http *h = ud;
	size_t add = size * n;

	h->body = realloc(h->body, h->len + add + 1);
	memcpy(h->body + h->len, p, add);
	h->len += add;
	h->body[h->len] = '\0';
	return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct http *h = ud;
	size_t len = size * n;
	char *colon = memchr(p, ':', len);

	if (colon && h->nheaders < HTTP_MAX_HEADERS) {
		char *v = colon + 1;
		size_t vlen = len - (size_t)(v - p);

		while (vlen && (*v == ' '))
			v++, vlen--;
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		h->names[h->nheaders] = strndup(p, (size_t)(colon - p));
		h->values[h->nheaders++] = strndup(v, vlen);
	}
	return len;
}

/* Every exchange is appended, as one JSON line, to a file of this process
 * under $ITAKU_EXCHANGES_DIR when it is set (CTest sets it): the contract
 * check (tests/contract/check.mjs) validates them all against the OpenAPI
 * document after the suites ran. */
static pthread_mutex_t record_mu = PTHREAD_MUTEX_INITIALIZER;

static void record_exchange(const char *method, const char *path, const char *req_ct,
			    const char *body, const struct http *h)
{
	const char *dir = getenv("ITAKU_EXCHANGES_DIR");
	char file[512], *line;
	json_t *ex, *hdrs;
	FILE *f;

	if (!dir || !*dir || h->status == 0)
		return;
	hdrs = json_object();
	for (int i = 0; i < h->nheaders; i++) {
		char name[128];
		size_t n = strlen(h->names[i]);

		for (size_t j = 0; j < n && j < sizeof(name) - 1; j++)
			name[j] = (char)tolower((unsigned char)h->names[i][j]);
		name[n < sizeof(name) - 1 ? n : sizeof(name) - 1] = '\0';
		json_object_set_new(hdrs, name, json_stringn(h->values[i], strlen(h->values[i])));
	}
	ex = json_pack("{s:s, s:s, s:s?, s:b, s:i, s:o, s:s%}", "method", method, "path", path,
		       "request_content_type", body ? req_ct : NULL, "request_body", body != NULL,
		       "status", (int)h->status, "headers", hdrs,
		       "body", h->body ? h->body : "", h->body ? h->len : (size_t)0);
	if (!ex)   /* a body that is not UTF-8 (never expected): record its absence */
		ex = json_pack("{s:s, s:s, s:i, s:b}", "method", method, "path", path,
			       "status", (int)h->status, "binary", 1);
	line = json_dumps(ex, JSON_COMPACT);
	json_decref(ex);
	snprintf(file, sizeof(file), "%s/exchanges-%d.jsonl", dir, (int)getpid());
	pthread_mutex_lock(&record_mu);
	f = fopen(file, "a");
	if (f && line) {
		fputs(line, f);
		fputc('\n', f);
	}
	if (f)
		fclose(f);
	pthread_mutex_unlock(&record_mu);
	free(line);
}

struct http *http_do(const struct itk *t, const char *method, const char *path, const char *key,
		     const char *body, const char *const *headers)
{
	const char *req_ct = "application/json";
	struct http *h = calloc(1, sizeof(*h));
	struct curl_slist *list = NULL;
	CURL *c = curl_easy_init();
	char url[1024], auth[128];
	int has_ct = 0;

	snprintf(url, sizeof(url), "%s%s", t->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (key) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
		list = curl_slist_append(list, auth);
	}
	for (int i = 0; headers && headers[i]; i++) {
		if (strncasecmp(headers[i], "Content-Type:", 13) == 0) {
			has_ct = 1;
			req_ct = headers[i] + 13 + strspn(headers[i] + 13, " ");
		}
		list = curl_slist_append(list, headers[i]);
	}
	if (body) {
		if (!has_ct)
			list = curl_slist_append(list, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	if (h->body)
		h->json = json_loads(h->body, 0, NULL);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	record_exchange(method, path, req_ct, body, h);
	return h;
}

const char *http_header(const struct http *h, const char *name)
{
	for (int i = h->nheaders - 1; i >= 0; i--) {
		if (strcasecmp(h->names[i], name) == 0)
			return h->values[i];
	}
	return NULL;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	for (int i = 0; i < h->nheaders; i++) {
		free(h->names[i]);
		free(h->values[i]);
	}
	json_decref(h->json);
	free(h->body);
	free(h);
}

const char *jstr(const struct http *h, const char *name)
{
	const char *v = json_string_value(json_object_get(h->json, name));

	return v ? v : "";
}

void ck_problem(const struct http *h, long status, const char *slug)
{
	const char *ct = http_header(h, "Content-Type");
	const char *type = jstr(h, "type");

	ck_status(h, status);
	ck_assert_msg(ct && strcmp(ct, "application/problem+json") == 0,
		      "expected problem+json, got %s", ct ? ct : "(none)");
	ck_assert_int_eq(json_integer_value(json_object_get(h->json, "status")), status);
	ck_assert_msg(*jstr(h, "title") && json_is_string(json_object_get(h->json, "detail")),
		      "problem without title/detail: %s", h->body);
	if (slug) {
		size_t tl = strlen(type), sl = strlen(slug);

		ck_assert_msg(tl > sl && strcmp(type + tl - sl, slug) == 0 && type[tl - sl - 1] == ':',
			      "expected problem type ...:%s, got %s", slug, type);
	}
}

int itk_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

int itk_backends_waiting(const struct itk *t)
{
	char *n = itk_sql_value(t, "select count(*) from pg_stat_activity"
				   " where wait_event_type = 'Lock' and datname = current_database()", 0, NULL);
	int v = atoi(n);

	free(n);
	return v;
}

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void itk_migrate_as_before(const struct itk *t, int from, int below)
{
	PGconn *c = itk_connect(t);
	glob_t g;

	PQclear(PQexec(c, "create table if not exists itaku_schema_migrations (version integer primary key,"
			  " name text not null, checksum text not null,"
			  " applied_at timestamptz not null default now())"));
	ck_assert_int_eq(glob(ITK_FIXTURES "/migrations-before-baseline/[0-9][0-9][0-9][0-9]_*.sql", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		char *text, version[8];
		const char *params[3] = { version, name, NULL };
		PGresult *r;

		if (atoi(name) < from || (below > 0 && atoi(name) >= below))
			continue;
		snprintf(version, sizeof(version), "%d", atoi(name));
		text = slurp_file(g.gl_pathv[i]);
		r = PQexec(c, text);
		ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
			      "%s: %s", name, PQerrorMessage(c));
		PQclear(r);
		params[2] = text;
		r = PQexecParams(c, "insert into itaku_schema_migrations (version, name, checksum)"
				 " values ($1::int, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))",
				 3, NULL, params, NULL, NULL, 0);
		ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
		free(text);
	}
	globfree(&g);
	PQfinish(c);
}
