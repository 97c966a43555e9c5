CREATE VIRTUAL TABLE tickets_search USING fts5(
    search_title, search_description,
    content = 'tickets', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
INSERT INTO tickets_search (tickets_search) VALUES ('rebuild');

CREATE TRIGGER tickets_search_on_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_search (rowid, search_title, search_description)
    VALUES (NEW.id, NEW.search_title, NEW.search_description);
END;

CREATE TRIGGER tickets_search_on_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, search_title, search_description)
    VALUES ('delete', OLD.id, OLD.search_title, OLD.search_description);
END;

CREATE TRIGGER tickets_search_on_update AFTER UPDATE OF search_title, search_description ON tickets
WHEN OLD.search_title IS NOT NEW.search_title OR OLD.search_description IS NOT NEW.search_description
BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, search_title, search_description)
    VALUES ('delete', OLD.id, OLD.search_title, OLD.search_description);
    INSERT INTO tickets_search (rowid, search_title, search_description)
    VALUES (NEW.id, NEW.search_title, NEW.search_description);
END;

DROP TRIGGER ticket_words_on_update;
DROP TRIGGER ticket_words_on_delete;
DROP TRIGGER ticket_words_on_insert;
DROP TABLE ticket_words;
DROP TRIGGER search_words_on_insert;
DROP TABLE search_words_trigrams;
DROP TABLE search_words;
