-- Full-text search over facility names, kana, addresses, corporation names and numbers.
-- `facility.search_text` holds the normalised key (domain::text::search_key); the trigram
-- tokenizer finds any substring of 3+ characters. 1–2 character terms fall back to a
-- bounded LIKE scan on the same column (store::search).
CREATE VIRTUAL TABLE facility_fts USING fts5(
    search_text,
    content = 'facility',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER facility_fts_insert AFTER INSERT ON facility BEGIN
    INSERT INTO facility_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER facility_fts_delete AFTER DELETE ON facility BEGIN
    INSERT INTO facility_fts(facility_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER facility_fts_update AFTER UPDATE OF search_text ON facility BEGIN
    INSERT INTO facility_fts(facility_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO facility_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

INSERT INTO facility_fts(facility_fts) VALUES ('rebuild');
