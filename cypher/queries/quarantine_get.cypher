// One quarantined message of a user, expired or not. Params: $user_id, $id. Returns: item.
MATCH (q:Quarantined {id: $id})
WHERE q.user_id = $user_id
RETURN q {.*} AS item
