-- Facts (event mentions fused across articles), their mentions, actors, sources and links, and
-- the full-text search index. Rows here are derived from the stored records: `cronaca rebuild`
-- recomputes them all. Old databases get event_mentions.fusion_key filled (from the record JSON)
-- and their facts built the first time this version opens them (SqliteStore._do_pending_work).

ALTER TABLE event_mentions ADD COLUMN fusion_key TEXT;
CREATE INDEX event_mentions_fusion_key ON event_mentions (fusion_key);

CREATE TABLE facts (
    id          TEXT PRIMARY KEY,          -- "f" + hash of the fusion key and the earliest mention
    key         TEXT NOT NULL,             -- the fusion key shared by its mentions
    type        TEXT NOT NULL,
    mode        TEXT,
    date_value  TEXT,                      -- best date (ISO, granularity as told) and its mod
    date_mod    TEXT,
    date_lo     TEXT,                      -- day interval of the best date, else of first_seen:
    date_hi     TEXT,                      --   what timelines sort and filter on
    first_seen  TEXT,
    last_seen   TEXT,
    statuses    TEXT NOT NULL,             -- "|alleged|confirmed|": every status of its mentions
    contested   INTEGER NOT NULL,
    independent INTEGER NOT NULL,
    n_mentions  INTEGER NOT NULL,
    fact        TEXT NOT NULL              -- Fact.to_dict() as JSON (the spec's Facts shape)
);
CREATE INDEX facts_key ON facts (key);
CREATE INDEX facts_date ON facts (date_lo, id);
CREATE INDEX facts_contested ON facts (date_lo, id) WHERE contested = 1;

CREATE TABLE fact_mentions (
    fact_id    TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id   TEXT NOT NULL,
    PRIMARY KEY (article_id, event_id)
);
CREATE INDEX fact_mentions_fact ON fact_mentions (fact_id);

CREATE TABLE fact_actors (
    fact_id TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,                 -- source | target
    country TEXT,
    sector  TEXT,
    name    TEXT
);
CREATE INDEX fact_actors_country ON fact_actors (country, fact_id, role);
CREATE INDEX fact_actors_name ON fact_actors (name COLLATE NOCASE, fact_id, role);
CREATE INDEX fact_actors_fact ON fact_actors (fact_id);

CREATE TABLE fact_sources (
    fact_id TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,                 -- outlet | speaker
    name    TEXT NOT NULL
);
CREATE INDEX fact_sources_name ON fact_sources (name COLLATE NOCASE, fact_id);
CREATE INDEX fact_sources_fact ON fact_sources (fact_id);

-- (from_fact, rel, to_fact) as evidenced by one article; both directions are stored. Not a
-- foreign key: a link is deleted with the article that evidences it, and facts are replaced
-- together with the links of every article that mentions them.
CREATE TABLE fact_links (
    fact_id       TEXT NOT NULL,
    rel           TEXT NOT NULL,           -- accused_by | accuses | denied_by | denies
    other_fact_id TEXT NOT NULL,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, fact_id, rel, other_fact_id)
);
CREATE INDEX fact_links_fact ON fact_links (fact_id);

-- Full-text search: one row per article (title + text) and per evidence sentence. search_docs
-- has an INTEGER PRIMARY KEY, so the rowids that search_fts points to survive VACUUM; the FTS
-- table is contentless (the text is kept once, in articles).
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER,                    -- sentence span; NULL for the whole article
    end        INTEGER
);
CREATE INDEX search_docs_article ON search_docs (article_id);
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
);

-- Work the Python side must do once after this migration: fill event_mentions.fusion_key from
-- the record JSON, then build the facts and the search index of the articles already stored.
CREATE TABLE pending_work (name TEXT PRIMARY KEY);
INSERT INTO pending_work (name) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM articles);
