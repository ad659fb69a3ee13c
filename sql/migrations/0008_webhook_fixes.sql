-- 0008_webhook_fixes: delivery leases that turning a subscription off and
-- on again respect, and retention that cannot race a redelivery.

-- ---- leases -----------------------------------------------------------------

-- A claimed delivery is leased until leased_until; next_attempt_at says
-- when it is due, which is also leased_until while the attempt is in
-- flight, or infinity while its subscription is off (held). Keeping the
-- lease's end apart lets a hold and its release leave an attempt in
-- flight alone: before, turning a subscription off and on again made a
-- delivery being sent due at once, so a second dispatcher sent it again
-- and the first one's outcome was lost.
alter table webhook_deliveries add column leased_until timestamptz;
update webhook_deliveries
   set leased_until = case when next_attempt_at < 'infinity' then next_attempt_at else now() end
 where lease is not null;
alter table webhook_deliveries
    add constraint webhook_deliveries_lease check ((lease is null) = (leased_until is null));

-- Turned off, pending deliveries are held at infinity, out of the claim
-- index's due range, those in flight too (their attempt's outcome, when
-- recorded, keeps a retry held). Turned on, held deliveries are due at
-- once, except one still in flight, which is due when its lease ends:
-- until then its dispatcher owns it.
create or replace function webhook_subscriptions_hold() returns trigger
language plpgsql as $$
begin
    if new.enabled then
        update webhook_deliveries
           set next_attempt_at = greatest(leased_until, now()), updated_at = now()
         where tenant_id = new.tenant_id and subscription_id = new.id and status = 'pending'
           and next_attempt_at = 'infinity';
    else
        update webhook_deliveries set next_attempt_at = 'infinity', updated_at = now()
         where tenant_id = new.tenant_id and subscription_id = new.id and status = 'pending'
           and next_attempt_at < 'infinity';
    end if;
    return null;
end
$$;

-- ---- retention ----------------------------------------------------------------

-- As in 0006, in two steps. The events are locked first (a redelivery
-- locks its event before inserting, so a locked event is skipped), then
-- checked again on a fresh snapshot: a redelivery that committed after
-- the first step's snapshot left a pending delivery, and its event stays.
-- While the events are locked no new delivery can reference them.
create or replace function webhook_prune(p_days integer, p_limit integer) returns integer
language plpgsql as $$
declare
    tenants uuid[];
    ids uuid[];
    n integer;
begin
    select array_agg(o.tenant_id), array_agg(o.id) into tenants, ids
      from (select e.tenant_id, e.id from webhook_events e
             where e.created_at < now() - make_interval(days => p_days)
               and not exists (select 1 from webhook_deliveries d
                                where d.tenant_id = e.tenant_id and d.event_id = e.id
                                  and d.status = 'pending')
             order by e.created_at limit p_limit
             for update of e skip locked) o;
    if ids is null then
        return 0;
    end if;
    with old as (
        select x.t as tenant_id, x.i as id from unnest(tenants, ids) x(t, i)
         where not exists (select 1 from webhook_deliveries d
                            where d.tenant_id = x.t and d.event_id = x.i and d.status = 'pending')),
    gone as (
        delete from webhook_deliveries d using old
         where d.tenant_id = old.tenant_id and d.event_id = old.id)
    delete from webhook_events e using old where e.tenant_id = old.tenant_id and e.id = old.id;
    get diagnostics n = row_count;
    return n;
end
$$;
