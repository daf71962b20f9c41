-- When the resident on this draft agreed to be contacted: details are only taken after it.
ALTER TABLE draft ADD COLUMN contact_consent_at BIGINT;
