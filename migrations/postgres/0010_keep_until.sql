-- Responses an admin chose to keep past their survey's retention period (old paper forms imported
-- late, or a restored backup), until this time (Unix seconds). Retention leaves them until then.
ALTER TABLE response ADD COLUMN keep_until BIGINT;
