// A memory's decay score is computed when it is asked for, no longer stored: the pass stores tiers only.
MATCH (m:Memory) WHERE m.decay_score IS NOT NULL
CALL (m) { REMOVE m.decay_score } IN TRANSACTIONS OF 10000 ROWS;
