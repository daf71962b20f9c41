-- What each survey keeps, for how long, and what residents are told about it. A survey without a
-- row uses the defaults (see src/privacy/settings.rs).
CREATE TABLE survey_privacy (
    survey_id       BIGINT PRIMARY KEY REFERENCES survey (id),
    -- The admin's own wording of the privacy notice; NULL for the default notice.
    notice          TEXT,
    -- How residents reach the council's data protection officer.
    contact         TEXT NOT NULL,
    draft_days      BIGINT NOT NULL,
    response_months BIGINT NOT NULL,
    contact_days    BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Residents who asked to be contacted about help, with the words they agreed to. Deliberately not
-- linked to their answers. A row is deleted when the follow-up is done, or when it is too old.
CREATE TABLE contact_request (
    id         BIGSERIAL PRIMARY KEY,
    survey_id  BIGINT NOT NULL REFERENCES survey (id),
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    email      TEXT NOT NULL,
    consent    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contact_request_by_time ON contact_request (created_at);

-- Erasure removes the answers that audit entries about a response hold.
CREATE INDEX audit_log_by_subject ON audit_log (subject);
