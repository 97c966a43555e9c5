-- As on PostgreSQL: versions, the creator, the events of every change, and keyed creates. Times
-- are integer microseconds written by the application. (The new columns carry no CHECK: SQLite
-- could not drop them again.)
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN created_by_kind TEXT;
ALTER TABLE tickets ADD COLUMN created_by_id INTEGER;
ALTER TABLE tickets ADD COLUMN created_by_name TEXT;

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    CONSTRAINT ticket_events_actor_kind_choice CHECK (actor_kind IN ('public', 'account', 'token')),
    CONSTRAINT ticket_events_field_choice CHECK (field IN ('title', 'description', 'category', 'priority', 'status'))
) STRICT;
CREATE INDEX ticket_events_ticket_id_id ON ticket_events (ticket_id, id);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key),
    CONSTRAINT idempotency_keys_fingerprint_length CHECK (length(fingerprint) = 32)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
