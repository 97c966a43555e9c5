-- A change writes every column of the ticket, those that stay as they were too (one prepared
-- UPDATE for any change, adapters-sql): the full-text index follows only a changed text.
DROP TRIGGER tickets_search_on_update;
CREATE TRIGGER tickets_search_on_update AFTER UPDATE OF search_title, search_description ON tickets
WHEN OLD.search_title IS NOT NEW.search_title OR OLD.search_description IS NOT NEW.search_description
BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, search_title, search_description)
    VALUES ('delete', OLD.id, OLD.search_title, OLD.search_description);
    INSERT INTO tickets_search (rowid, search_title, search_description)
    VALUES (NEW.id, NEW.search_title, NEW.search_description);
END;
