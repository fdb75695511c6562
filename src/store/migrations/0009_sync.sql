-- Sync jobs (issue 17): what each imported file gave, when a quarantined row arrived
-- (for retention), and the export batches (one file each) the outbox rows went out in.
-- An export binds its rows to a batch id before writing the file, so a run killed
-- between the file and the marking rewrites the same batch instead of a second one.
ALTER TABLE imported_file ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imported_file ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quarantine ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE quarantine ADD COLUMN file_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN batch TEXT;

CREATE TABLE export_batch (
    id TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    file_name TEXT NOT NULL,
    rows INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    job_id INTEGER,
    -- Set once the file is in spool/outbox/ and its rows are marked sent.
    sent_at TEXT
) STRICT;
CREATE INDEX outbox_batch ON outbox(batch);

-- Outgoing 同意依頼 written to a consent-exchange file (request id `131041-<id>`).
CREATE TABLE consent_sent (
    consent_id INTEGER PRIMARY KEY REFERENCES consent_request(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    sent_at TEXT NOT NULL
) STRICT;
