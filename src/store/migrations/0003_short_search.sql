-- 1–2 character search terms (新宿, ケア) cannot use the trigram index; a LIKE scan over
-- 100k rows costs 30–60 ms. This index holds each facility's distinct unigrams and
-- bigrams as tokens (computed by the daicho_grams() function that every daicho
-- connection registers), docids only (detail=none): a short term is one token lookup.
CREATE VIRTUAL TABLE facility_ngram USING fts5(
    grams,
    content = '',
    detail = none,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* Co'"
);

CREATE TRIGGER facility_ngram_insert AFTER INSERT ON facility BEGIN
    INSERT INTO facility_ngram(rowid, grams) VALUES (new.id, daicho_grams(new.search_text));
END;
CREATE TRIGGER facility_ngram_delete AFTER DELETE ON facility BEGIN
    INSERT INTO facility_ngram(facility_ngram, rowid, grams) VALUES ('delete', old.id, daicho_grams(old.search_text));
END;
CREATE TRIGGER facility_ngram_update AFTER UPDATE OF search_text ON facility BEGIN
    INSERT INTO facility_ngram(facility_ngram, rowid, grams) VALUES ('delete', old.id, daicho_grams(old.search_text));
    INSERT INTO facility_ngram(rowid, grams) VALUES (new.id, daicho_grams(new.search_text));
END;

INSERT INTO facility_ngram(rowid, grams) SELECT id, daicho_grams(search_text) FROM facility;
