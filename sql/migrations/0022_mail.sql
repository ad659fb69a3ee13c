-- 0022_mail: the mail outbox (issue 18, "E-mail, built in but optional").
--
-- A row says what to send, never how to reach the questionnaire: the
-- respondent link a mail carries is issued by the sender at the moment
-- it sends (assessments/links.h), superseding the previous one, so no
-- token is ever stored to be mailed later. Rows are queued by triggers
-- (sql/functions/88_mail.sql) when a tenant has mail on, and claimed by
-- the mail worker (service/mail/outbox.c) with FOR UPDATE SKIP LOCKED
-- and a lease, like webhook deliveries.

create table mail_messages (
    tenant_id       uuid not null references tenants (id),
    id              uuid not null default gen_random_uuid(),
    -- invitation: the assessment was sent; reminder: a reminders row fired
    kind            text not null check (kind in ('invitation', 'reminder')),
    assessment_id   uuid not null,
    reminder_id     uuid,
    recipient       text not null check (char_length(recipient) between 3 and 254),
    language        text not null check (language in ('ja', 'en')),
    subject         text not null check (char_length(subject) between 1 and 500),
    -- queued: waits for its first attempt; failed: an attempt failed and
    -- another is scheduled; dead: no attempt left (or nothing to send any
    -- more); suppressed: the vendor's contact is not to be mailed
    status          text not null default 'queued'
                    check (status in ('queued', 'sent', 'failed', 'dead', 'suppressed')),
    attempts        integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    lease           uuid,
    leased_until    timestamptz,
    last_attempt_at timestamptz,
    last_reply      text check (char_length(last_reply) <= 500),
    sent_at         timestamptz,
    -- the respondent link the sent mail carried (its id, never its token)
    link_id         uuid,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    foreign key (tenant_id, reminder_id) references reminders (tenant_id, id),
    foreign key (tenant_id, link_id) references assessment_links (tenant_id, id),
    check ((kind = 'reminder') = (reminder_id is not null)),
    check ((status = 'sent') = (sent_at is not null)),
    check ((lease is null) = (leased_until is null))
);
-- One mail per fired reminder; an invitation per sending (an assessment is sent once).
create unique index mail_messages_reminder on mail_messages (tenant_id, reminder_id) where reminder_id is not null;
create unique index mail_messages_invitation on mail_messages (tenant_id, assessment_id) where kind = 'invitation';
create index mail_messages_due on mail_messages (next_attempt_at) where status in ('queued', 'failed');
create index mail_messages_assessment on mail_messages (tenant_id, assessment_id, created_at, id);

-- Each attempt with the relay's answer.
create table mail_attempts (
    tenant_id   uuid not null,
    message_id  uuid not null,
    n           integer not null check (n > 0),
    at          timestamptz not null default now(),
    reply_code  integer check (reply_code between 0 and 999),   -- the relay's last SMTP code; null: none came
    reply       text check (char_length(reply) <= 500),        -- its answer, or why there was none
    duration_ms integer not null check (duration_ms >= 0),
    primary key (tenant_id, message_id, n),
    foreign key (tenant_id, message_id) references mail_messages (tenant_id, id)
);
