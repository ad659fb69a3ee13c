-- 87_reminders: which reminders are due, what they say, and the daily
-- scan that fires each once (issue 18). Table: 0019_reminders.
--
-- A tenant's schedule is in tenants.settings -> reminders (defaults: 7
-- and 1 days before the due date, 1 and 7 after). Of an assessment still
-- with the vendor (sent, in_progress, returned) or a finding still open
-- (open, in_progress), the reminder due is the latest offset whose day
-- (due_on + offset, Asia/Tokyo) is today or past and not before the
-- assessment was sent (the finding was opened), unless it has fired for
-- this due date. Only the latest: a scheduler back after days away, or a
-- due date moved, sends the one reminder that fits today, not every one
-- it missed; a vendor asked five days before the due date is not told
-- "seven days before". A due date moved later re-arms the offsets whose
-- day is now ahead.

-- The schedule of p_kind ('assessment' or 'finding'), ascending.
create or replace function reminder_days(p_settings jsonb, p_kind text) returns integer[]
language sql immutable as $$
    select coalesce(array(select x::int
                            from jsonb_array_elements_text(coalesce(p_settings #> array['reminders', p_kind || '_days'],
                                                                    '[-7, -1, 1, 7]')) x
                           order by x::int), '{}')
$$;

-- The event a reminder fires: an assessment's reminders after the due
-- date announce it overdue; on the day and before, that it is due.
create or replace function reminder_event_type(p_kind text, p_offset integer) returns text
language sql immutable as $$
    select case when p_kind = 'finding' then 'finding.reminder_due'
                when p_offset > 0 then 'assessment.overdue'
                else 'assessment.reminder_due' end
$$;

-- The reminders due on p_today, at most one per assessment or finding,
-- of one tenant or (p_tenant null, the scan) of all. k orders them
-- within a day (kind, then subject).
create or replace function reminders_due(p_tenant uuid, p_today date)
returns table (tenant_id uuid, kind text, assessment_id uuid, finding_id uuid, vendor_id uuid,
               offset_days integer, due_on date, day date, k text)
language sql stable as $$
    select a.tenant_id, 'assessment', a.id, null::uuid, a.vendor_id, d.o, a.due_on, a.due_on + d.o,
           'a:' || a.id
      from assessments a
      join tenants t on t.id = a.tenant_id
     cross join lateral (select max(o) o from unnest(reminder_days(t.settings, 'assessment')) o
                          where a.due_on + o <= p_today and a.due_on + o >= tokyo_date(a.sent_at)) d
     where (p_tenant is null or a.tenant_id = p_tenant)
       and a.status in ('sent', 'in_progress', 'returned')
       and d.o is not null
       and not exists (select 1 from reminders r
                        where r.tenant_id = a.tenant_id and r.kind = 'assessment' and r.assessment_id = a.id
                          and r.offset_days = d.o and r.due_on = a.due_on)
    union all
    select f.tenant_id, 'finding', f.assessment_id, f.id, f.vendor_id, d.o, f.due_on, f.due_on + d.o,
           'f:' || f.id
      from findings f
      join tenants t on t.id = f.tenant_id
     cross join lateral (select max(o) o from unnest(reminder_days(t.settings, 'finding')) o
                          where f.due_on + o <= p_today and f.due_on + o >= tokyo_date(f.created_at)) d
     where (p_tenant is null or f.tenant_id = p_tenant)
       and f.status in ('open', 'in_progress')
       and d.o is not null
       and not exists (select 1 from reminders r
                        where r.tenant_id = f.tenant_id and r.kind = 'finding' and r.finding_id = f.id
                          and r.offset_days = d.o and r.due_on = f.due_on)
$$;

-- The respondent as a mailer needs it: language always set (ja unless
-- the assessment says otherwise).
create or replace function reminder_respondent(a assessments) returns jsonb
language sql stable as $$
    select a.respondent || jsonb_build_object('language', coalesce(a.respondent ->> 'language', 'ja'))
$$;

-- One reminder as the list shows it: the assessment or finding as it is
-- now, its vendor, whom to write to, and which reminder (against which
-- due date). p_id, p_fired_at and p_event_id are null while it is due.
create or replace function reminder_json(p_tenant uuid, p_kind text, p_assessment uuid, p_finding uuid,
                                         p_offset integer, p_due_on date, p_id uuid,
                                         p_fired_at timestamptz, p_event_id uuid) returns json
language sql stable as $$
    select json_build_object(
        'id', p_id, 'kind', p_kind,
        'reminder', json_build_object('offset_days', p_offset, 'day', p_due_on + p_offset,
                                      'due_on', p_due_on, 'event_type', reminder_event_type(p_kind, p_offset)),
        'assessment', json_build_object('id', a.id, 'title', a.title, 'due_on', a.due_on, 'status', a.status,
                                        'template', json_build_object('id', t.id, 'name', t.name,
                                                                      'name_en', t.name_en,
                                                                      'number', a.template_number)),
        'finding', case when f.id is not null then
                   json_build_object('id', f.id, 'title', f.title, 'due_on', f.due_on, 'status', f.status,
                                     'severity', f.severity) end,
        'vendor', vendor_ref_json(a.tenant_id, a.vendor_id),
        'contact', json_build_object('respondent', reminder_respondent(a), 'owner', f.owner),
        'fired_at', p_fired_at, 'event_id', p_event_id)
      from assessments a
      join questionnaire_templates t on t.tenant_id = a.tenant_id and t.id = a.template_id
      left join findings f on f.tenant_id = a.tenant_id and f.id = p_finding
     where a.tenant_id = p_tenant and a.id = p_assessment
$$;

-- What a mailer needs, never a token (a mail with a link issues its own).
create or replace function reminder_event_data(r reminders) returns jsonb
language sql stable as $$
    select case r.kind
           when 'assessment' then
               assessment_event_data(a) || jsonb_build_object('respondent', reminder_respondent(a))
           else
               finding_event_data(f) || jsonb_build_object(
                   'assessment', jsonb_build_object('id', a.id, 'title', a.title, 'status', a.status,
                                                    'due_on', a.due_on,
                                                    'template', jsonb_build_object('id', t.id, 'name', t.name,
                                                                                   'name_en', t.name_en,
                                                                                   'number', a.template_number)),
                   'respondent', reminder_respondent(a))
           end
           || jsonb_build_object('reminder', jsonb_build_object(
                  'offset_days', r.offset_days, 'day', r.day, 'due_on', r.due_on,
                  'days_overdue', greatest(r.day - r.due_on, 0)))
      from assessments a
      join questionnaire_templates t on t.tenant_id = a.tenant_id and t.id = a.template_id
      left join findings f on f.tenant_id = a.tenant_id and f.id = r.finding_id
     where a.tenant_id = r.tenant_id and a.id = r.assessment_id
$$;

-- Fires what is due, up to 1,000 a scan (the next scan takes the rest),
-- and returns how many. Safe with any number of replicas at once: the
-- unique indexes let one insert of a reminder win; the others wait for it
-- and then skip it. Recording and the event commit together.
create or replace function reminders_scan() returns integer
language plpgsql as $$
declare
    r reminders;
    n integer := 0;
begin
    for r in
        insert into reminders as x (tenant_id, kind, assessment_id, finding_id, offset_days, due_on, day,
                                    event_type)
        select d.tenant_id, d.kind, d.assessment_id, d.finding_id, d.offset_days, d.due_on, d.day,
               reminder_event_type(d.kind, d.offset_days)
          from reminders_due(null, tokyo_today()) d
         order by d.day, d.tenant_id, d.k
         limit 1000
        on conflict do nothing
        returning x.*
    loop
        update reminders x
           set event_id = webhook_emit(r.tenant_id, r.event_type,
                                       coalesce(r.finding_id, r.assessment_id), reminder_event_data(r))
         where x.tenant_id = r.tenant_id and x.id = r.id;
        n := n + 1;
    end loop;
    return n;
end
$$;

-- A fired reminder stays as it fired: only its event id is set, once,
-- in the scan's own transaction.
create or replace function reminders_guard() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.event_id is not null
       or to_jsonb(new) - 'event_id' is distinct from to_jsonb(old) - 'event_id' then
        raise exception 'a fired reminder never changes'
            using errcode = 'P0001', constraint = 'reminder_fired';
    end if;
    return new;
end
$$;

create or replace trigger reminders_guard before update or delete on reminders
    for each row execute function reminders_guard();

create or replace trigger reminders_no_truncate before truncate on reminders
    for each statement execute function refuse_change();
