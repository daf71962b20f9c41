-- Officers at outreach sessions with no connection keep entries on their device, each with an id
-- made there, and send them when the connection returns. The id is kept on the response it made,
-- so an entry sent twice (a retry after a lost reply, a second tab) makes one response.
ALTER TABLE response ADD COLUMN entry_id TEXT;
CREATE UNIQUE INDEX response_by_entry ON response (entry_id);
