-- 88_mail: the mail outbox's texts, what queues a mail, and how a
-- message is shown (issue 18). Tables: 0022_mail.
--
-- Mail is on for a tenant when its settings say mail.enabled (default
-- false); whether this deployment can send at all is ITAKU_SMTP_URL. A
-- row is queued, never a token: the sender issues a fresh respondent link
-- when it sends (service/mail/outbox.c) and puts it where the template
-- says {link}. The texts are all here, Japanese and English.

create or replace function mail_enabled(p_settings jsonb) returns boolean
language sql immutable as $$
    select coalesce((p_settings #>> '{mail,enabled}')::boolean, false)
$$;

-- A vendor's contact with this address marked no_mail: the person asked
-- not to be mailed; such messages are recorded as suppressed.
create or replace function mail_suppressed(p_tenant uuid, p_vendor uuid, p_to text) returns boolean
language sql stable as $$
    select exists (select 1 from vendors v, jsonb_array_elements(v.contacts) c
                    where v.tenant_id = p_tenant and v.id = p_vendor
                      and lower(c ->> 'email') = lower(p_to)
                      and coalesce((c ->> 'no_mail')::boolean, false))
$$;

-- The product's mail texts: key (invitation, or the reminder's event
-- type; en_note is the English line added to a Japanese mail whose
-- template has an English name) and language -> subject and body with
-- {placeholders} (mail_fill). {link} is left for the sender.
create or replace function mail_template(p_key text, p_lang text, out subject text, out body text)
language sql immutable as $$
    select t.s, t.b from (values
    ('invitation', 'ja',
     '【{tenant}】情報セキュリティ確認のお願い：{title}（回答期限 {due_on}）',
     E'{vendor}\n{name} 様\n\nいつもお世話になっております。{tenant}です。\n'
     || E'お取引先の皆様に、お預けしている情報の守り方を確認させていただいております。\n'
     || E'お手数ですが、下記のリンクから「{title}」にご回答をお願いいたします。\n\n'
     || E'回答期限：{due_on}\n回答用リンク：{link}\n\n{message}\n\n'
     || E'・このリンクは{name}様専用です。ほかの方へ転送しないでください。\n'
     || E'・回答は途中で保存でき、後から続けられます。\n'
     || E'・リンクが使えないときは、最新のメールのリンクをお使いいただくか、{tenant}の担当者までご連絡ください。\n\n'
     || E'本メールは送信専用のアドレスから自動でお送りしています。'),
    ('invitation', 'en',
     '[{tenant}] Security questionnaire: {title} (due {due_on})',
     E'Dear {name},\n\n{tenant} asks the companies it entrusts with information how they keep it safe.\n'
     || E'Please answer "{title}" for {vendor} through the link below.\n\n'
     || E'Due date: {due_on}\nLink: {link}\n\n{message}\n\n'
     || E'- The link is for you alone; please do not forward it.\n'
     || E'- You can save your answers and come back later.\n'
     || E'- If the link stops working, use the one in our latest mail or contact {tenant}.\n\n'
     || E'This message was sent automatically; replies to it are not read.'),
    ('assessment.reminder_due', 'ja',
     '【{tenant}】ご回答のお願い（{when}）：{title}',
     E'{vendor}\n{name} 様\n\n{tenant}です。「{title}」について、{when}。\n'
     || E'まだお済みでなければ、下記のリンクからご回答をお願いいたします。\n\n'
     || E'回答期限：{due_on}\n回答用リンク：{link}\n\n'
     || E'このリンクは新しく発行したもので、以前のメールのリンクはもう使えません。\n'
     || E'行き違いでご回答済みの場合は、ご容赦ください。\n\n'
     || E'本メールは送信専用のアドレスから自動でお送りしています。'),
    ('assessment.reminder_due', 'en',
     '[{tenant}] Reminder: {title} (due {due_on})',
     E'Dear {name},\n\nA reminder from {tenant}: the questionnaire "{title}" for {vendor} {when}.\n'
     || E'If you have not finished it yet, please continue through the link below.\n\n'
     || E'Due date: {due_on}\nLink: {link}\n\n'
     || E'This link is new; the one in our earlier mails no longer works.\n'
     || E'If you have answered in the meantime, please disregard this message.\n\n'
     || E'This message was sent automatically; replies to it are not read.'),
    ('assessment.overdue', 'ja',
     '【{tenant}】回答期限を過ぎています：{title}',
     E'{vendor}\n{name} 様\n\n{tenant}です。「{title}」の回答期限（{due_on}）から{days}日が過ぎました。\n'
     || E'お忙しいところ恐れ入りますが、下記のリンクからご回答をお願いいたします。\n'
     || E'期限までのご回答が難しい事情があれば、{tenant}の担当者までご相談ください。\n\n'
     || E'回答用リンク：{link}\n\n'
     || E'このリンクは新しく発行したもので、以前のメールのリンクはもう使えません。\n'
     || E'行き違いでご回答済みの場合は、ご容赦ください。\n\n'
     || E'本メールは送信専用のアドレスから自動でお送りしています。'),
    ('assessment.overdue', 'en',
     '[{tenant}] Overdue: {title}',
     E'Dear {name},\n\nThe questionnaire "{title}" for {vendor} was due on {due_on}, {days} days ago.\n'
     || E'Please answer it through the link below, or tell your contact at {tenant} what keeps you from it.\n\n'
     || E'Link: {link}\n\n'
     || E'This link is new; the one in our earlier mails no longer works.\n'
     || E'If you have answered in the meantime, please disregard this message.\n\n'
     || E'This message was sent automatically; replies to it are not read.'),
    ('finding.reminder_due', 'ja',
     '【{tenant}】是正のお願い：{finding}（期限 {finding_due_on}）',
     E'{vendor}\n{name} 様\n\n{tenant}です。「{title}」の結果を受けて、次の点の是正をお願いしております。\n\n'
     || E'指摘事項：{finding}\n是正期限：{finding_due_on}（{when}）\n\n'
     || E'対応の計画や進み具合を、下記のリンクからお知らせください。\n回答用リンク：{link}\n\n'
     || E'このリンクは新しく発行したもので、以前のメールのリンクはもう使えません。\n\n'
     || E'本メールは送信専用のアドレスから自動でお送りしています。'),
    ('finding.reminder_due', 'en',
     '[{tenant}] Corrective action: {finding} (due {finding_due_on})',
     E'Dear {name},\n\nFollowing "{title}", {tenant} asked {vendor} to correct the point below.\n\n'
     || E'Finding: {finding}\nDue date: {finding_due_on} ({when})\n\n'
     || E'Please tell us your plan and progress through the link below.\nLink: {link}\n\n'
     || E'This link is new; the one in our earlier mails no longer works.\n\n'
     || E'This message was sent automatically; replies to it are not read.'),
    ('en_note', 'en', '',
     E'----\nEnglish: this message from {tenant} is about the security questionnaire "{template_en}". '
     || E'The link above opens it; it can be answered in English.')
    ) t (k, l, s, b)
    where t.k = p_key and t.l = p_lang
$$;

-- Fills {name} placeholders from p_values in one pass: a value is never
-- read again for placeholders, so a title holding "{due_on}" stays as
-- written. Unknown names stay as they are.
create or replace function mail_fill(p_text text, p_values jsonb) returns text
language plpgsql immutable as $$
declare
    done text := '';
    rest text := p_text;
    m text[];
begin
    loop
        m := regexp_match(rest, '^(.*?)\{([a-z_]+)\}(.*)$', 's');
        exit when m is null;
        done := done || m[1] || coalesce(p_values ->> m[2], '{' || m[2] || '}');
        rest := m[3];
    end loop;
    return done || rest;
end
$$;

create or replace function mail_date(p_day date, p_lang text) returns text
language sql immutable as $$
    select case when p_lang = 'en' then to_char(p_day, 'YYYY-MM-DD')
                else to_char(p_day, 'YYYY"年"FMMM"月"FMDD"日"') end
$$;

-- A message's subject and body as of now (the assessment and finding as
-- they are), the body cut at each {link} (the sender joins the parts
-- with the link it issues), and the tenant's name to sign with.
create or replace function mail_render(m mail_messages, out subject text, out body_parts text[],
                                       out tenant_name text)
language sql stable as $$
    with x as (
        select m.language l, coalesce(r.event_type, 'invitation') k, t.name tenant, q.name_en,
               jsonb_build_object(
                   'tenant', t.name, 'vendor', v.name,
                   'name', a.respondent ->> 'name',
                   'title', coalesce(a.title, q.name), 'template', q.name,
                   'template_en', coalesce(q.name_en, q.name),
                   'due_on', mail_date(a.due_on, m.language),
                   'message', coalesce(a.message, ''),
                   'days', abs(coalesce(r.offset_days, 0))::text,
                   'finding', f.title, 'finding_due_on', mail_date(f.due_on, m.language),
                   'when', case when r.offset_days is null then ''
                           when m.language = 'en' then
                               case when r.offset_days < 0 then 'is due in ' || -r.offset_days || ' days'
                                    when r.offset_days = 0 then 'is due today'
                                    else 'is ' || r.offset_days || ' days overdue' end
                           else
                               case when r.offset_days < 0 then '回答期限まであと' || -r.offset_days || '日です'
                                    when r.offset_days = 0 then '本日が回答期限です'
                                    else '期限から' || r.offset_days || '日が過ぎました' end
                           end) vals
          from assessments a
          join tenants t on t.id = a.tenant_id
          join vendors v on v.tenant_id = a.tenant_id and v.id = a.vendor_id
          join questionnaire_templates q on q.tenant_id = a.tenant_id and q.id = a.template_id
          left join reminders r on r.tenant_id = m.tenant_id and r.id = m.reminder_id
          left join findings f on f.tenant_id = r.tenant_id and f.id = r.finding_id
         where a.tenant_id = m.tenant_id and a.id = m.assessment_id)
    select mail_fill(tp.subject, x.vals),
           array(select regexp_replace(mail_fill(p, x.vals), E'\n{3,}', E'\n\n', 'g')
                   from unnest(string_to_array(
                            tp.body || case when x.l = 'ja' and x.name_en is not null
                                            then E'\n\n' || (mail_template('en_note', 'en')).body else '' end,
                            '{link}')) with ordinality u (p, i)
                  order by i),
           x.tenant
      from x cross join lateral mail_template(x.k, x.l) tp
$$;

-- Queues one message when the tenant has mail on: to the assessment's
-- respondent, in its language; suppressed at once when the vendor's
-- contact of that address is marked no_mail. Returns its id or null.
create or replace function mail_enqueue(p_tenant uuid, p_kind text, p_assessment uuid, p_reminder uuid)
returns uuid
language plpgsql as $$
declare
    a assessments;
    m mail_messages;
begin
    select x.* into a from assessments x join tenants t on t.id = x.tenant_id
     where x.tenant_id = p_tenant and x.id = p_assessment and mail_enabled(t.settings);
    if not found or coalesce(a.respondent ->> 'email', '') = '' then
        return null;
    end if;
    m.tenant_id := p_tenant;
    m.kind := p_kind;
    m.assessment_id := p_assessment;
    m.reminder_id := p_reminder;
    m.recipient := a.respondent ->> 'email';
    m.language := coalesce(a.respondent ->> 'language', 'ja');
    insert into mail_messages (tenant_id, kind, assessment_id, reminder_id, recipient, language, subject,
                               status)
    values (m.tenant_id, m.kind, m.assessment_id, m.reminder_id, m.recipient, m.language,
            left((mail_render(m)).subject, 500),
            case when mail_suppressed(p_tenant, a.vendor_id, m.recipient) then 'suppressed' else 'queued' end)
    on conflict do nothing
    returning id into m.id;
    if m.id is not null then
        perform pg_notify('itaku_mail', '');
    end if;
    return m.id;
end
$$;

create or replace function mail_on_assessment_sent() returns trigger
language plpgsql as $$
begin
    perform mail_enqueue(new.tenant_id, 'invitation', new.id, null);
    return null;
end
$$;

create or replace function mail_on_reminder() returns trigger
language plpgsql as $$
begin
    perform mail_enqueue(new.tenant_id, 'reminder', new.assessment_id, new.id);
    return null;
end
$$;

create or replace trigger mail_on_assessment_sent after update of status on assessments
    for each row when (new.status = 'sent' and old.status is distinct from new.status)
    execute function mail_on_assessment_sent();

create or replace trigger mail_on_reminder after insert on reminders
    for each row execute function mail_on_reminder();

-- One message as GET /v1/assessments/{id}/messages shows it: never a
-- token, never the body (it held one).
create or replace function mail_message_json(m mail_messages) returns json
language sql stable as $$
    select json_build_object(
        'id', m.id, 'kind', m.kind, 'assessment_id', m.assessment_id, 'reminder_id', m.reminder_id,
        'event_type', (select r.event_type from reminders r where r.tenant_id = m.tenant_id and r.id = m.reminder_id),
        'to', m.recipient, 'language', m.language, 'subject', m.subject, 'status', m.status,
        'attempts', coalesce((select json_agg(json_build_object('n', x.n, 'at', x.at, 'reply_code', x.reply_code,
                                                                'reply', x.reply, 'duration_ms', x.duration_ms)
                                              order by x.n)
                                from mail_attempts x where x.tenant_id = m.tenant_id and x.message_id = m.id),
                             '[]'),
        'next_attempt_at', case when m.status in ('queued', 'failed') then m.next_attempt_at end,
        'sent_at', m.sent_at, 'link_id', m.link_id,
        'created_at', m.created_at, 'updated_at', m.updated_at)
$$;
