"""Words for the facts a person holds one of at a time (where they live, their name, their job...): the
verbs extraction reads such a fact by, and the words a question asks about each by. With them a search
knows which of a memory's facts a question is about, so that "My name is Alice and I live in Seattle"
gives way to "I moved to Tokyo" when asked where one lives, and not when asked one's name
(docs/vocabulary.md)."""

from __future__ import annotations

#: Verbs whose user subject tells where the user lives ("I moved to Tokyo").
LIVE_VERBS: frozenset[str] = frozenset({"live", "move", "relocate", "reside", "settle"})
#: Verbs whose user subject tells where the user is from ("I grew up in Porto").
FROM_VERBS: frozenset[str] = frozenset({"come", "grow"})
#: Verbs whose user subject tells where the user works ("I work at Acme").
WORK_VERBS: frozenset[str] = frozenset({"work", "intern"})

#: The words a question names each such fact by (verbs and nouns of its subject), by predicate.
ASKED_BY: dict[str, frozenset[str]] = {
    "lives_in": LIVE_VERBS | {"home", "address", "city"},
    "from": FROM_VERBS | {"hometown", "born"},
    "works_at": WORK_VERBS | {"job", "employer", "company", "office"},
    "job": WORK_VERBS | {"job", "profession", "occupation", "career"},
    "name": frozenset({"name", "call"}),
    "diet": frozenset({"diet", "eat", "vegetarian", "vegan"}),
    "relationship_status": frozenset({"relationship", "married", "single", "partner"}),
    "age": frozenset({"age", "old"}),
    "birthday": frozenset({"birthday", "born"}),
}
