DROP INDEX tickets_search_description_trgm;
DROP INDEX tickets_search_title_trgm;
DROP TRIGGER tickets_counted_on_update ON tickets;
DROP TRIGGER tickets_counted_on_insert_or_delete ON tickets;
DROP FUNCTION ticket_counts_follow();
DROP TABLE ticket_counts;
