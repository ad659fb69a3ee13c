/*
 * health.h - the probes and counters for operators: /healthz (the process
 * runs), /readyz (the database answers and its schema is current) and
 * /metrics (Prometheus text).
 */
#ifndef ITAKU_HEALTH_H
#define ITAKU_HEALTH_H

struct req;

int health_live(struct req *r);
int health_ready(struct req *r);
int health_metrics(struct req *r);

#endif
