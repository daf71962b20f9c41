-- Running totals for the dashboard, kept in step with the responses in the same transaction as
-- every change to them, so that a million responses summarise in milliseconds. One row per
-- version, UTC day, channel, location (0 for none) and counted thing: question_id '' counts
-- respondents; '#barriers' counts respondents by barrier set (option_id is the bitmask); for a
-- question, option_id is a chosen option, '' for a text answer, '#answered' for respondents who
-- answered it and '#shown' for respondents a conditional question was shown to.
CREATE TABLE tally (
    survey_version_id INTEGER NOT NULL REFERENCES survey_version (id),
    day               INTEGER NOT NULL,
    channel           TEXT NOT NULL,
    location_id       INTEGER NOT NULL,
    question_id       TEXT NOT NULL,
    option_id         TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (survey_version_id, day, channel, location_id, question_id, option_id)
) WITHOUT ROWID;

-- One-off jobs done at start-up, such as counting responses stored before the tallies existed.
CREATE TABLE maintenance (
    task    TEXT PRIMARY KEY,
    done_at INTEGER NOT NULL
) WITHOUT ROWID;
