// Full-text with the English analyzer (lower case, stop words, stemming): "hiking" finds "hike", and
// "the" no longer scores. The tenant token is unaffected (letters and digits, no stem).
DROP INDEX memory_content IF EXISTS;
CREATE FULLTEXT INDEX memory_content_en IF NOT EXISTS FOR (m:Memory) ON EACH [m.content, m.tenant]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}};
DROP INDEX conversation_text IF EXISTS;
CREATE FULLTEXT INDEX conversation_text_en IF NOT EXISTS FOR (c:Conversation) ON EACH [c.text, c.tenant]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}};
