-- The server's key for keyed hashes (return codes, erased references), kept here only on PostgreSQL
-- when SERVER_KEY is not set, so that every instance shares it. On SQLite it is kept in a file
-- beside the database instead, out of its backups.
CREATE TABLE server_key (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL
);
