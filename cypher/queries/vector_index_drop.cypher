// Drop the memory vector index before re-embedding with a model of another dimension.
DROP INDEX memory_embedding IF EXISTS
