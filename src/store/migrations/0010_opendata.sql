-- 0010: open data (issue 18).
-- 定員 per designated service, where the service has one (NULL = none or not recorded;
-- 居宅介護支援 and 夜間対応型訪問介護 have none). The standard's other required columns
-- (名称, 名称_カナ, 実施サービス, 住所, 電話番号) are already in the ledger.
ALTER TABLE designation ADD COLUMN capacity INTEGER CHECK (capacity IS NULL OR capacity > 0);

-- import-opendata: the ward's rows of the last import (replaced by each import).
CREATE TABLE opendata_row (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    provider_number TEXT NOT NULL,
    national_service TEXT NOT NULL,
    service_code TEXT NOT NULL,
    name TEXT NOT NULL,
    kana TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    fax TEXT NOT NULL,
    corporate_number TEXT NOT NULL,
    corporation_name TEXT NOT NULL,
    capacity TEXT NOT NULL
) STRICT;

-- The reconciliation of the last import: field differences, ledger-only facilities,
-- open-data-only rows, rows whose 事業所番号 fails its check digit. Replaced by each
-- import; a decision (accepted into a 変更 case, or marked known with a note) stays.
CREATE TABLE opendata_finding (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('difference','ledger_only','opendata_only','bad_number')),
    facility_id INTEGER,
    provider_number TEXT NOT NULL,
    service_code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    ledger_value TEXT NOT NULL DEFAULT '',
    opendata_value TEXT NOT NULL DEFAULT '',
    line INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','known')),
    note TEXT NOT NULL DEFAULT '',
    application_id INTEGER,
    version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX opendata_finding_by_kind ON opendata_finding(kind, provider_number, id);

-- Decisions that outlive one import: the same finding found again keeps its decision.
CREATE TABLE opendata_decision (
    kind TEXT NOT NULL,
    provider_number TEXT NOT NULL,
    service_code TEXT NOT NULL,
    field TEXT NOT NULL,
    opendata_value TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted','known')),
    note TEXT NOT NULL DEFAULT '',
    application_id INTEGER,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    PRIMARY KEY (kind, provider_number, service_code, field, opendata_value)
) STRICT;
