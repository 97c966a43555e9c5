DROP TABLE idempotency_keys;
DROP TABLE ticket_events;
ALTER TABLE tickets DROP COLUMN created_by_name;
ALTER TABLE tickets DROP COLUMN created_by_id;
ALTER TABLE tickets DROP COLUMN created_by_kind;
ALTER TABLE tickets DROP COLUMN version;
