-- 0011_baseline.sql: the schema that migrations 0001-0011 built, in one
-- file, without the functions and triggers (those live once, in
-- ../functions/). A fresh database gets this instead of replaying the
-- eleven files, so that no stale copy of a function is left in this
-- folder; it keeps version 11, so the next migration is 0012.
--
-- Made by dumping a database migrated with the old files (pg_dump
-- --schema-only, functions and triggers left out) plus the rows those
-- migrations seeded. The old files, with the comments that say why each
-- table and constraint is as it is, are tests/fixtures/
-- migrations-before-baseline/ (the suite proves that a database migrated
-- with them and one built from this file end identical), and in git
-- history. A database that applied them is accepted as at this baseline
-- (service/db/migrate.c lists their checksums; see README.md).
--
-- Two functions are named by the schema itself: corporate_number_valid in
-- CHECK constraints and itaku_fold in the generated vendors.search_text.
-- They are in ../functions/00_pure.sql, which runs before the migrations.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE audit_events (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_key_id uuid,
    actor text NOT NULL,
    action text NOT NULL,
    resource_type text NOT NULL,
    resource_id text NOT NULL,
    before jsonb,
    after jsonb,
    request_id text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    CONSTRAINT audit_events_action_check CHECK (((char_length(action) >= 1) AND (char_length(action) <= 100))),
    CONSTRAINT audit_events_resource_id_check CHECK (((char_length(resource_id) >= 1) AND (char_length(resource_id) <= 200))),
    CONSTRAINT audit_events_resource_type_check CHECK (((char_length(resource_type) >= 1) AND (char_length(resource_type) <= 100)))
);

CREATE TABLE certifications (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    vendor_id uuid NOT NULL,
    kind text NOT NULL,
    kind_other text,
    certificate_number text,
    registered_scope text,
    issued_on date,
    expires_on date,
    evidence_ref text,
    scope_verified boolean DEFAULT false NOT NULL,
    scope_verified_by uuid,
    scope_verified_at timestamp with time zone,
    scope_verified_note text,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT certifications_certificate_number_check CHECK ((char_length(certificate_number) <= 100)),
    CONSTRAINT certifications_check CHECK (((expires_on IS NULL) OR (issued_on IS NULL) OR (expires_on >= issued_on))),
    CONSTRAINT certifications_check1 CHECK (((kind = 'other'::text) = (kind_other IS NOT NULL))),
    CONSTRAINT certifications_check2 CHECK ((scope_verified OR ((scope_verified_by IS NULL) AND (scope_verified_at IS NULL)))),
    CONSTRAINT certifications_evidence_ref_check CHECK ((char_length(evidence_ref) <= 1000)),
    CONSTRAINT certifications_kind_check CHECK ((kind = ANY (ARRAY['isms'::text, 'isms_cloud'::text, 'privacy_mark'::text, 'ismap'::text, 'soc2_type1'::text, 'soc2_type2'::text, 'cs_mark'::text, 'fedramp'::text, 'other'::text]))),
    CONSTRAINT certifications_kind_other_check CHECK (((char_length(kind_other) >= 1) AND (char_length(kind_other) <= 200))),
    CONSTRAINT certifications_registered_scope_check CHECK ((char_length(registered_scope) <= 4000)),
    CONSTRAINT certifications_scope_verified_note_check CHECK ((char_length(scope_verified_note) <= 2000)),
    CONSTRAINT certifications_version_check CHECK ((version > 0))
);

CREATE TABLE engagements (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    vendor_id uuid NOT NULL,
    external_ref text,
    title text NOT NULL,
    description text,
    contract_type text NOT NULL,
    category text NOT NULL,
    starts_on date,
    ends_on date,
    handles_personal_data boolean DEFAULT false NOT NULL,
    personal_data_categories text[] DEFAULT '{}'::text[] NOT NULL,
    personal_data_subjects integer,
    confidentiality smallint DEFAULT 2 NOT NULL,
    data_locations text[] DEFAULT '{JP}'::text[] NOT NULL,
    subcontracting text DEFAULT 'prior_approval'::text NOT NULL,
    subcontract_max_depth smallint DEFAULT 1 NOT NULL,
    clauses jsonb DEFAULT '{}'::jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    terms_security_level_stated boolean,
    CONSTRAINT engagements_category_check CHECK ((category = ANY (ARRAY['system_build'::text, 'operation_onsite'::text, 'operation_remote'::text, 'datacenter'::text, 'asp_saas'::text, 'housing'::text, 'maintenance'::text, 'data_processing'::text, 'storage_transport'::text]))),
    CONSTRAINT engagements_check CHECK (((ends_on IS NULL) OR (starts_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT engagements_check1 CHECK ((handles_personal_data OR ((cardinality(personal_data_categories) = 0) AND (personal_data_subjects IS NULL)))),
    CONSTRAINT engagements_check2 CHECK (((subcontracting <> 'prohibited'::text) OR (subcontract_max_depth = 0))),
    CONSTRAINT engagements_clauses_check CHECK ((jsonb_typeof(clauses) = 'object'::text)),
    CONSTRAINT engagements_confidentiality_check CHECK (((confidentiality >= 1) AND (confidentiality <= 3))),
    CONSTRAINT engagements_contract_type_check CHECK ((contract_type = ANY (ARRAY['ukeoi'::text, 'inin'::text, 'jun_inin'::text, 'terms_of_service'::text]))),
    CONSTRAINT engagements_data_locations_check CHECK ((cardinality(data_locations) <= 50)),
    CONSTRAINT engagements_description_check CHECK ((char_length(description) <= 4000)),
    CONSTRAINT engagements_external_ref_check CHECK (((char_length(external_ref) >= 1) AND (char_length(external_ref) <= 100))),
    CONSTRAINT engagements_personal_data_subjects_check CHECK ((personal_data_subjects >= 0)),
    CONSTRAINT engagements_subcontract_max_depth_check CHECK (((subcontract_max_depth >= 0) AND (subcontract_max_depth <= 10))),
    CONSTRAINT engagements_subcontracting_check CHECK ((subcontracting = ANY (ARRAY['prohibited'::text, 'prior_approval'::text, 'allowed'::text]))),
    CONSTRAINT engagements_terms_security_level CHECK (((contract_type = 'terms_of_service'::text) OR (terms_security_level_stated IS NULL))),
    CONSTRAINT engagements_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT engagements_version_check CHECK ((version > 0))
);

CREATE TABLE handovers (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    engagement_id uuid NOT NULL,
    item text NOT NULL,
    classification text NOT NULL,
    handed_over_on date NOT NULL,
    method text NOT NULL,
    handed_by text,
    received_by text,
    return_due_on date,
    status text DEFAULT 'held'::text NOT NULL,
    closed_on date,
    erasure_certificate_ref text,
    note text,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT handovers_check CHECK (((return_due_on IS NULL) OR (return_due_on >= handed_over_on))),
    CONSTRAINT handovers_check1 CHECK (((status = 'held'::text) = (closed_on IS NULL))),
    CONSTRAINT handovers_check2 CHECK (((closed_on IS NULL) OR (closed_on >= handed_over_on))),
    CONSTRAINT handovers_check3 CHECK (((status <> 'erased'::text) OR (erasure_certificate_ref IS NOT NULL))),
    CONSTRAINT handovers_classification_check CHECK ((classification = ANY (ARRAY['public'::text, 'internal'::text, 'confidential'::text, 'secret'::text]))),
    CONSTRAINT handovers_erasure_certificate_ref_check CHECK ((char_length(erasure_certificate_ref) <= 1000)),
    CONSTRAINT handovers_handed_by_check CHECK ((char_length(handed_by) <= 200)),
    CONSTRAINT handovers_item_check CHECK (((char_length(item) >= 1) AND (char_length(item) <= 500))),
    CONSTRAINT handovers_method_check CHECK ((method = ANY (ARRAY['encrypted_transfer'::text, 'physical_media'::text, 'system_access'::text, 'paper'::text, 'email'::text, 'other'::text]))),
    CONSTRAINT handovers_note_check CHECK ((char_length(note) <= 4000)),
    CONSTRAINT handovers_received_by_check CHECK ((char_length(received_by) <= 200)),
    CONSTRAINT handovers_status_check CHECK ((status = ANY (ARRAY['held'::text, 'returned'::text, 'erased'::text]))),
    CONSTRAINT handovers_version_check CHECK ((version > 0))
);

CREATE TABLE incidents (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    vendor_id uuid NOT NULL,
    engagement_id uuid,
    subcontract_id uuid,
    chain_path uuid[] NOT NULL,
    depth smallint DEFAULT 0 NOT NULL,
    source text DEFAULT 'staff'::text NOT NULL,
    report_link_id uuid,
    reporter jsonb,
    title text NOT NULL,
    description text,
    category text NOT NULL,
    severity text NOT NULL,
    status text DEFAULT 'reported'::text NOT NULL,
    status_note text,
    occurred_at timestamp with time zone,
    detected_at timestamp with time zone NOT NULL,
    reported_to_us_at timestamp with time zone,
    assignee text,
    containment text,
    root_cause text,
    measures jsonb DEFAULT '[]'::jsonb NOT NULL,
    personal_data text DEFAULT 'unknown'::text NOT NULL,
    people_affected integer,
    people_estimated boolean DEFAULT false NOT NULL,
    sensitive_data text DEFAULT 'no'::text NOT NULL,
    financial_damage text DEFAULT 'no'::text NOT NULL,
    wrongful_purpose text DEFAULT 'no'::text NOT NULL,
    over_1000_people text DEFAULT 'no'::text NOT NULL,
    appi_basis text,
    exemption text,
    exemption_reason text,
    aware_at timestamp with time zone NOT NULL,
    ppc_reasons text[] DEFAULT '{}'::text[] NOT NULL,
    ppc_reportable boolean DEFAULT false NOT NULL,
    preliminary_days smallint,
    final_days smallint,
    preliminary_due_on date,
    final_due_on date,
    preliminary_filed_at timestamp with time zone,
    preliminary_reference text,
    final_filed_at timestamp with time zone,
    final_reference text,
    report_items jsonb DEFAULT '{}'::jsonb NOT NULL,
    individuals_notified_at timestamp with time zone,
    individuals_method text,
    individuals_not_notified text,
    version integer DEFAULT 1 NOT NULL,
    created_by uuid,
    updated_by uuid,
    updated_via uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    detected_by text DEFAULT 'us'::text NOT NULL,
    being_acquired text DEFAULT 'no'::text NOT NULL,
    notice_items jsonb DEFAULT '{}'::jsonb NOT NULL,
    reportable_since timestamp with time zone,
    CONSTRAINT incidents_appi_basis_check CHECK (((char_length(appi_basis) >= 1) AND (char_length(appi_basis) <= 4000))),
    CONSTRAINT incidents_assignee_check CHECK (((char_length(assignee) >= 1) AND (char_length(assignee) <= 200))),
    CONSTRAINT incidents_being_acquired_check CHECK ((being_acquired = ANY (ARRAY['yes'::text, 'no'::text, 'unknown'::text]))),
    CONSTRAINT incidents_category_check CHECK ((category = ANY (ARRAY['leak'::text, 'misuse_beyond_purpose'::text, 'unauthorized_access'::text, 'malware'::text, 'ransomware'::text, 'service_outage'::text, 'loss_or_theft'::text, 'tampering'::text, 'other'::text]))),
    CONSTRAINT incidents_check CHECK (((subcontract_id IS NULL) OR (engagement_id IS NOT NULL))),
    CONSTRAINT incidents_check1 CHECK (((occurred_at IS NULL) OR (occurred_at <= detected_at))),
    CONSTRAINT incidents_check2 CHECK (((occurred_at IS NULL) OR (reported_to_us_at IS NULL) OR (occurred_at <= reported_to_us_at))),
    CONSTRAINT incidents_check3 CHECK (((exemption IS NULL) OR (exemption_reason IS NOT NULL))),
    -- Written as in 0005: pg_dump's rendering parses into a flatter
    -- (equivalent) tree than the old file made; so are two checks of
    -- webhook_subscriptions.
    CONSTRAINT incidents_check4 CHECK (appi_basis is not null or 'likely' not in (sensitive_data,
        financial_damage, wrongful_purpose, over_1000_people)),
    CONSTRAINT incidents_check5 CHECK (((people_affected IS NULL) OR (people_affected <= 1000) OR (over_1000_people = 'yes'::text))),
    CONSTRAINT incidents_check6 CHECK (((final_filed_at IS NULL) OR (preliminary_filed_at IS NOT NULL))),
    CONSTRAINT incidents_check7 CHECK (((final_filed_at IS NULL) OR (final_filed_at >= preliminary_filed_at))),
    CONSTRAINT incidents_check8 CHECK (((individuals_notified_at IS NULL) OR (individuals_method IS NOT NULL))),
    CONSTRAINT incidents_containment_check CHECK (((char_length(containment) >= 1) AND (char_length(containment) <= 8000))),
    CONSTRAINT incidents_depth_check CHECK (((depth >= 0) AND (depth <= 10))),
    CONSTRAINT incidents_description_check CHECK (((char_length(description) >= 1) AND (char_length(description) <= 8000))),
    CONSTRAINT incidents_detected_by_check CHECK ((detected_by = ANY (ARRAY['us'::text, 'vendor'::text]))),
    CONSTRAINT incidents_exemption_check CHECK ((exemption = ANY (ARRAY['advanced_encryption'::text, 'other_protection'::text]))),
    CONSTRAINT incidents_exemption_reason_check CHECK (((char_length(exemption_reason) >= 1) AND (char_length(exemption_reason) <= 2000))),
    CONSTRAINT incidents_final_days_check CHECK ((final_days = ANY (ARRAY[30, 60]))),
    CONSTRAINT incidents_final_reference_check CHECK (((char_length(final_reference) >= 1) AND (char_length(final_reference) <= 200))),
    CONSTRAINT incidents_financial_damage_check CHECK ((financial_damage = ANY (ARRAY['no'::text, 'yes'::text, 'likely'::text]))),
    CONSTRAINT incidents_individuals_method_check CHECK (((char_length(individuals_method) >= 1) AND (char_length(individuals_method) <= 2000))),
    CONSTRAINT incidents_individuals_not_notified_check CHECK (((char_length(individuals_not_notified) >= 1) AND (char_length(individuals_not_notified) <= 2000))),
    CONSTRAINT incidents_link_detection CHECK (((source = 'staff'::text) OR (detected_by = 'vendor'::text))),
    CONSTRAINT incidents_measures_check CHECK (((jsonb_typeof(measures) = 'array'::text) AND (jsonb_array_length(measures) <= 50))),
    CONSTRAINT incidents_notice_items_check CHECK ((jsonb_typeof(notice_items) = 'object'::text)),
    CONSTRAINT incidents_over_1000_people_check CHECK ((over_1000_people = ANY (ARRAY['no'::text, 'yes'::text, 'likely'::text]))),
    CONSTRAINT incidents_people_affected_check CHECK ((people_affected >= 0)),
    CONSTRAINT incidents_personal_data_check CHECK ((personal_data = ANY (ARRAY['yes'::text, 'no'::text, 'unknown'::text]))),
    CONSTRAINT incidents_preliminary_days_check CHECK (((preliminary_days >= 3) AND (preliminary_days <= 5))),
    CONSTRAINT incidents_preliminary_reference_check CHECK (((char_length(preliminary_reference) >= 1) AND (char_length(preliminary_reference) <= 200))),
    CONSTRAINT incidents_report_items_check CHECK ((jsonb_typeof(report_items) = 'object'::text)),
    CONSTRAINT incidents_reportable_since CHECK (((reportable_since IS NOT NULL) = ppc_reportable)),
    CONSTRAINT incidents_reporter_check CHECK (((reporter IS NULL) OR (jsonb_typeof(reporter) = 'object'::text))),
    CONSTRAINT incidents_root_cause_check CHECK (((char_length(root_cause) >= 1) AND (char_length(root_cause) <= 8000))),
    CONSTRAINT incidents_sensitive_data_check CHECK ((sensitive_data = ANY (ARRAY['no'::text, 'yes'::text, 'likely'::text]))),
    CONSTRAINT incidents_severity_check CHECK ((severity = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text]))),
    CONSTRAINT incidents_source_check CHECK ((source = ANY (ARRAY['staff'::text, 'report_link'::text]))),
    CONSTRAINT incidents_status_check CHECK ((status = ANY (ARRAY['reported'::text, 'investigating'::text, 'contained'::text, 'resolved'::text, 'closed'::text]))),
    CONSTRAINT incidents_status_note_check CHECK (((char_length(status_note) >= 1) AND (char_length(status_note) <= 2000))),
    CONSTRAINT incidents_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT incidents_vendor_detection CHECK (((detected_by = 'us'::text) OR ((reported_to_us_at IS NOT NULL) AND (detected_at <= reported_to_us_at)))),
    CONSTRAINT incidents_version_check CHECK ((version > 0)),
    CONSTRAINT incidents_wrongful_purpose_check CHECK ((wrongful_purpose = ANY (ARRAY['no'::text, 'yes'::text, 'likely'::text])))
);

CREATE TABLE incident_events (
    tenant_id uuid NOT NULL,
    incident_id uuid NOT NULL,
    seq bigint NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    kind text NOT NULL,
    actor_key_id uuid,
    report_link_id uuid,
    note text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT incident_events_check CHECK (((actor_key_id IS NULL) OR (report_link_id IS NULL))),
    CONSTRAINT incident_events_data_check CHECK ((jsonb_typeof(data) = 'object'::text)),
    CONSTRAINT incident_events_kind_check CHECK ((kind = ANY (ARRAY['reported'::text, 'note'::text, 'contact'::text, 'notification_sent'::text, 'status_changed'::text, 'severity_changed'::text, 'filed'::text, 'individuals_notified'::text, 'vendor_update'::text]))),
    CONSTRAINT incident_events_note_check CHECK (((char_length(note) >= 1) AND (char_length(note) <= 8000)))
);

CREATE TABLE report_links (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    vendor_id uuid NOT NULL,
    engagement_id uuid,
    label text,
    token_hash text NOT NULL,
    prefix text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by uuid,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    window_start timestamp with time zone DEFAULT now() NOT NULL,
    window_count integer DEFAULT 0 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT report_links_check CHECK ((expires_at > created_at)),
    CONSTRAINT report_links_label_check CHECK (((char_length(label) >= 1) AND (char_length(label) <= 200))),
    CONSTRAINT report_links_prefix_check CHECK (((char_length(prefix) >= 8) AND (char_length(prefix) <= 16))),
    CONSTRAINT report_links_token_hash_check CHECK ((token_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT report_links_version_check CHECK ((version > 0)),
    CONSTRAINT report_links_window_count_check CHECK ((window_count >= 0))
);

CREATE TABLE subcontracts (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    engagement_id uuid NOT NULL,
    parent_id uuid,
    parent_vendor_id uuid NOT NULL,
    vendor_id uuid NOT NULL,
    depth smallint NOT NULL,
    path uuid[] NOT NULL,
    scope text NOT NULL,
    data_categories text[] DEFAULT '{}'::text[] NOT NULL,
    personal_data boolean DEFAULT false NOT NULL,
    confidentiality smallint NOT NULL,
    reason text NOT NULL,
    starts_on date,
    ends_on date,
    equal_obligations boolean DEFAULT false NOT NULL,
    equal_obligations_ref text,
    direct_incident_notice boolean DEFAULT false NOT NULL,
    recurrence_prevention boolean DEFAULT false NOT NULL,
    status_reports_visible boolean DEFAULT false NOT NULL,
    return_or_erasure boolean DEFAULT false NOT NULL,
    status text DEFAULT 'requested'::text NOT NULL,
    requested_by uuid,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    decision_note text,
    conditions text,
    ended_by uuid,
    ended_at timestamp with time zone,
    end_note text,
    closed_with uuid,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT subcontracts_check CHECK (((ends_on IS NULL) OR (starts_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT subcontracts_check1 CHECK (((NOT equal_obligations) OR (equal_obligations_ref IS NOT NULL))),
    CONSTRAINT subcontracts_check2 CHECK (((status <> ALL (ARRAY['approved'::text, 'ended'::text])) OR (equal_obligations AND direct_incident_notice AND recurrence_prevention AND status_reports_visible AND return_or_erasure))),
    CONSTRAINT subcontracts_check3 CHECK (((status <> 'rejected'::text) OR (decision_note IS NOT NULL))),
    CONSTRAINT subcontracts_check4 CHECK (((status = 'requested'::text) OR (decided_at IS NOT NULL))),
    CONSTRAINT subcontracts_check5 CHECK (((status <> 'ended'::text) OR (ended_at IS NOT NULL))),
    CONSTRAINT subcontracts_check6 CHECK (((depth = (cardinality(path) - 1)) AND (path[cardinality(path)] = vendor_id) AND (path[(cardinality(path) - 1)] = parent_vendor_id))),
    CONSTRAINT subcontracts_conditions_check CHECK (((char_length(conditions) >= 1) AND (char_length(conditions) <= 4000))),
    CONSTRAINT subcontracts_confidentiality_check CHECK (((confidentiality >= 1) AND (confidentiality <= 3))),
    CONSTRAINT subcontracts_data_categories_check CHECK ((cardinality(data_categories) <= 30)),
    CONSTRAINT subcontracts_decision_note_check CHECK (((char_length(decision_note) >= 1) AND (char_length(decision_note) <= 2000))),
    CONSTRAINT subcontracts_depth_check CHECK (((depth >= 1) AND (depth <= 10))),
    CONSTRAINT subcontracts_end_note_check CHECK (((char_length(end_note) >= 1) AND (char_length(end_note) <= 2000))),
    CONSTRAINT subcontracts_equal_obligations_ref_check CHECK (((char_length(equal_obligations_ref) >= 1) AND (char_length(equal_obligations_ref) <= 500))),
    CONSTRAINT subcontracts_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 4000))),
    CONSTRAINT subcontracts_scope_check CHECK (((char_length(scope) >= 1) AND (char_length(scope) <= 4000))),
    CONSTRAINT subcontracts_status_check CHECK ((status = ANY (ARRAY['requested'::text, 'approved'::text, 'rejected'::text, 'withdrawn'::text, 'ended'::text]))),
    CONSTRAINT subcontracts_version_check CHECK ((version > 0))
);

CREATE TABLE vendors (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    external_ref text,
    name text NOT NULL,
    name_kana text,
    corporate_number text,
    entity_type text DEFAULT 'corporation'::text NOT NULL,
    country text DEFAULT 'JP'::text NOT NULL,
    address text,
    capital_jpy bigint,
    employee_count integer,
    department text,
    business_description text,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    status text DEFAULT 'candidate'::text NOT NULL,
    stability_notes text,
    contacts jsonb DEFAULT '[]'::jsonb NOT NULL,
    risk_computed_tier text DEFAULT 'low'::text NOT NULL,
    risk_reasons jsonb DEFAULT '[]'::jsonb NOT NULL,
    risk_override_tier text,
    risk_override_reason text,
    risk_override_by uuid,
    risk_override_at timestamp with time zone,
    risk_tier text DEFAULT 'low'::text NOT NULL,
    handles_personal_data boolean DEFAULT false NOT NULL,
    last_monitoring_date date,
    last_monitoring_verdict text,
    monitoring_cadence_months integer DEFAULT 36 NOT NULL,
    next_monitoring_due date,
    search_text text GENERATED ALWAYS AS (itaku_fold(((((((name || ' '::text) || COALESCE(name_kana, ''::text)) || ' '::text) || COALESCE(external_ref, ''::text)) || ' '::text) || COALESCE(corporate_number, ''::text)))) STORED,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    official jsonb,
    corporation_closed boolean DEFAULT false NOT NULL,
    CONSTRAINT vendors_address_check CHECK ((char_length(address) <= 500)),
    CONSTRAINT vendors_business_description_check CHECK ((char_length(business_description) <= 4000)),
    CONSTRAINT vendors_capital_jpy_check CHECK ((capital_jpy >= 0)),
    CONSTRAINT vendors_check CHECK (((entity_type <> 'sole_proprietor'::text) OR (corporate_number IS NULL))),
    CONSTRAINT vendors_check1 CHECK (((risk_override_tier IS NULL) = (risk_override_reason IS NULL))),
    CONSTRAINT vendors_check2 CHECK (((last_monitoring_date IS NULL) = (last_monitoring_verdict IS NULL))),
    CONSTRAINT vendors_contacts_check CHECK ((jsonb_typeof(contacts) = 'array'::text)),
    CONSTRAINT vendors_corporate_number_check CHECK (corporate_number_valid(corporate_number)),
    CONSTRAINT vendors_country_check CHECK ((country ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT vendors_department_check CHECK ((char_length(department) <= 200)),
    CONSTRAINT vendors_employee_count_check CHECK ((employee_count >= 0)),
    CONSTRAINT vendors_entity_type_check CHECK ((entity_type = ANY (ARRAY['corporation'::text, 'sole_proprietor'::text, 'foreign'::text, 'public_body'::text]))),
    CONSTRAINT vendors_external_ref_check CHECK (((char_length(external_ref) >= 1) AND (char_length(external_ref) <= 100))),
    CONSTRAINT vendors_last_monitoring_verdict_check CHECK ((last_monitoring_verdict = ANY (ARRAY['no_issues'::text, 'watch'::text, 'action_required'::text]))),
    CONSTRAINT vendors_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT vendors_name_kana_check CHECK ((char_length(name_kana) <= 200)),
    CONSTRAINT vendors_official_check CHECK (((official IS NULL) OR (jsonb_typeof(official) = 'object'::text))),
    CONSTRAINT vendors_risk_computed_tier_check CHECK ((risk_computed_tier = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT vendors_risk_override_reason_check CHECK (((char_length(risk_override_reason) >= 1) AND (char_length(risk_override_reason) <= 2000))),
    CONSTRAINT vendors_risk_override_tier_check CHECK ((risk_override_tier = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT vendors_risk_tier_check CHECK ((risk_tier = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text]))),
    CONSTRAINT vendors_stability_notes_check CHECK ((char_length(stability_notes) <= 4000)),
    CONSTRAINT vendors_status_check CHECK ((status = ANY (ARRAY['candidate'::text, 'active'::text, 'suspended'::text, 'terminated'::text]))),
    CONSTRAINT vendors_tags_check CHECK ((cardinality(tags) <= 30)),
    CONSTRAINT vendors_version_check CHECK ((version > 0))
);

CREATE TABLE webhook_deliveries (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    redelivery_of uuid,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    lease uuid,
    last_attempt_at timestamp with time zone,
    last_status integer,
    last_error text,
    succeeded_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    leased_until timestamp with time zone,
    CONSTRAINT webhook_deliveries_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT webhook_deliveries_check CHECK (((status = 'succeeded'::text) = (succeeded_at IS NOT NULL))),
    CONSTRAINT webhook_deliveries_lease CHECK (((lease IS NULL) = (leased_until IS NULL))),
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'dead'::text])))
);

CREATE TABLE webhook_subscriptions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    url text NOT NULL,
    event_types text[] NOT NULL,
    description text,
    enabled boolean DEFAULT true NOT NULL,
    disabled_reason text,
    disabled_at timestamp with time zone,
    secret text NOT NULL,
    previous_secret text,
    previous_secret_expires_at timestamp with time zone,
    secret_rotated_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    created_by uuid,
    updated_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    secrets_sealed boolean DEFAULT true NOT NULL,
    CONSTRAINT webhook_subscriptions_check CHECK (((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))),
    CONSTRAINT webhook_subscriptions_check1 CHECK ((enabled OR (disabled_at IS NOT NULL))),
    CONSTRAINT webhook_subscriptions_description_check CHECK (((char_length(description) >= 1) AND (char_length(description) <= 500))),
    CONSTRAINT webhook_subscriptions_disabled_reason_check CHECK (((char_length(disabled_reason) >= 1) AND (char_length(disabled_reason) <= 500))),
    -- Written as in 0006 (see incidents_check4), and so is url_check.
    CONSTRAINT webhook_subscriptions_event_types_check CHECK (cardinality(event_types) between 1 and 20
        and event_types <@ array['*', 'incident.reported', 'incident.updated',
            'incident.status_changed', 'incident.severity_raised',
            'incident.ppc_deadline_approaching', 'incident.ppc_deadline_missed',
            'subcontract.requested', 'subcontract.decided', 'vendor.tier_changed']),
    CONSTRAINT webhook_subscriptions_secret_sealed CHECK ((((secret ~ '^itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$'::text) AND ((previous_secret IS NULL) OR (previous_secret ~ '^itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2}$'::text))) OR ((NOT secrets_sealed) AND (secret ~ '^(whsec_[A-Za-z0-9+/=]{32,88}|itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2})$'::text) AND ((previous_secret IS NULL) OR (previous_secret ~ '^(whsec_[A-Za-z0-9+/=]{32,88}|itk1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{40,255}={0,2})$'::text))))),
    CONSTRAINT webhook_subscriptions_url_check CHECK (char_length(url) between 10 and 2000 and url ~ '^https?://'),
    CONSTRAINT webhook_subscriptions_version_check CHECK ((version > 0))
);

CREATE TABLE api_keys (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    prefix text NOT NULL,
    key_hash text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    revoked_by uuid,
    last_used_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT api_keys_check CHECK (((expires_at IS NULL) OR (expires_at > created_at))),
    CONSTRAINT api_keys_key_hash_check CHECK ((key_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT api_keys_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT api_keys_prefix_check CHECK (((char_length(prefix) >= 8) AND (char_length(prefix) <= 16))),
    CONSTRAINT api_keys_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'editor'::text, 'viewer'::text, 'integration'::text]))),
    CONSTRAINT api_keys_version_check CHECK ((version > 0))
);

CREATE TABLE audit_chain_heads (
    tenant_id uuid NOT NULL,
    last_seq bigint NOT NULL,
    last_hash text NOT NULL
);

CREATE TABLE corporate_master (
    corporate_number text NOT NULL,
    sequence_number bigint NOT NULL,
    process text NOT NULL,
    correct boolean NOT NULL,
    update_date date NOT NULL,
    change_date date,
    name text NOT NULL,
    kind text NOT NULL,
    prefecture_name text,
    city_name text,
    street_number text,
    prefecture_code text,
    city_code text,
    post_code text,
    address_outside text,
    close_date date,
    close_cause text,
    successor_corporate_number text,
    change_cause text,
    assignment_date date,
    latest boolean NOT NULL,
    en_name text,
    furigana text,
    hidden boolean DEFAULT false NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT corporate_master_corporate_number_check CHECK (corporate_number_valid(corporate_number))
);

CREATE TABLE corporate_master_imports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    rows bigint DEFAULT 0 NOT NULL,
    inserted bigint DEFAULT 0 NOT NULL,
    updated bigint DEFAULT 0 NOT NULL,
    unchanged bigint DEFAULT 0 NOT NULL,
    rejected bigint DEFAULT 0 NOT NULL,
    vendors_changed bigint DEFAULT 0 NOT NULL,
    outcome text,
    CONSTRAINT corporate_master_imports_check CHECK (((finished_at IS NULL) = (outcome IS NULL))),
    CONSTRAINT corporate_master_imports_inserted_check CHECK ((inserted >= 0)),
    CONSTRAINT corporate_master_imports_outcome_check CHECK ((outcome = ANY (ARRAY['completed'::text, 'failed'::text]))),
    CONSTRAINT corporate_master_imports_rejected_check CHECK ((rejected >= 0)),
    CONSTRAINT corporate_master_imports_rows_check CHECK ((rows >= 0)),
    CONSTRAINT corporate_master_imports_source_check CHECK (((char_length(source) >= 1) AND (char_length(source) <= 500))),
    CONSTRAINT corporate_master_imports_unchanged_check CHECK ((unchanged >= 0)),
    CONSTRAINT corporate_master_imports_updated_check CHECK ((updated >= 0)),
    CONSTRAINT corporate_master_imports_vendors_changed_check CHECK ((vendors_changed >= 0))
);

CREATE TABLE idempotency_keys (
    tenant_id uuid NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    status integer,
    headers jsonb,
    body text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT idempotency_keys_key_check CHECK (((char_length(key) >= 1) AND (char_length(key) <= 255))),
    CONSTRAINT idempotency_keys_status_check CHECK (((status >= 200) AND (status <= 599)))
);

CREATE TABLE incident_deadline_alerts (
    tenant_id uuid NOT NULL,
    incident_id uuid NOT NULL,
    report text NOT NULL,
    alert text NOT NULL,
    deadline_at timestamp with time zone NOT NULL,
    event_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT incident_deadline_alerts_alert_check CHECK ((alert = ANY (ARRAY['approaching'::text, 'missed'::text]))),
    CONSTRAINT incident_deadline_alerts_report_check CHECK ((report = ANY (ARRAY['preliminary'::text, 'final'::text])))
);

ALTER TABLE incident_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME incident_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE jp_extra_holidays (
    day date NOT NULL,
    name text NOT NULL,
    basis text,
    added_by text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT jp_extra_holidays_added_by_check CHECK (((char_length(added_by) >= 1) AND (char_length(added_by) <= 200))),
    CONSTRAINT jp_extra_holidays_basis_check CHECK (((char_length(basis) >= 1) AND (char_length(basis) <= 500))),
    CONSTRAINT jp_extra_holidays_day_check CHECK (((day >= '2000-01-01'::date) AND (day <= '2099-12-31'::date))),
    CONSTRAINT jp_extra_holidays_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100)))
);

CREATE TABLE outsourcing_measures (
    no smallint NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    clauses text[] NOT NULL,
    levels jsonb NOT NULL,
    notice_levels jsonb
);

CREATE TABLE scheduler_runs (
    job text NOT NULL,
    day date NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    after_tenant uuid,
    after_id uuid,
    checked integer DEFAULT 0 NOT NULL,
    changed integer DEFAULT 0 NOT NULL,
    CONSTRAINT scheduler_runs_changed_check CHECK ((changed >= 0)),
    CONSTRAINT scheduler_runs_check CHECK (((after_tenant IS NULL) = (after_id IS NULL))),
    CONSTRAINT scheduler_runs_check1 CHECK ((changed <= checked)),
    CONSTRAINT scheduler_runs_checked_check CHECK ((checked >= 0)),
    CONSTRAINT scheduler_runs_job_check CHECK ((job = 'vendor_rederive'::text))
);

CREATE TABLE server_secrets (
    name text NOT NULL,
    secret bytea NOT NULL,
    CONSTRAINT server_secrets_secret_check CHECK ((octet_length(secret) >= 32))
);

CREATE TABLE tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenants_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT tenants_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text)),
    CONSTRAINT tenants_version_check CHECK ((version > 0))
);

CREATE TABLE vendor_monitoring (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    vendor_id uuid NOT NULL,
    monitored_on date NOT NULL,
    verdict text NOT NULL,
    note text,
    recorded_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT vendor_monitoring_note_check CHECK ((char_length(note) <= 4000)),
    CONSTRAINT vendor_monitoring_verdict_check CHECK ((verdict = ANY (ARRAY['no_issues'::text, 'watch'::text, 'action_required'::text])))
);

CREATE TABLE webhook_attempts (
    tenant_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    n integer NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    status_code integer,
    error text,
    duration_ms integer NOT NULL,
    CONSTRAINT webhook_attempts_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT webhook_attempts_error_check CHECK ((char_length(error) <= 500)),
    CONSTRAINT webhook_attempts_n_check CHECK ((n > 0))
);

CREATE TABLE webhook_events (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    type text NOT NULL,
    resource_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    body text NOT NULL,
    CONSTRAINT webhook_events_body_check CHECK ((octet_length(body) <= 20480)),
    CONSTRAINT webhook_events_type_check CHECK ((type ~ '^[a-z_]+(\.[a-z_]+)*$'::text))
);

ALTER TABLE ONLY api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (tenant_id);

ALTER TABLE ONLY audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (tenant_id, seq);

ALTER TABLE ONLY audit_events
    ADD CONSTRAINT audit_events_tenant_id_id_key UNIQUE (tenant_id, id);

ALTER TABLE ONLY certifications
    ADD CONSTRAINT certifications_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY corporate_master_imports
    ADD CONSTRAINT corporate_master_imports_pkey PRIMARY KEY (id);

ALTER TABLE ONLY corporate_master
    ADD CONSTRAINT corporate_master_pkey PRIMARY KEY (corporate_number);

ALTER TABLE corporate_master
    ADD CONSTRAINT corporate_master_update_date_not_future CHECK ((update_date <= (((now() AT TIME ZONE 'Asia/Tokyo'::text))::date + 1))) NOT VALID;

ALTER TABLE ONLY engagements
    ADD CONSTRAINT engagements_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY handovers
    ADD CONSTRAINT handovers_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (tenant_id, key);

ALTER TABLE ONLY incident_deadline_alerts
    ADD CONSTRAINT incident_deadline_alerts_pkey PRIMARY KEY (tenant_id, incident_id, report, alert, deadline_at);

ALTER TABLE ONLY incident_events
    ADD CONSTRAINT incident_events_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY incidents
    ADD CONSTRAINT incidents_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY jp_extra_holidays
    ADD CONSTRAINT jp_extra_holidays_pkey PRIMARY KEY (day);

ALTER TABLE ONLY outsourcing_measures
    ADD CONSTRAINT outsourcing_measures_code_key UNIQUE (code);

ALTER TABLE ONLY outsourcing_measures
    ADD CONSTRAINT outsourcing_measures_pkey PRIMARY KEY (no);

ALTER TABLE ONLY report_links
    ADD CONSTRAINT report_links_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY scheduler_runs
    ADD CONSTRAINT scheduler_runs_pkey PRIMARY KEY (job, day);

ALTER TABLE ONLY server_secrets
    ADD CONSTRAINT server_secrets_pkey PRIMARY KEY (name);

ALTER TABLE ONLY subcontracts
    ADD CONSTRAINT subcontracts_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

ALTER TABLE ONLY vendor_monitoring
    ADD CONSTRAINT vendor_monitoring_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY vendors
    ADD CONSTRAINT vendors_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY webhook_attempts
    ADD CONSTRAINT webhook_attempts_pkey PRIMARY KEY (tenant_id, delivery_id, n);

ALTER TABLE ONLY webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY webhook_events
    ADD CONSTRAINT webhook_events_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (tenant_id, id);

CREATE UNIQUE INDEX api_keys_hash_key ON api_keys USING btree (key_hash);

CREATE INDEX api_keys_list ON api_keys USING btree (tenant_id, created_at, id);

CREATE INDEX audit_events_actor ON audit_events USING btree (tenant_id, actor_key_id, seq);

CREATE INDEX audit_events_resource ON audit_events USING btree (tenant_id, resource_type, resource_id, seq);

CREATE INDEX audit_events_time ON audit_events USING btree (tenant_id, occurred_at, seq);

CREATE INDEX certifications_expires ON certifications USING btree (expires_on) WHERE (expires_on IS NOT NULL);

CREATE INDEX certifications_expiry ON certifications USING btree (tenant_id, expires_on, id);

CREATE INDEX certifications_vendor ON certifications USING btree (tenant_id, vendor_id, created_at, id);

CREATE INDEX engagements_ends ON engagements USING btree (ends_on) WHERE (ends_on IS NOT NULL);

CREATE UNIQUE INDEX engagements_external_ref ON engagements USING btree (tenant_id, external_ref);

CREATE INDEX engagements_vendor ON engagements USING btree (tenant_id, vendor_id, created_at, id);

CREATE INDEX handovers_due ON handovers USING btree (tenant_id, return_due_on, id) WHERE (status = 'held'::text);

CREATE INDEX handovers_engagement ON handovers USING btree (tenant_id, engagement_id, handed_over_on, id);

CREATE INDEX idempotency_keys_created ON idempotency_keys USING btree (created_at);

CREATE INDEX incident_events_list ON incident_events USING btree (tenant_id, incident_id, seq);

CREATE INDEX incidents_engagement ON incidents USING btree (tenant_id, engagement_id, created_at, id);

CREATE INDEX incidents_list ON incidents USING btree (tenant_id, created_at, id);

CREATE INDEX incidents_open_ppc ON incidents USING btree (tenant_id, preliminary_due_on) WHERE (ppc_reportable AND (status <> 'closed'::text));

CREATE INDEX incidents_path ON incidents USING gin (chain_path);

CREATE INDEX incidents_unfiled ON incidents USING btree (tenant_id) WHERE (ppc_reportable AND ((preliminary_filed_at IS NULL) OR (final_filed_at IS NULL)));

CREATE UNIQUE INDEX report_links_hash_key ON report_links USING btree (token_hash);

CREATE INDEX report_links_vendor ON report_links USING btree (tenant_id, vendor_id, created_at, id);

CREATE INDEX subcontracts_engagement ON subcontracts USING btree (tenant_id, engagement_id, created_at, id);

CREATE UNIQUE INDEX subcontracts_open_once ON subcontracts USING btree (tenant_id, engagement_id, COALESCE(parent_id, engagement_id), vendor_id) WHERE (status = ANY (ARRAY['requested'::text, 'approved'::text]));

CREATE INDEX subcontracts_parent ON subcontracts USING btree (tenant_id, parent_id);

CREATE INDEX subcontracts_queue ON subcontracts USING btree (tenant_id, status, created_at, id);

CREATE INDEX subcontracts_vendor ON subcontracts USING btree (tenant_id, vendor_id, depth, id);

CREATE UNIQUE INDEX tenants_name_key ON tenants USING btree (name);

CREATE INDEX vendor_monitoring_vendor ON vendor_monitoring USING btree (tenant_id, vendor_id, monitored_on DESC);

CREATE INDEX vendors_by_created ON vendors USING btree (tenant_id, created_at, id);

CREATE INDEX vendors_by_due ON vendors USING btree (tenant_id, COALESCE(next_monitoring_due, 'infinity'::date), id);

CREATE INDEX vendors_by_name ON vendors USING btree (tenant_id, name, id);

CREATE UNIQUE INDEX vendors_corporate_number ON vendors USING btree (tenant_id, corporate_number);

CREATE UNIQUE INDEX vendors_external_ref ON vendors USING btree (tenant_id, external_ref);

CREATE INDEX vendors_search ON vendors USING gin (search_text gin_trgm_ops);

CREATE INDEX vendors_tags ON vendors USING gin (tags);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries USING btree (next_attempt_at) WHERE (status = 'pending'::text);

CREATE INDEX webhook_deliveries_event ON webhook_deliveries USING btree (tenant_id, event_id);

CREATE INDEX webhook_deliveries_list ON webhook_deliveries USING btree (tenant_id, created_at, id);

CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries USING btree (tenant_id, subscription_id, created_at);

CREATE INDEX webhook_events_created ON webhook_events USING btree (created_at);

ALTER TABLE ONLY api_keys
    ADD CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY audit_chain_heads
    ADD CONSTRAINT audit_chain_heads_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY audit_events
    ADD CONSTRAINT audit_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY certifications
    ADD CONSTRAINT certifications_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY engagements
    ADD CONSTRAINT engagements_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY handovers
    ADD CONSTRAINT handovers_tenant_id_engagement_id_fkey FOREIGN KEY (tenant_id, engagement_id) REFERENCES engagements(tenant_id, id);

ALTER TABLE ONLY idempotency_keys
    ADD CONSTRAINT idempotency_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY incident_deadline_alerts
    ADD CONSTRAINT incident_deadline_alerts_tenant_id_incident_id_fkey FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents(tenant_id, id);

ALTER TABLE ONLY incident_events
    ADD CONSTRAINT incident_events_tenant_id_incident_id_fkey FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents(tenant_id, id);

ALTER TABLE ONLY incidents
    ADD CONSTRAINT incidents_tenant_id_engagement_id_fkey FOREIGN KEY (tenant_id, engagement_id) REFERENCES engagements(tenant_id, id);

ALTER TABLE ONLY incidents
    ADD CONSTRAINT incidents_tenant_id_report_link_id_fkey FOREIGN KEY (tenant_id, report_link_id) REFERENCES report_links(tenant_id, id);

ALTER TABLE ONLY incidents
    ADD CONSTRAINT incidents_tenant_id_subcontract_id_fkey FOREIGN KEY (tenant_id, subcontract_id) REFERENCES subcontracts(tenant_id, id);

ALTER TABLE ONLY incidents
    ADD CONSTRAINT incidents_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY report_links
    ADD CONSTRAINT report_links_tenant_id_engagement_id_fkey FOREIGN KEY (tenant_id, engagement_id) REFERENCES engagements(tenant_id, id);

ALTER TABLE ONLY report_links
    ADD CONSTRAINT report_links_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY subcontracts
    ADD CONSTRAINT subcontracts_tenant_id_engagement_id_fkey FOREIGN KEY (tenant_id, engagement_id) REFERENCES engagements(tenant_id, id);

ALTER TABLE ONLY subcontracts
    ADD CONSTRAINT subcontracts_tenant_id_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES subcontracts(tenant_id, id);

ALTER TABLE ONLY subcontracts
    ADD CONSTRAINT subcontracts_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY vendor_monitoring
    ADD CONSTRAINT vendor_monitoring_tenant_id_vendor_id_fkey FOREIGN KEY (tenant_id, vendor_id) REFERENCES vendors(tenant_id, id);

ALTER TABLE ONLY vendors
    ADD CONSTRAINT vendors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY webhook_attempts
    ADD CONSTRAINT webhook_attempts_tenant_id_delivery_id_fkey FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_event_id_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events(tenant_id, id);

ALTER TABLE ONLY webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_tenant_id_subscription_id_fkey FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY webhook_events
    ADD CONSTRAINT webhook_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);

ALTER TABLE ONLY webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id);


--
-- PostgreSQL database dump complete
--

-- Seed data: the measures of the NISC outsourcing handbook by category
-- (docs/required-measures.md), the one-off holidays known when 0009 ran,
-- and this database's own secret for signing cursors.
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (1, 'security_organisation', '情報セキュリティを確保するための体制の整備', '{status_reporting}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "included_in_service"}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "included_in_service"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (2, 'confidentiality', '取り扱う情報の秘密保持等（目的外利用の禁止を含む）', '{confidentiality,purpose_limitation,return_erasure}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "required"}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "optional"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (3, 'security_functions', 'セキュリティ機能の装備', '{}', '{"housing": "not_applicable", "asp_saas": "not_applicable", "datacenter": "not_applicable", "maintenance": "not_applicable", "system_build": "required", "data_processing": "not_applicable", "operation_onsite": "not_applicable", "operation_remote": "not_applicable", "storage_transport": "not_applicable"}', '{"housing": "not_applicable", "asp_saas": "not_applicable", "datacenter": "not_applicable", "maintenance": "not_applicable", "system_build": "required", "data_processing": "not_applicable", "operation_onsite": "not_applicable", "operation_remote": "not_applicable", "storage_transport": "not_applicable"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (4, 'operation_security', '運用・保守・点検における情報セキュリティ対策の実施', '{device_security}', '{"housing": "not_applicable", "asp_saas": "included_in_service", "datacenter": "optional", "maintenance": "optional", "system_build": "not_applicable", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}', '{"housing": "not_applicable", "asp_saas": "included_in_service", "datacenter": "optional", "maintenance": "optional", "system_build": "not_applicable", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (5, 'vulnerability_management', '脆弱性対策の実施', '{device_security}', '{"housing": "not_applicable", "asp_saas": "included_in_service", "datacenter": "optional", "maintenance": "optional", "system_build": "required", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}', '{"housing": "not_applicable", "asp_saas": "included_in_service", "datacenter": "optional", "maintenance": "optional", "system_build": "required", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (6, 'other_assets_protection', '外部委託する業務以外の情報資産の保全', '{confidentiality}', '{"housing": "not_applicable", "asp_saas": "not_applicable", "datacenter": "not_applicable", "maintenance": "optional", "system_build": "optional", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "not_applicable", "storage_transport": "not_applicable"}', NULL);
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (7, 'service_levels', '情報セキュリティ対策のサービスレベルに関する事項', '{}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "not_applicable", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "not_applicable", "data_processing": "not_applicable", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (8, 'incident_response', '情報セキュリティが侵害された場合の対処', '{incident_reporting}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "included_in_service"}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "optional", "data_processing": "optional", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "included_in_service"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (9, 'compliance_checks', '情報セキュリティ対策の履行状況の確認', '{status_reporting}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "included_in_service"}', NULL);
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (10, 'security_audit', '情報セキュリティ監査の実施', '{audit_rights}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "optional", "data_processing": "optional", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "optional"}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "optional", "data_processing": "optional", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "optional"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (11, 'remediation', '情報セキュリティ対策の履行が不十分であると思われる場合の対処', '{audit_rights}', '{"housing": "required", "asp_saas": "required", "datacenter": "required", "maintenance": "required", "system_build": "required", "data_processing": "required", "operation_onsite": "required", "operation_remote": "required", "storage_transport": "included_in_service"}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "optional", "data_processing": "optional", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "included_in_service"}');
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (12, 'delegated_documents', '確認書等に委任する事項', '{}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "optional", "data_processing": "optional", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "not_applicable"}', NULL);
INSERT INTO outsourcing_measures (no, code, title, clauses, levels, notice_levels) VALUES (13, 'subcontracting', '再委託に関する事項', '{subcontracting}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "required", "data_processing": "required", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "optional"}', '{"housing": "optional", "asp_saas": "optional", "datacenter": "optional", "maintenance": "optional", "system_build": "required", "data_processing": "required", "operation_onsite": "optional", "operation_remote": "optional", "storage_transport": "optional"}');
insert into jp_extra_holidays (day, name, basis, added_by) values
    ('2019-05-01', '即位の日', '天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律（平成30年）',
     'migration 0009'),
    ('2019-10-22', '即位礼正殿の儀の行われる日',
     '天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律（平成30年）', 'migration 0009');
insert into server_secrets (name, secret)
values ('cursor', sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text
                                    || clock_timestamp()::text, 'UTF8')));
