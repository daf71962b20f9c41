-- The borough's population by the answers of a survey's about-you questions (ward, age band…),
-- as an admin uploaded it: the results set who answered against it, to show who is missing.
CREATE TABLE population (
    survey_id   INTEGER NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    option_id   TEXT NOT NULL,
    -- The answer's place in its question, so that margins read back in the question's order.
    position    INTEGER NOT NULL,
    people      INTEGER NOT NULL CHECK (people >= 0),
    PRIMARY KEY (survey_id, question_id, option_id)
);
