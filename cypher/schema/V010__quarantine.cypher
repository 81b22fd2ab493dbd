// Refused messages wait in quarantine (never searched, never in context) until released or expired:
// one per (user, message id), so a refused message sent again is kept once; the purge reads by expiry.
CREATE CONSTRAINT quarantined_message_unique IF NOT EXISTS FOR (q:Quarantined) REQUIRE (q.user_id, q.external_id) IS UNIQUE;
CREATE CONSTRAINT quarantined_id_unique IF NOT EXISTS FOR (q:Quarantined) REQUIRE q.id IS UNIQUE;
CREATE INDEX quarantined_expires IF NOT EXISTS FOR (q:Quarantined) ON (q.expires_at);
