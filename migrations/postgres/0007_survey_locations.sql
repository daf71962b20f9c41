-- Where officers take each survey: a survey with no rows here is taken at every location.
CREATE TABLE survey_location (
    survey_id    BIGINT NOT NULL REFERENCES survey (id),
    list_item_id BIGINT NOT NULL REFERENCES list_item (id),
    PRIMARY KEY (survey_id, list_item_id)
);
