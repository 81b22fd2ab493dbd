// Save where a job's run stands and renew its lease, if this runner still holds it; `$release` gives the
// lease up. Params: $name, $holder, $now, $lease_s, $as_of, $cursor, $finished, $release.
// Returns: held.
MATCH (l:JobLease {name: $name})
WHERE l.holder = $holder
SET l.as_of = $as_of, l.cursor = $cursor, l.finished = $finished,
    l.holder = CASE WHEN $release THEN null ELSE $holder END,
    l.expires_at = CASE WHEN $release THEN null ELSE $now + duration({seconds: $lease_s}) END
RETURN true AS held
