/*
 * deliveries.h - how delivery went (admin): deliveries with their attempt log,
 * filtered and paged, and redelivery (a new delivery of the same event, so
 * the same webhook-id).
 */
#ifndef ITAKU_WEBHOOK_DELIVERIES_H
#define ITAKU_WEBHOOK_DELIVERIES_H

struct req;

int webhook_deliveries_list(struct req *r);
int webhook_deliveries_get(struct req *r);
int webhook_deliveries_redeliver(struct req *r);

#endif
