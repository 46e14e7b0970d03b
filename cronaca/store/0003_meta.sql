-- What the stored derived data was made with. `fusion_keys`: the version of cronaca.facts'
-- fusion_key that computed event_mentions.fusion_key; when this cronaca's differs, the keys are
-- recomputed from the record JSON and the facts rebuilt the next time the database is opened.
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
