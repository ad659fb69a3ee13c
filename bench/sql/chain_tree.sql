-- pgbench twin of GET /v1/engagements/{id}/chain (chain.c: head_stmt and
-- tree_stmt, open links only). Variables: tenant, engagement (-D).
\set closed 0
select json_build_object('id', e.id, 'title', e.title, 'vendor_id', e.vendor_id,
       'subcontracting', e.subcontracting, 'subcontract_max_depth', e.subcontract_max_depth)::text,
       chain_health(e.tenant_id, e.id)::text,
       json_build_object('subcontract_id', null, 'depth', 0, 'status', null,
         'vendor', json_build_object('id', v.id, 'name', v.name, 'corporate_number', v.corporate_number,
           'status', v.status, 'risk_tier', v.risk_tier, 'last_verdict', v.last_monitoring_verdict,
           'monitoring_overdue', coalesce(v.next_monitoring_due < tokyo_today(), false)),
         'open_problems', cardinality(pr.p), 'problems', to_jsonb(pr.p))::text
  from engagements e join vendors v on v.tenant_id = e.tenant_id and v.id = e.vendor_id,
       lateral (select array_remove(array[
         case when v.risk_tier = 'high' then 'vendor_high_risk' end,
         case when v.last_monitoring_date is null then 'vendor_never_assessed' end,
         case when v.last_monitoring_verdict = 'action_required' then 'vendor_action_required' end,
         case when v.next_monitoring_due < tokyo_today() then 'monitoring_overdue' end,
         case when v.status in ('suspended', 'terminated') then 'vendor_' || v.status end,
         case when v.corporation_closed then 'corporation_closed' end], null) as p) pr
 where e.tenant_id = :tenant and e.id = :engagement;
with recursive tree as (
   select s.id, s.parent_id, s.vendor_id, s.depth, s.status, s.scope, s.personal_data,
          s.confidentiality, s.ends_on, subcontract_missing(s) as missing,
          array[to_char(s.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text] as sort
     from subcontracts s
    where s.tenant_id = :tenant and s.engagement_id = :engagement and s.parent_id is null
      and (:closed::int::boolean or s.status in ('requested', 'approved'))
   union all
   select s.id, s.parent_id, s.vendor_id, s.depth, s.status, s.scope, s.personal_data,
          s.confidentiality, s.ends_on, subcontract_missing(s),
          t.sort || (to_char(s.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text)
     from subcontracts s join tree t on s.parent_id = t.id
    where s.tenant_id = :tenant and (:closed::int::boolean or s.status in ('requested', 'approved'))
)
select t.depth, json_build_object('subcontract_id', t.id, 'parent_id', t.parent_id,
       'depth', t.depth, 'status', t.status, 'scope', t.scope,
       'personal_data', t.personal_data, 'confidentiality', t.confidentiality,
       'flow_down_complete', cardinality(t.missing) = 0,
       'flow_down_missing', to_jsonb(t.missing),
       'vendor', json_build_object('id', v.id, 'name', v.name, 'corporate_number', v.corporate_number,
           'status', v.status, 'risk_tier', v.risk_tier, 'last_verdict', v.last_monitoring_verdict,
           'monitoring_overdue', coalesce(v.next_monitoring_due < tokyo_today(), false)),
       'open_problems', cardinality(pr.p), 'problems', to_jsonb(pr.p))::text
  from tree t join vendors v on v.tenant_id = :tenant and v.id = t.vendor_id,
       lateral (select array_remove(array[
         case when cardinality(t.missing) > 0 then 'flow_down_incomplete' end,
         case when t.status = 'approved' and t.ends_on < tokyo_today() then 'past_planned_end' end,
         case when v.risk_tier = 'high' then 'vendor_high_risk' end,
         case when v.last_monitoring_date is null then 'vendor_never_assessed' end,
         case when v.last_monitoring_verdict = 'action_required' then 'vendor_action_required' end,
         case when v.next_monitoring_due < tokyo_today() then 'monitoring_overdue' end,
         case when v.status in ('suspended', 'terminated') then 'vendor_' || v.status end,
         case when v.corporation_closed then 'corporation_closed' end], null) as p) pr
 order by t.sort;
