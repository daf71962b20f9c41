-- The running totals once more by each respondent's cell: their answers to the about-you questions
-- asked as one choice (ward, age band, disability…), written "question=option" in question order
-- and joined by spaces ('' for someone who gave none). Weighting rakes these cells to the borough's
-- population and weights each cell's counts, so weighted results read a few thousand rows, never
-- every response. Kept in the same transaction as `tally`; not by day, channel or place.
CREATE TABLE tally_cell (
    survey_version_id BIGINT NOT NULL REFERENCES survey_version (id),
    cell              TEXT NOT NULL,
    question_id       TEXT NOT NULL,
    option_id         TEXT NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (survey_version_id, cell, question_id, option_id)
);

-- A survey whose results are weighted to its population figures, with the bounds each weight is
-- kept within (as multiples of the average weight). No row: unweighted.
CREATE TABLE weighting (
    survey_id  BIGINT PRIMARY KEY REFERENCES survey (id) ON DELETE CASCADE,
    trim_low   DOUBLE PRECISION NOT NULL CHECK (trim_low > 0 AND trim_low <= 1),
    trim_high  DOUBLE PRECISION NOT NULL CHECK (trim_high >= 1)
);

-- The responses already stored are counted into the new table at the next start.
DELETE FROM maintenance WHERE task = 'tally';
