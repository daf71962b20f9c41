-- The digital inclusion action plan, laid out as the scrutiny committee's progress report is:
-- plans by council year, recommendations, and the actions agreed for each.

CREATE TABLE plan (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    -- The council year by the year it starts: 2026 is April 2026 to March 2027.
    year       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE recommendation (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plan (id),
    number     INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE plan_action (
    id                INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id),
    agreed_action     TEXT NOT NULL,
    responsibility    TEXT NOT NULL,
    target_date       TEXT NOT NULL,
    success_measure   TEXT NOT NULL,
    barriers          INTEGER NOT NULL DEFAULT 0,
    -- Bumped on every edit: a save made from an older copy of the form is refused, never merged.
    revision          INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX plan_action_by_recommendation ON plan_action (recommendation_id);

-- A figure from the survey, kept with the dashboard filters it was taken with (as a query string)
-- so that it can be worked out again: "then" is stored, "now" is counted when shown.
CREATE TABLE finding (
    id          INTEGER PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES survey (id),
    question_id TEXT NOT NULL,
    option_id   TEXT NOT NULL,
    filters     TEXT NOT NULL,
    statement   TEXT NOT NULL,
    count_then  INTEGER NOT NULL,
    base_then   INTEGER NOT NULL,
    created_by  INTEGER REFERENCES staff (id),
    created_at  INTEGER NOT NULL
);

CREATE TABLE action_finding (
    action_id  INTEGER NOT NULL REFERENCES plan_action (id),
    finding_id INTEGER NOT NULL REFERENCES finding (id),
    PRIMARY KEY (action_id, finding_id)
);

-- Progress updates are only ever added: the newest is an action's current assessment, graded
-- 1 Fully Achieved, 2 On-Track, 3 Slipped, 4 Not Achieved.
CREATE TABLE progress (
    id                   INTEGER PRIMARY KEY,
    action_id            INTEGER NOT NULL REFERENCES plan_action (id),
    entered_by           INTEGER REFERENCES staff (id),
    entered_at           INTEGER NOT NULL,
    evidence_of_progress TEXT NOT NULL,
    assessment           INTEGER NOT NULL CHECK (assessment BETWEEN 1 AND 4),
    evidence_of_impact   TEXT NOT NULL
);
CREATE INDEX progress_by_action ON progress (action_id, id);
