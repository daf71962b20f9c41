-- The flood limit on residents' posts that create something, per client address, counted in the
-- database when several instances share it (PostgreSQL): a token bucket of `tokens` as refilled
-- at `refilled_at` (seconds). Rows of addresses quiet for an hour are swept.
CREATE TABLE resident_bucket (
    address TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    refilled_at DOUBLE PRECISION NOT NULL
);
