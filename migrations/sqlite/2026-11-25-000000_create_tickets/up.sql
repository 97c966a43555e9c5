-- The seed's ticket table, as on PostgreSQL. created_at counts microseconds since the Unix epoch
-- (SQLite's clock gives milliseconds); search_title and search_description are lower-cased copies
-- written by the application (domain::search_key), since SQLite's LIKE folds only ASCII.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000000 AS INTEGER)),
    search_title TEXT NOT NULL,
    search_description TEXT NOT NULL,
    CONSTRAINT tickets_title_length CHECK (length(title) BETWEEN 1 AND 200),
    CONSTRAINT tickets_title_not_blank CHECK (trim(title, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    CONSTRAINT tickets_description_not_blank CHECK (trim(description, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    CONSTRAINT tickets_category_choice CHECK (category IN ('billing', 'technical', 'account', 'general')),
    CONSTRAINT tickets_priority_choice CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT tickets_status_choice CHECK (status IN ('open', 'in_progress', 'resolved', 'closed'))
) STRICT;

CREATE INDEX tickets_created_at_id ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_created_at_id ON tickets (status, created_at DESC, id DESC);
CREATE INDEX tickets_category_priority_status ON tickets (category, priority, status, created_at DESC, id DESC);
