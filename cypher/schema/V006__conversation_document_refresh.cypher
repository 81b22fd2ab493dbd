// Conversation documents are refreshed in the background: the write path only marks them stale.
CREATE INDEX conversation_doc_stale IF NOT EXISTS FOR (c:Conversation) ON (c.doc_stale);
