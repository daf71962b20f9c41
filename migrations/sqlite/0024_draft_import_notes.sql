-- What an uploaded XLSForm had that its draft does not keep, in words (a JSON list; NULL when nothing).
ALTER TABLE survey_draft ADD COLUMN import_notes TEXT;
