/*
 * health.h - /healthz, /readyz, /metrics and the OpenAPI document (its
 * page for people, /docs, is in http/docs.h).
 */
#ifndef ITAKU_HEALTH_H
#define ITAKU_HEALTH_H

#include "http/docs.h"

struct req;

int health_live(struct req *r);
int health_ready(struct req *r);
int health_metrics(struct req *r);
int health_openapi_yaml(struct req *r);
int health_openapi_json(struct req *r);

#endif
