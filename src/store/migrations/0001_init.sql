-- daicho schema v1. Every mutable business row carries `version` for optimistic locking.
-- Dates are ISO text (YYYY-MM-DD); times are ISO text in UTC with offset.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Reference data, loaded from fixtures/ (see store/reference.rs).
CREATE TABLE ref_service_type (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    meeting_interval_months INTEGER,
    meeting_kind TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE ref_care_level (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL
) STRICT;

CREATE TABLE ref_municipality (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kana TEXT NOT NULL
) STRICT;

CREATE TABLE user_account (
    staff_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer','reviewer','approver','admin')),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE corporation (
    id INTEGER PRIMARY KEY,
    corporate_number TEXT UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    representative_name TEXT NOT NULL DEFAULT '',
    representative_address TEXT NOT NULL DEFAULT '',
    representative_dob TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE facility (
    id INTEGER PRIMARY KEY,
    provider_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    town TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    manager_name TEXT NOT NULL DEFAULT '',
    manager_address TEXT NOT NULL DEFAULT '',
    manager_dob TEXT,
    corporation_id INTEGER REFERENCES corporation(id),
    municipality_code TEXT NOT NULL DEFAULT '131041',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','closed')),
    -- Summary columns kept by store::facilities::refresh_summary so the list can sort and
    -- page by index without joins. '9999-12-31' = none (sorts last).
    services TEXT NOT NULL DEFAULT '',
    service_codes TEXT NOT NULL DEFAULT ',',
    next_expiry TEXT NOT NULL DEFAULT '9999-12-31',
    next_meeting_due TEXT NOT NULL DEFAULT '9999-12-31',
    search_text TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX facility_by_kana ON facility(name_kana, id);
CREATE INDEX facility_by_town ON facility(town, id);
CREATE INDEX facility_by_expiry ON facility(next_expiry, id);
CREATE INDEX facility_by_meeting ON facility(next_meeting_due, id);
CREATE INDEX facility_by_status ON facility(status, id);
CREATE INDEX facility_by_corporation ON facility(corporation_id);

CREATE TABLE designation (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    service_code TEXT NOT NULL REFERENCES ref_service_type(code),
    designated_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (facility_id, service_code),
    CHECK (designated_on <= expires_on)
) STRICT;
CREATE INDEX designation_by_expiry ON designation(expires_on);

CREATE TABLE staff_member (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    dob TEXT,
    qualification TEXT NOT NULL DEFAULT '',
    care_manager_number TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX staff_by_facility ON staff_member(facility_id);

CREATE TABLE council_member (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX council_member_by_facility ON council_member(facility_id);

CREATE TABLE council_meeting (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    minutes_ref TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX council_meeting_by_facility ON council_meeting(facility_id, held_on);

CREATE TABLE application (
    id INTEGER PRIMARY KEY,
    external_id TEXT UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    facility_id INTEGER REFERENCES facility(id),
    provider_number TEXT NOT NULL DEFAULT '',
    applicant_name TEXT NOT NULL DEFAULT '',
    service_code TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    event_date TEXT,
    due_on TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    keyed_by TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT,
    decided_by TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX application_by_status ON application(status, due_on);
CREATE INDEX application_by_facility ON application(facility_id);

CREATE TABLE application_event (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX application_event_by_app ON application_event(application_id);

CREATE TABLE application_attachment (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE consent_request (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('outgoing','incoming')),
    municipality_code TEXT NOT NULL,
    facility_id INTEGER REFERENCES facility(id),
    provider_number TEXT NOT NULL DEFAULT '',
    facility_name TEXT NOT NULL DEFAULT '',
    service_code TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    due_on TEXT,
    answered_on TEXT,
    closed_on TEXT,
    document_ref TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX consent_by_status ON consent_request(status, due_on);

CREATE TABLE insured_person (
    id INTEGER PRIMARY KEY,
    consent_request_id INTEGER NOT NULL UNIQUE REFERENCES consent_request(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    care_level TEXT NOT NULL DEFAULT '' ,
    insured_number TEXT NOT NULL DEFAULT '',
    dob TEXT,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    family_relation TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    care_manager_name TEXT NOT NULL DEFAULT '',
    service_start_on TEXT,
    cert_from TEXT,
    cert_to TEXT,
    insurer_number TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE prior_consent (
    id INTEGER PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    excluded_services TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE checklist_connection (
    code TEXT PRIMARY KEY,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL,
    partner TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_item (
    no INTEGER PRIMARY KEY,
    category TEXT NOT NULL,
    text_ja TEXT NOT NULL,
    text_en TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_audit (
    id INTEGER PRIMARY KEY,
    connection_code TEXT NOT NULL REFERENCES checklist_connection(code),
    side TEXT NOT NULL CHECK (side IN ('ward','partner')),
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL,
    signed_at TEXT,
    signed_by TEXT,
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE checklist_mark (
    audit_id INTEGER NOT NULL REFERENCES checklist_audit(id) ON DELETE CASCADE,
    item_no INTEGER NOT NULL REFERENCES checklist_item(no),
    mark TEXT NOT NULL CHECK (mark IN ('ok','na','gap')),
    note TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, item_no)
) STRICT;

CREATE TABLE sync_job (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    progress INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    cursor TEXT NOT NULL DEFAULT ''
) STRICT;

-- One row per job kind while it runs: no two instances run the same job at once.
CREATE TABLE job_lease (
    kind TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    job_id INTEGER NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    facility_id INTEGER,
    change_kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    sent_job_id INTEGER
) STRICT;
CREATE INDEX outbox_unsent ON outbox(target, sent_job_id);

CREATE TABLE imported_file (
    sha256 TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    job_id INTEGER,
    rows INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    job_id INTEGER,
    file_name TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL DEFAULT ''
) STRICT;

-- Hash-chained, append-only. `fields` holds changed field names, never PII values.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_object ON audit_log(object_type, object_id);

CREATE TABLE reveal_grant (
    id INTEGER PRIMARY KEY,
    staff_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
