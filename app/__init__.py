"""companion-memory: long-term memory for AI companions, kept in Neo4j."""

__version__ = "0.1.0"
