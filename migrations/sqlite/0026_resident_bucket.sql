-- The flood limit on residents' posts that create something, per client address. Counted here only
-- on PostgreSQL, where several instances share the database; one SQLite instance counts in memory.
-- Kept in both schemas so that they stay alike.
CREATE TABLE resident_bucket (
    address TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    refilled_at REAL NOT NULL
);
