-- Who may use the helpdesk, as on PostgreSQL. Times are integer microseconds since the Unix
-- epoch, written by the application; booleans are 0 or 1.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT accounts_role_choice CHECK (role IN ('agent', 'admin')),
    CONSTRAINT accounts_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT accounts_email_length CHECK (length(email) BETWEEN 3 AND 254),
    CONSTRAINT accounts_disabled_boolean CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE sessions (
    digest BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    CONSTRAINT sessions_digest_length CHECK (length(digest) = 32)
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_account_id ON sessions (account_id);
CREATE INDEX sessions_last_seen_at ON sessions (last_seen_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    digest BLOB NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at INTEGER,
    revoked_at INTEGER,
    CONSTRAINT api_tokens_role_choice CHECK (role IN ('agent', 'admin')),
    CONSTRAINT api_tokens_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT api_tokens_digest_length CHECK (length(digest) = 32)
) STRICT;

CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX login_failures_last_failure_at ON login_failures (last_failure_at);
