DROP TRIGGER tickets_search_on_update;
CREATE TRIGGER tickets_search_on_update AFTER UPDATE OF search_title, search_description ON tickets BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, search_title, search_description)
    VALUES ('delete', OLD.id, OLD.search_title, OLD.search_description);
    INSERT INTO tickets_search (rowid, search_title, search_description)
    VALUES (NEW.id, NEW.search_title, NEW.search_description);
END;
