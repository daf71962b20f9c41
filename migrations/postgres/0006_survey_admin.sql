-- When an open survey takes answers: from opens_at (if set) until closes_at (if set), Unix seconds.
ALTER TABLE survey ADD COLUMN opens_at BIGINT;
ALTER TABLE survey ADD COLUMN closes_at BIGINT;

-- The next version of a survey while an admin edits it: one per survey. Publishing turns it into a
-- new immutable survey_version and deletes it. It may be invalid while being edited; publishing
-- checks it with the same rules as an upload.
CREATE TABLE survey_draft (
    survey_id  BIGINT PRIMARY KEY REFERENCES survey (id),
    definition TEXT NOT NULL,
    revision   BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
