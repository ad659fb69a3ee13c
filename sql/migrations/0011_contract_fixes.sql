-- 0011_contract_fixes: the server says what the OpenAPI document says
-- (issue 14).
--
-- A handover without a return date is never overdue: `overdue` was null
-- for it (null < date), and the document promises a boolean.
create or replace function handover_json(h handovers) returns json
language sql stable as $$
    select json_build_object(
        'id', h.id, 'engagement_id', h.engagement_id, 'item', h.item,
        'classification', h.classification, 'handed_over_on', h.handed_over_on, 'method', h.method,
        'handed_by', h.handed_by, 'received_by', h.received_by, 'return_due_on', h.return_due_on,
        'status', h.status, 'closed_on', h.closed_on,
        'erasure_certificate_ref', h.erasure_certificate_ref, 'note', h.note,
        'overdue', coalesce(h.status = 'held' and h.return_due_on < tokyo_today(), false),
        'version', h.version, 'created_at', h.created_at, 'updated_at', h.updated_at)
$$;
