-- Articles, their records, one row per event mention, and input failures.
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,          -- content hash "sha256:..." of the text
    doc_id      TEXT NOT NULL,             -- the record's doc.id (the input's own id, if it gave one)
    text        TEXT NOT NULL,
    title       TEXT,
    published   TEXT,
    lang        TEXT NOT NULL,
    url         TEXT,
    source      TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_doc_id ON articles (doc_id);
CREATE INDEX articles_published ON articles (published);

CREATE TABLE records (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    record     TEXT NOT NULL                -- Record.to_dict() as JSON, without doc.text
);

CREATE TABLE event_mentions (
    article_id     TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id       TEXT NOT NULL,
    type           TEXT NOT NULL,
    mode           TEXT,
    source_country TEXT,
    source_sector  TEXT,
    source_name    TEXT,
    target_country TEXT,
    target_sector  TEXT,
    target_name    TEXT,
    status         TEXT NOT NULL,
    certainty      TEXT,
    polarity       TEXT,
    confidence     REAL,
    date_value     TEXT,
    date_mod       TEXT,
    place_name     TEXT,
    place_country  TEXT,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    trigger_text   TEXT NOT NULL,
    attribution    TEXT NOT NULL,           -- JSON list of sources, innermost speaker first
    PRIMARY KEY (article_id, event_id)
);
CREATE INDEX event_mentions_type ON event_mentions (type);
CREATE INDEX event_mentions_countries ON event_mentions (source_country, target_country);

CREATE TABLE failures (
    id     INTEGER PRIMARY KEY,
    path   TEXT NOT NULL,
    line   INTEGER,
    reason TEXT NOT NULL,
    time   TEXT NOT NULL
);
