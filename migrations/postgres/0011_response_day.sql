-- The council's day a response was sent on, counted in days from 1 January 1970 in the council's
-- time zone (COUNCIL_TIME_ZONE), written with the response. The running totals and the weekly
-- figures group by it, so an answer sent at 00:30 in summer counts on the day the resident sent it.
-- Responses already stored get their day in UTC, as they were counted before.
ALTER TABLE response ADD COLUMN day BIGINT;
UPDATE response SET day = submitted_at / 86400;
