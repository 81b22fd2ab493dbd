// Record one applied migration. Params: $version, $name, $checksum.
MERGE (s:SchemaMigration {version: $version})
ON CREATE SET s.applied_at = datetime()
SET s.name = $name, s.checksum = $checksum
