-- A big import is stored a few hundred rows to a transaction, so that residents' answers are not
-- held up behind one long write. Its responses carry the import's id and stay out of every reader's
-- sight until the last part is in; its counts wait in `import_tally` until then. At most one import
-- runs at a time (`one`); an import whose process died stops beating and is cleared away.
CREATE TABLE import_run (
    id           BIGSERIAL PRIMARY KEY,
    one          INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one = 1),
    survey_id    BIGINT NOT NULL REFERENCES survey (id),
    started_by   BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

ALTER TABLE response ADD COLUMN import_id BIGINT REFERENCES import_run (id);
CREATE INDEX response_by_import ON response (import_id) WHERE import_id IS NOT NULL;

-- The counts of an import's responses, by the same keys as `tally` (about_question '') and
-- `tally_about`, added to them when the import finishes.
CREATE TABLE import_tally (
    import_id         BIGINT NOT NULL REFERENCES import_run (id) ON DELETE CASCADE,
    about_question    TEXT NOT NULL,
    about_option      TEXT NOT NULL,
    survey_version_id BIGINT NOT NULL,
    day               BIGINT NOT NULL,
    channel           TEXT NOT NULL,
    location_id       BIGINT NOT NULL,
    question_id       TEXT NOT NULL,
    option_id         TEXT NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (import_id, about_question, about_option, survey_version_id, day, channel, location_id, question_id, option_id)
);
