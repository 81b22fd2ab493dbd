"""Words that name a kind of person or thing, and the words people use for its members: the keyword
search adds a query's kind words' members (`app.retrieval.kinds`). The family and pet kinds come from the
people vocabulary (`app.vocabulary.people`), so they are not repeated here."""

from __future__ import annotations

#: The family relations (of `people.FAMILY`) whose words together make the kind "family".
KIN: frozenset[str] = frozenset({"sibling", "parent", "child", "partner", "grandparent", "relative"})

#: kind word (singular) -> the words for its members, beyond family and pets
OTHER_KINDS: dict[str, set[str]] = {
    "doctor": {
        "dr",
        "physician",
        "dermatologist",
        "dentist",
        "surgeon",
        "pediatrician",
        "gynecologist",
        "cardiologist",
        "psychiatrist",
        "optometrist",
        "ent",
        "gp",
    },
    "job": {"job", "role", "position", "career", "company", "employer", "promoted", "promotion"},
}
#: other words for a kind
SAME_KIND: dict[str, str] = {
    "kid": "child",
    "children": "child",
    "spouse": "partner",
    "relation": "relative",
    "animal": "pet",
    "physician": "doctor",
    "role": "job",
    "position": "job",
    "career": "job",
}
#: kinds of event, named by a word and "event" ("a sports event", "the music events"): the memories name
#: the event itself, so the members stand in for "event", which as a keyword matches every other event
EVENT_KINDS: dict[str, frozenset[str]] = {
    kind: frozenset(words)
    for kind, words in {
        "sport": {
            "tournament",
            "match",
            "race",
            "marathon",
            "triathlon",
            "5k",
            "10k",
            "championship",
            "competition",
            "meet",
        },
        "music": {"concert", "gig", "festival", "recital", "opera", "symphony", "show"},
    }.items()
}
#: other words for an event kind
SAME_EVENT_KIND: dict[str, str] = {"sports": "sport", "sporting": "sport", "musical": "music"}
