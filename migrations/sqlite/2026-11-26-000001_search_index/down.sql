DROP TRIGGER tickets_search_on_update;
DROP TRIGGER tickets_search_on_delete;
DROP TRIGGER tickets_search_on_insert;
DROP TABLE tickets_search;
