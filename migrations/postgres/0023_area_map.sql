-- A survey's ward boundaries, uploaded by an admin and drawn on the results: matched to the
-- answers of one about-you question, projected and simplified on upload (`map`, JSON), with what
-- the upload found (`report`, JSON). One per survey; a new upload replaces it.
CREATE TABLE area_map (
    survey_id   BIGINT PRIMARY KEY REFERENCES survey (id) ON DELETE CASCADE,
    uploaded_at BIGINT NOT NULL,
    staff_id    BIGINT REFERENCES staff (id),
    map         TEXT NOT NULL,
    report      TEXT NOT NULL
);
