// In-process vector caches load what changed since the version they hold: every memory carries the
// vector_version of its user at the time it was written (0 for memories written before).
CREATE INDEX memory_vector_version IF NOT EXISTS FOR (m:Memory) ON (m.user_id, m.vector_version);
MATCH (m:Memory) WHERE m.vector_version IS NULL
CALL (m) { SET m.vector_version = 0 } IN TRANSACTIONS OF 10000 ROWS;
