-- A word index for search (issue 17): for each ticket, one row per distinct word of its title and
-- description (search keys), keyed by word and category in list order. A search looks up the
-- words that can hold its term (domain::SearchTerm::word_piece) in `search_words`, then walks
-- their rows newest first and reads only those tickets, so a page costs what its tickets and the
-- rarity of term and category together cost. The LIKE comparison of every candidate still
-- decides. `words_of(key)` (registered by the server on each connection, adapters-sql) gives
-- the distinct words of a key as a JSON array, by domain::words_of; so only the helpdesk binary
-- can write tickets here.
CREATE TABLE search_words (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);

CREATE TABLE ticket_words (
    word TEXT NOT NULL,
    category TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL,
    PRIMARY KEY (word, category, created_at, ticket_id)
) WITHOUT ROWID;

-- In key order: inserting a million tickets' words in any other order reads and writes the whole
-- index for each.
INSERT INTO ticket_words (word, category, created_at, ticket_id)
    SELECT words.value, tickets.category, tickets.created_at, tickets.id
    FROM tickets, json_each(words_of(tickets.search_title || ' ' || tickets.search_description)) AS words
    ORDER BY 1, 2, 3, 4;
INSERT INTO search_words (word) SELECT DISTINCT word FROM ticket_words;

-- Finds the words holding a part or an end of a term (LIKE '%…%'); a start or a whole word uses
-- the UNIQUE index.
CREATE VIRTUAL TABLE search_words_trigrams USING fts5(
    word, content = 'search_words', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO search_words_trigrams (search_words_trigrams) VALUES ('rebuild');

CREATE TRIGGER search_words_on_insert AFTER INSERT ON search_words BEGIN
    INSERT INTO search_words_trigrams (rowid, word) VALUES (NEW.id, NEW.word);
END;

CREATE TRIGGER ticket_words_on_insert AFTER INSERT ON tickets BEGIN
    INSERT OR IGNORE INTO search_words (word)
        SELECT value FROM json_each(words_of(NEW.search_title || ' ' || NEW.search_description));
    INSERT INTO ticket_words (word, category, created_at, ticket_id)
        SELECT value, NEW.category, NEW.created_at, NEW.id
        FROM json_each(words_of(NEW.search_title || ' ' || NEW.search_description));
END;

CREATE TRIGGER ticket_words_on_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_words
    WHERE word IN (SELECT value FROM json_each(words_of(OLD.search_title || ' ' || OLD.search_description)))
      AND category = OLD.category AND created_at = OLD.created_at AND ticket_id = OLD.id;
END;

CREATE TRIGGER ticket_words_on_update AFTER UPDATE OF search_title, search_description, category, created_at, id ON tickets
WHEN OLD.search_title IS NOT NEW.search_title OR OLD.search_description IS NOT NEW.search_description
     OR OLD.category IS NOT NEW.category OR OLD.created_at IS NOT NEW.created_at OR OLD.id IS NOT NEW.id
BEGIN
    DELETE FROM ticket_words
    WHERE word IN (SELECT value FROM json_each(words_of(OLD.search_title || ' ' || OLD.search_description)))
      AND category = OLD.category AND created_at = OLD.created_at AND ticket_id = OLD.id;
    INSERT OR IGNORE INTO search_words (word)
        SELECT value FROM json_each(words_of(NEW.search_title || ' ' || NEW.search_description));
    INSERT INTO ticket_words (word, category, created_at, ticket_id)
        SELECT value, NEW.category, NEW.created_at, NEW.id
        FROM json_each(words_of(NEW.search_title || ' ' || NEW.search_description));
END;

-- Every search with a word of three characters or more is narrowed by the word index; the rest
-- read in list order. The trigram index over the tickets' text is no longer read, and it cost
-- every create and every change of text an FTS5 insert of ~300 trigrams.
DROP TRIGGER tickets_search_on_insert;
DROP TRIGGER tickets_search_on_delete;
DROP TRIGGER tickets_search_on_update;
DROP TABLE tickets_search;
