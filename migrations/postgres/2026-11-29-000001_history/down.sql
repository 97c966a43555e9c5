DROP TABLE idempotency_keys;
DROP TABLE ticket_events;
ALTER TABLE tickets
    DROP COLUMN created_by_name,
    DROP COLUMN created_by_id,
    DROP COLUMN created_by_kind,
    DROP COLUMN version;
