DROP TRIGGER tickets_counted_on_update;
DROP TRIGGER tickets_counted_on_delete;
DROP TRIGGER tickets_counted_on_insert;
DROP TABLE ticket_counts;
