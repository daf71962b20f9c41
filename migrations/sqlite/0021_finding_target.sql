-- A finding can carry the plan's target for its figure, a percentage and when by ("10% by March
-- 2028"): the findings, the action and the committee report set the latest figure against it.
ALTER TABLE finding ADD COLUMN target_percent REAL;
ALTER TABLE finding ADD COLUMN target_by TEXT;
