"""companion-memory: long-term memory for AI companions, kept in Neo4j."""
