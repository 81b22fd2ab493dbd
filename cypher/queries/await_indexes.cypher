// Block until every index is online. Params: $timeout_s.
CALL db.awaitIndexes($timeout_s)
