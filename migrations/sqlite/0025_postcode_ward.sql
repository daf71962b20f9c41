-- A survey's postcode-to-ward lookup, as an admin uploaded it: each of the borough's postcodes,
-- written one way (TS18 1AU), with the answer id of the ward question it falls in. Replaced whole
-- by each upload; the answers already given keep the ward they were given.
CREATE TABLE postcode_ward (
    survey_id INTEGER NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    postcode  TEXT NOT NULL,
    ward      TEXT NOT NULL,
    PRIMARY KEY (survey_id, postcode)
);
