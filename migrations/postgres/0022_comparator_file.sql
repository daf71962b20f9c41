-- The national figures the results are compared with, as admins uploaded them: every upload is a
-- new version, kept whole, so the figures a page showed on a given day can be told again. No row:
-- the figures that ship with the app.
CREATE TABLE comparator_file (
    id          BIGSERIAL PRIMARY KEY,
    uploaded_at BIGINT NOT NULL,
    staff_id    BIGINT REFERENCES staff (id),
    body        TEXT NOT NULL
);
