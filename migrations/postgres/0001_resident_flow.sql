-- Times are Unix seconds (UTC) so that both backends compare and group them the same way.

CREATE TABLE survey (
    id                 BIGSERIAL PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed')),
    current_version_id BIGINT,
    created_at         BIGINT NOT NULL
);

-- Published versions are immutable: responses point at the exact definition they were answered on.
CREATE TABLE survey_version (
    id          BIGSERIAL PRIMARY KEY,
    survey_id   BIGINT NOT NULL REFERENCES survey (id),
    version     BIGINT NOT NULL,
    definition  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (survey_id, version)
);

CREATE TABLE response (
    id                BIGSERIAL PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    survey_id         BIGINT NOT NULL REFERENCES survey (id),
    survey_version_id BIGINT NOT NULL REFERENCES survey_version (id),
    channel           TEXT NOT NULL DEFAULT 'web',
    barriers          BIGINT NOT NULL DEFAULT 0,
    submitted_at      BIGINT NOT NULL
);
CREATE INDEX response_by_survey_time ON response (survey_id, submitted_at);

-- One row per chosen option (option_id) or per text answer (option_id = ''); `text` holds free text,
-- including the words written beside an "other" option.
CREATE TABLE answer (
    response_id BIGINT NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    option_id   TEXT NOT NULL,
    text        TEXT,
    PRIMARY KEY (response_id, question_id, option_id)
);

-- A resident's answers so far, saved on every page. The cookie holds a random token; only its
-- SHA-256 is stored, so a copy of the database cannot be used to take over someone's draft.
CREATE TABLE draft (
    token_hash        TEXT PRIMARY KEY,
    survey_version_id BIGINT NOT NULL REFERENCES survey_version (id),
    progress          TEXT NOT NULL,
    response_id       BIGINT REFERENCES response (id) ON DELETE SET NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL
);
CREATE INDEX draft_by_expiry ON draft (expires_at);
