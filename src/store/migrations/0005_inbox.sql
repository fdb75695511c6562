-- The application inbox (issue 14): where a case came from, who has it, the ward's own
-- processing deadline, what the reviewer saw, notes, received documents, letters; the
-- ledger's history of values; 公示, 都への届出 and 更新案内 records; settings.

ALTER TABLE application ADD COLUMN source TEXT NOT NULL DEFAULT 'electronic'
    CHECK (source IN ('electronic', 'paper'));
ALTER TABLE application ADD COLUMN assignee TEXT;
-- 処理期限: received_on + the standard period for the kind (app_setting), set at intake.
ALTER TABLE application ADD COLUMN process_due_on TEXT;
-- facility.version when the review started: a decision on a facility changed since is refused.
ALTER TABLE application ADD COLUMN reviewed_facility_version INTEGER;
ALTER TABLE application ADD COLUMN decided_on TEXT;
CREATE INDEX application_by_process_due ON application(process_due_on, id);
CREATE INDEX application_by_assignee ON application(assignee, id);

CREATE TABLE application_note (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    body TEXT NOT NULL
) STRICT;
CREATE INDEX application_note_by_app ON application_note(application_id, id);

-- Documents received for a case; the required ones per kind come from
-- fixtures/required_documents.csv.
CREATE TABLE application_document (
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    received_on TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (application_id, code)
) STRICT;

-- Letters written for a case (結果通知書, 却下通知書, 差戻し通知).
CREATE TABLE application_letter (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    html_path TEXT NOT NULL,
    text_path TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL
) STRICT;
CREATE INDEX application_letter_by_app ON application_letter(application_id, id);

-- Settings an administrator may change (処理期限 per kind: 'processing_days.<kind>').
CREATE TABLE IF NOT EXISTS app_setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;

-- The ledger's history with values: one row per changed field, with what caused it.
CREATE TABLE IF NOT EXISTS facility_change (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    cause_kind TEXT NOT NULL,
    cause_id TEXT NOT NULL,
    personal INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS facility_change_by_facility ON facility_change(facility_id, id);

-- 体制等に関する届出 (加算届): the items a facility has, from the month they take effect.
CREATE TABLE facility_addition (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    service_code TEXT NOT NULL,
    item TEXT NOT NULL,
    effective_month TEXT NOT NULL,
    application_id INTEGER REFERENCES application(id)
) STRICT;
CREATE INDEX facility_addition_by_facility ON facility_addition(facility_id);

-- 都への届出 (法78条の2第2項): the date the 都 was notified of a new designation.
ALTER TABLE designation ADD COLUMN prefecture_notified_on TEXT;

-- 公示 (法78条の11): designations, closures, cancellations and suspensions to announce.
CREATE TABLE public_notice (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('designation', 'closure', 'cancellation', 'suspension')),
    facility_id INTEGER NOT NULL,
    provider_number TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    service_code TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    application_id INTEGER,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX public_notice_by_date ON public_notice(effective_on, id);

-- 更新案内: a renewal notice sent for a designation's period.
CREATE TABLE renewal_notice (
    id INTEGER PRIMARY KEY,
    designation_id INTEGER NOT NULL REFERENCES designation(id) ON DELETE CASCADE,
    facility_id INTEGER NOT NULL,
    expires_on TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    actor TEXT NOT NULL,
    html_path TEXT NOT NULL DEFAULT '',
    UNIQUE (designation_id, expires_on)
) STRICT;
