// Tenant filters and time ranges are on every read path: range indexes keep them cheap.
CREATE INDEX memory_user_id IF NOT EXISTS FOR (m:Memory) ON (m.user_id);
CREATE INDEX memory_user_occurred_at IF NOT EXISTS FOR (m:Memory) ON (m.user_id, m.occurred_at);
CREATE INDEX memory_user_conversation IF NOT EXISTS FOR (m:Memory) ON (m.user_id, m.conversation_id);
CREATE INDEX memory_tier IF NOT EXISTS FOR (m:Memory) ON (m.tier);
CREATE INDEX entity_user_id IF NOT EXISTS FOR (e:Entity) ON (e.user_id);
CREATE INDEX fact_user_id IF NOT EXISTS FOR (f:Fact) ON (f.user_id);
CREATE INDEX conversation_user_id IF NOT EXISTS FOR (c:Conversation) ON (c.user_id);
CREATE INDEX fact_user_predicate IF NOT EXISTS FOR (f:Fact) ON (f.user_id, f.predicate);
CREATE INDEX fact_user_status IF NOT EXISTS FOR (f:Fact) ON (f.user_id, f.status);
// Lucene full-text: memory content for keyword retrieval, entity names and aliases for the graph step.
// `tenant` is a single-token form of the user id, so that Lucene itself keeps to one user's documents:
// a global top-N filtered afterwards would starve a small user among large ones.
CREATE FULLTEXT INDEX memory_content IF NOT EXISTS FOR (m:Memory) ON EACH [m.content, m.tenant];
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases, e.tenant];
