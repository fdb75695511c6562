-- Every database gets a random id when it is created (or, for an older database, at this
-- migration). A backup carries the id of the database it was taken from, so `restore`
-- can tell a backup of this database from one of another.
INSERT OR IGNORE INTO app_meta(key, value) VALUES ('database_id', lower(hex(randomblob(16))));
