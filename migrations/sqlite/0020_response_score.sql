-- Each response's score on each national measure whose question it answered (src/survey/measures.rs),
-- kept with the measure's framework version in its key ("#score:eds_foundation:2022"): worked out
-- when its answers are stored, so a later framework counts apart and never changes old figures.
-- The running totals count it as a row of the measure's key (option '1' met, '0' not).
CREATE TABLE response_score (
    response_id INTEGER NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    measure     TEXT NOT NULL,
    met         INTEGER NOT NULL CHECK (met IN (0, 1)),
    PRIMARY KEY (response_id, measure)
) WITHOUT ROWID;
