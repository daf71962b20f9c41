-- Staff accounts, the lists admins keep, attribution of assisted entries, and the audit log.

CREATE TABLE staff (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- Bits: 1 admin, 2 officer, 4 analyst. One person may hold several.
    roles         BIGINT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    -- Bumped on deactivation and password reset: sessions signed in before it end.
    session_epoch BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- Failed sign-ins, by account and by address, for throttling across every instance.
CREATE TABLE sign_in_failure (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX sign_in_failure_by_key ON sign_in_failure (key, at);

-- Short lists admins keep: places officers work (`location`) and kinds of help they give (`help`).
CREATE TABLE list_item (
    id         BIGSERIAL PRIMARY KEY,
    list       TEXT NOT NULL CHECK (list IN ('location', 'help')),
    label      TEXT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (list, label)
);

ALTER TABLE response ADD COLUMN officer_id BIGINT REFERENCES staff (id);
ALTER TABLE response ADD COLUMN location_id BIGINT REFERENCES list_item (id);
ALTER TABLE response ADD COLUMN updated_at BIGINT;
ALTER TABLE draft ADD COLUMN officer_id BIGINT REFERENCES staff (id);
ALTER TABLE draft ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE draft ADD COLUMN location_id BIGINT REFERENCES list_item (id);
-- When set, sending the draft replaces this response's answers (an officer's correction).
ALTER TABLE draft ADD COLUMN corrects_response_id BIGINT REFERENCES response (id) ON DELETE CASCADE;

-- Help an officer gave with a response: items from the list, and free text.
CREATE TABLE response_help (
    response_id BIGINT NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    help_id     BIGINT REFERENCES list_item (id),
    text        TEXT,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX response_help_by_response ON response_help (response_id);

-- Append-only: rows are inserted, never updated or deleted by the app.
CREATE TABLE audit_log (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    before   TEXT,
    after    TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at);

INSERT INTO list_item (list, label, created_at) VALUES
    ('location', 'Stockton Customer Service Centre', 0),
    ('location', 'Billingham Customer Service Centre', 0),
    ('location', 'Thornaby Customer Service Centre', 0),
    ('location', 'Library outreach', 0),
    ('help', 'Showed how to pay council tax online', 0),
    ('help', 'Showed how to report a problem online', 0),
    ('help', 'Helped set up an email account', 0),
    ('help', 'Booked a digital skills session', 0),
    ('help', 'Referred to the library', 0);
