-- Attempts at something limited (signing in, removal by reference, return codes), one row each,
-- by key ("account:…", "address:…", "return:*"). An attempt is written before it is counted, so
-- concurrent attempts on any instance cannot all slip under a limit. Successes are taken out again.
CREATE TABLE attempt (
    id  BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX attempt_by_key ON attempt (key, at);
DROP TABLE sign_in_failure;

-- Save and come back later: the SHA-256 of the draft's return code, set when the resident saves.
ALTER TABLE draft ADD COLUMN return_code_hash TEXT;
CREATE UNIQUE INDEX draft_by_return_code ON draft (return_code_hash);
-- When the confirmation page first showed the reference: it is shown once, never to the next
-- person at a shared computer.
ALTER TABLE draft ADD COLUMN receipt_shown_at BIGINT;
-- The staff session an assisted draft was started in: sending it checks that session still stands.
ALTER TABLE draft ADD COLUMN officer_session TEXT;
