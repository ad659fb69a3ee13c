/*
 * webhooks.h - the webhook API: subscriptions (admin) and deliveries.
 *
 * Events themselves are written by the database, in the transaction of the
 * change that causes them (migration 0006); these handlers manage who
 * receives them and show how delivery went. Handlers follow http/req.h.
 */
#ifndef ITAKU_WEBHOOKS_H
#define ITAKU_WEBHOOKS_H

struct req;

/* What a subscription may name: "*" and the event types. NULL-terminated. */
extern const char *const webhook_event_types[];
/* Every event type that can be sent, "ping" included. NULL-terminated. */
extern const char *const webhook_event_names[];

int webhook_subscriptions_create(struct req *r);
int webhook_subscriptions_list(struct req *r);
int webhook_subscriptions_get(struct req *r);
int webhook_subscriptions_update(struct req *r);
int webhook_subscriptions_delete(struct req *r);
int webhook_subscriptions_rotate(struct req *r);
int webhook_subscriptions_test(struct req *r);

#endif
