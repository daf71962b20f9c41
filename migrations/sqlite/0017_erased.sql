-- Keyed hashes of the references (and outreach entry ids) of responses erased at their residents'
-- request, so that an old export or a device sending again cannot bring them back. Never the
-- reference itself.
CREATE TABLE erased (
    purpose   TEXT NOT NULL,
    digest    TEXT NOT NULL,
    erased_at BIGINT NOT NULL,
    PRIMARY KEY (purpose, digest)
);
