-- 0026_torihiki: what 取適法 (中小受託取引適正化法, in force 2026-01-01)
-- needs to know about an engagement, recorded as answers (never guessed):
-- the transaction type (第2条第1項-第6項), the order date (the day the
-- capital and headcount figures are taken at) and the payment terms that
-- the statute's duties are checked against (sql/functions/89_torihiki.sql).
-- The outsourcer's own capital and headcount are a tenant setting
-- (settings -> 'torihiki'); the vendor's are vendors.capital_jpy and
-- vendors.employee_count.
alter table engagements
    add column torihiki_type text check (torihiki_type in ('manufacturing_repair_transport',
        'program_creation', 'transport_storage_information_processing', 'other_information_products',
        'other_services', 'not_applicable')),
    add column ordered_on date,
    -- Payment due: either a number of days after the day of receipt (due
    -- date = receipt + N), or a monthly cut-off (締め日, 31 = month end) with
    -- payment N months later on a day of that month (31 = month end).
    add column payment_due_basis text check (payment_due_basis in ('days_after_receipt', 'monthly_cutoff')),
    add column payment_due_days smallint check (payment_due_days between 0 and 730),
    add column payment_cutoff_day smallint check (payment_cutoff_day between 1 and 31),
    add column payment_month_offset smallint check (payment_month_offset between 0 and 12),
    add column payment_day smallint check (payment_day between 1 and 31),
    add column payment_method text check (payment_method in ('bank_transfer', 'promissory_note',
        'electronic_receivables', 'factoring', 'other')),
    -- Electronic receivables or factoring: can the vendor turn them into
    -- the full amount by the due date (null: not known).
    add column payment_full_amount_by_due boolean,
    add column transfer_fee_borne_by text check (transfer_fee_borne_by in ('outsourcer', 'vendor')),
    -- The terms were given in writing or electronically (第4条).
    add column terms_in_writing boolean,
    add constraint engagements_payment_days check (
        coalesce(payment_due_basis = 'days_after_receipt', false) = (payment_due_days is not null)),
    add constraint engagements_payment_cutoff check (
        num_nonnulls(payment_cutoff_day, payment_month_offset, payment_day)
            = case when payment_due_basis = 'monthly_cutoff' then 3 else 0 end),
    add constraint engagements_payment_same_month check (
        payment_month_offset is distinct from 0 or payment_day > payment_cutoff_day);

-- The outsourcer's figures are whole non-negative numbers when given.
alter table tenants add constraint tenants_torihiki_figures check (
    case jsonb_typeof(settings #> '{torihiki,capital_jpy}')
        when 'number' then (settings #> '{torihiki,capital_jpy}')::numeric >= 0
        else coalesce(jsonb_typeof(settings #> '{torihiki,capital_jpy}'), 'null') = 'null' end
    and case jsonb_typeof(settings #> '{torihiki,employee_count}')
        when 'number' then (settings #> '{torihiki,employee_count}')::numeric >= 0
        else coalesce(jsonb_typeof(settings #> '{torihiki,employee_count}'), 'null') = 'null' end);
