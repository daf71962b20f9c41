-- The language each response was answered in (a BCP 47 tag such as cy or en-x-easyread), so the
-- dashboard and the export can say how many answered in each. Answers are option ids whatever the
-- language, so the figures add up across languages. Responses stored before this were in English.
ALTER TABLE response ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- The running totals count respondents by language too: the responses already stored are counted
-- again at the next start.
DELETE FROM maintenance WHERE task = 'tally';
