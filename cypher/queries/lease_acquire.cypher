// Take or renew the lease of a job, held by one runner at a time across every process and replica: free,
// expired, or already ours. The SET before the check takes the node's write lock, so two runners that
// arrive together see each other's claim. Params: $name, $holder, $now, $lease_s.
// Returns: held, lease (the job's saved progress: as_of, cursor, finished).
MERGE (l:JobLease {name: $name})
SET l.claimed = true
WITH l
CALL (l) {
  WITH l WHERE l.holder IS NULL OR l.holder = $holder OR l.expires_at < $now
  SET l.holder = $holder, l.expires_at = $now + duration({seconds: $lease_s})
}
REMOVE l.claimed
RETURN l.holder = $holder AS held, l {.as_of, .cursor, .finished, .holder, .expires_at} AS lease
