/*
 * routes.c - the route table.
 */
#include "http/routes.h"

#include "api_keys.h"
#include "audit.h"
#include "http/auth.h"
#include "http/health.h"

#define JSON ROUTE_JSON_BODY
#define IDEM ROUTE_IDEMPOTENT

const struct route routes_table[] = {
	/* operations: no key */
	{ "GET", "/healthz", PERM_PUBLIC, 0, health_live },
	{ "GET", "/readyz", PERM_PUBLIC, 0, health_ready },
	{ "GET", "/metrics", PERM_PUBLIC, 0, health_metrics },
	{ "GET", "/openapi.yaml", PERM_PUBLIC, 0, health_openapi_yaml },
	{ "GET", "/openapi.json", PERM_PUBLIC, 0, health_openapi_json },

	{ "GET", "/v1/me", PERM_ANY, 0, api_keys_me },

	{ "GET", "/v1/api-keys", PERM_ADMIN, 0, api_keys_list },
	{ "POST", "/v1/api-keys", PERM_ADMIN, JSON | IDEM, api_keys_create },
	{ "GET", "/v1/api-keys/{id}", PERM_ADMIN, 0, api_keys_get },
	{ "PATCH", "/v1/api-keys/{id}", PERM_ADMIN, JSON, api_keys_update },
	{ "DELETE", "/v1/api-keys/{id}", PERM_ADMIN, 0, api_keys_revoke },

	{ "GET", "/v1/audit-events", PERM_AUDIT, 0, audit_list },
	{ "GET", "/v1/audit-events/verification", PERM_ADMIN, 0, audit_verify },
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
