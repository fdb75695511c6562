-- 区外指定の同意 (issue 15): the application a request serves, the answer kept after the
-- case is closed, end of use (who still uses an out-of-ward facility), the direction of a
-- prior consent, municipalities typed by staff, and each case's history and letters.

ALTER TABLE consent_request ADD COLUMN application_id INTEGER REFERENCES application(id) ON DELETE SET NULL;
-- '' (no answer yet), consented, refused or waived.
ALTER TABLE consent_request ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE consent_request ADD COLUMN answer_reason TEXT NOT NULL DEFAULT '';
-- The insured person stopped using the facility (moved, died, changed facility).
ALTER TABLE consent_request ADD COLUMN use_ended_on TEXT;
-- The earlier consent this one renews (a renewal of the facility's designation).
ALTER TABLE consent_request ADD COLUMN renewal_of INTEGER REFERENCES consent_request(id) ON DELETE SET NULL;
ALTER TABLE consent_request ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
-- Cases closed before this schema were closed after consent (the only closing path then).
UPDATE consent_request SET outcome = CASE status
    WHEN 'consented' THEN 'consented' WHEN 'refused' THEN 'refused'
    WHEN 'waived' THEN 'waived' WHEN 'closed' THEN 'consented' ELSE '' END;
CREATE INDEX consent_by_application ON consent_request(application_id);
CREATE INDEX consent_by_facility ON consent_request(facility_id);
CREATE INDEX consent_by_municipality ON consent_request(municipality_code);

-- outgoing = given to us by that municipality; incoming = given by us to it.
ALTER TABLE prior_consent ADD COLUMN direction TEXT NOT NULL DEFAULT 'outgoing'
    CHECK (direction IN ('outgoing','incoming'));
ALTER TABLE prior_consent ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE prior_consent ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

-- Municipalities outside the reference data, typed once by staff (audited).
CREATE TABLE municipality_local (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

CREATE TABLE consent_event (
    id INTEGER PRIMARY KEY,
    consent_request_id INTEGER NOT NULL REFERENCES consent_request(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX consent_event_by_case ON consent_event(consent_request_id);

CREATE TABLE consent_document (
    id INTEGER PRIMARY KEY,
    consent_request_id INTEGER NOT NULL REFERENCES consent_request(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('request','consent','refusal')),
    html_path TEXT NOT NULL,
    text_path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;
CREATE INDEX consent_document_by_case ON consent_document(consent_request_id);
