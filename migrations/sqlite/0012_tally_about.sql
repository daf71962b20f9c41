-- The running totals once more for each about-you answer a respondent gave (ward, age band,
-- disability and the other choice questions of the "About you" section): the same rows as `tally`,
-- kept in the same transaction, with the about-you question and option in the key. Results
-- filtered by one about-you answer, and cross-tabs by one, read these instead of every answer.
CREATE TABLE tally_about (
    survey_version_id INTEGER NOT NULL REFERENCES survey_version (id),
    about_question    TEXT NOT NULL,
    about_option      TEXT NOT NULL,
    day               INTEGER NOT NULL,
    channel           TEXT NOT NULL,
    location_id       INTEGER NOT NULL,
    question_id       TEXT NOT NULL,
    option_id         TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (survey_version_id, about_question, about_option, day, channel, location_id, question_id, option_id)
) WITHOUT ROWID;

-- The responses already stored are counted into both tables at the next start.
DELETE FROM maintenance WHERE task = 'tally';
