-- Substring search at any size: a trigram full-text index over the lower-cased copies, kept in
-- step by triggers. Searches of three characters or more take their candidates from it; the LIKE
-- comparison still decides, so results are exactly those of a scan. case_sensitive 1: the text is
-- lower-cased already (domain::search_key), and no second folding may differ from it.
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

CREATE TRIGGER tickets_search_on_update AFTER UPDATE OF search_title, search_description ON tickets BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, search_title, search_description)
    VALUES ('delete', OLD.id, OLD.search_title, OLD.search_description);
    INSERT INTO tickets_search (rowid, search_title, search_description)
    VALUES (NEW.id, NEW.search_title, NEW.search_description);
END;
