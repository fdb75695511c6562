-- Issue 16: the privacy checklist as the committee approved it (fixtures), audits that
-- can be walked, resumed, signed and superseded, event records, and access reviews.

-- The seed's own wording per side (区が行う / 結合先に行わせる); text_ja stays the short label.
ALTER TABLE checklist_item ADD COLUMN ward_text_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_item ADD COLUMN partner_text_ja TEXT NOT NULL DEFAULT '';

-- Each connection's period (renewed each fiscal year) and where it comes from
-- ('seed' = the committee paper, 'ward' = the ward's own extension).
ALTER TABLE checklist_connection ADD COLUMN period_from TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_connection ADD COLUMN period_to TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_connection ADD COLUMN renews_yearly INTEGER NOT NULL DEFAULT 1;
ALTER TABLE checklist_connection ADD COLUMN source TEXT NOT NULL DEFAULT 'ward';

-- The committee's planned value per connection, side and item: ○ (ok) or ー (na).
CREATE TABLE checklist_planned (
    connection_code TEXT NOT NULL REFERENCES checklist_connection(code),
    side TEXT NOT NULL CHECK (side IN ('ward','partner')),
    item_no INTEGER NOT NULL REFERENCES checklist_item(no),
    planned TEXT NOT NULL CHECK (planned IN ('ok','na')),
    PRIMARY KEY (connection_code, side, item_no)
) STRICT;

-- 結合される情報項目: whose data (subject) and which item; '*' = the whole subject.
CREATE TABLE checklist_data_item (
    connection_code TEXT NOT NULL REFERENCES checklist_connection(code),
    seq INTEGER NOT NULL,
    subject TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (connection_code, seq)
) STRICT;

ALTER TABLE checklist_audit ADD COLUMN supersedes INTEGER REFERENCES checklist_audit(id);

ALTER TABLE checklist_mark ADD COLUMN evidence_date TEXT;
ALTER TABLE checklist_mark ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_mark ADD COLUMN due_on TEXT;
ALTER TABLE checklist_mark ADD COLUMN marked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_mark ADD COLUMN marked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_mark ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- At most one audit in progress per connection and side: starting again resumes it.
CREATE UNIQUE INDEX checklist_audit_open ON checklist_audit(connection_code, side)
    WHERE signed_at IS NULL;

-- A signed audit is immutable, even to the sqlite3 shell: a new audit supersedes it.
CREATE TRIGGER checklist_audit_signed_update BEFORE UPDATE ON checklist_audit
WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed checklist audit cannot be changed'); END;

CREATE TRIGGER checklist_audit_signed_delete BEFORE DELETE ON checklist_audit
WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed checklist audit cannot be deleted'); END;

CREATE TRIGGER checklist_mark_signed_insert BEFORE INSERT ON checklist_mark
WHEN (SELECT signed_at FROM checklist_audit WHERE id = NEW.audit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed checklist audit cannot be changed'); END;

CREATE TRIGGER checklist_mark_signed_update BEFORE UPDATE ON checklist_mark
WHEN (SELECT signed_at FROM checklist_audit WHERE id = OLD.audit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed checklist audit cannot be changed'); END;

CREATE TRIGGER checklist_mark_signed_delete BEFORE DELETE ON checklist_mark
WHEN (SELECT signed_at FROM checklist_audit WHERE id = OLD.audit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed checklist audit cannot be changed'); END;

-- Measures that are events rather than states (items 2–5).
CREATE TABLE checklist_event (
    id INTEGER PRIMARY KEY,
    connection_code TEXT NOT NULL REFERENCES checklist_connection(code),
    kind TEXT NOT NULL CHECK (kind IN ('inspection','status_report','deletion_report','contacts_agreed','incident_consultation')),
    item_no INTEGER NOT NULL CHECK (item_no BETWEEN 2 AND 5),
    occurred_on TEXT NOT NULL,
    document TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX checklist_event_conn ON checklist_event(connection_code, item_no, occurred_on);

-- The monthly access-log review (`daicho audit report --month M --reviewed`).
CREATE TABLE access_review (
    month TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (month, reviewed_by)
) STRICT;
