// Applied schema migrations. Returns: version, name, checksum (ordered by version).
MATCH (s:SchemaMigration)
RETURN s.version AS version, s.name AS name, s.checksum AS checksum
ORDER BY version
