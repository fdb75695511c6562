-- Ledger upkeep (issue 13): meetings with kind/attendance/minutes, staff and council
-- members that end, corporation phone/FAX, 運営指導 records and intervals, and the
-- history of field values.

-- The same table as the inbox's migration 0005 creates (whichever runs first wins).
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

ALTER TABLE council_meeting ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE council_meeting ADD COLUMN attendees INTEGER;
ALTER TABLE council_meeting ADD COLUMN minutes_received_on TEXT;
ALTER TABLE council_meeting ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE council_meeting ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
-- Meetings recorded before kinds were kept: the kind the facility's services hold.
UPDATE council_meeting SET kind = coalesce(
    (SELECT t.meeting_kind FROM designation d JOIN ref_service_type t ON t.code = d.service_code
     WHERE d.facility_id = council_meeting.facility_id AND t.meeting_kind <> ''
     ORDER BY t.meeting_interval_months, t.code LIMIT 1),
    '運営推進会議');

ALTER TABLE staff_member ADD COLUMN ended_on TEXT;
ALTER TABLE council_member ADD COLUMN ended_on TEXT;
ALTER TABLE corporation ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE corporation ADD COLUMN fax TEXT NOT NULL DEFAULT '';

-- 運営指導 interval per service (months), loaded from fixtures/service_types.csv.
ALTER TABLE ref_service_type ADD COLUMN guidance_interval_months INTEGER;

CREATE TABLE guidance_visit (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facility(id) ON DELETE CASCADE,
    planned_on TEXT,
    held_on TEXT,
    findings TEXT NOT NULL DEFAULT '',
    improvement_due_on TEXT,
    improvement_received_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (planned_on IS NOT NULL OR held_on IS NOT NULL)
) STRICT;
CREATE INDEX guidance_by_facility ON guidance_visit(facility_id, held_on);

-- Summary column like next_meeting_due, kept by store::guidance::refresh ('9999-12-31' = none).
-- Filled for existing facilities when the reference data (with the intervals) loads.
ALTER TABLE facility ADD COLUMN next_guidance_due TEXT NOT NULL DEFAULT '9999-12-31';
CREATE INDEX facility_by_guidance ON facility(next_guidance_due, id);
