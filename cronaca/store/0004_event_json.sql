-- Each event mention's JSON beside its columns (as in its record): fusion reads the events it
-- needs without decoding whole records. Filled here for the mentions already stored.
ALTER TABLE event_mentions ADD COLUMN event TEXT;
UPDATE event_mentions SET event = (
    SELECT e.value FROM records r, json_each(r.record, '$.events') e
    WHERE r.article_id = event_mentions.article_id
      AND json_extract(e.value, '$.id') = event_mentions.event_id);
