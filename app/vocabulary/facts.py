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

#: Nouns of a home that place the speaker where they are ("my house in Denver").
DWELLINGS: frozenset[str] = frozenset({"house", "home", "apartment", "flat", "condo", "place", "farm", "ranch"})
#: Nouns of the language a person speaks ("Portuguese is my first language").
LANGUAGE_NOUNS: frozenset[str] = frozenset({"language", "tongue"})
#: Nouns of the work a person does, whose "at" is their workplace ("my job is at a bookstore").
ROLE_NOUNS: frozenset[str] = frozenset({"job", "career", "work", "profession", "occupation", "shift", "gig"})
#: What a person takes when they study ("I'm taking beauty classes").
STUDY_NOUNS: frozenset[str] = frozenset({"class", "classes", "course", "courses", "lessons", "degree"})
#: Words of an amount whose "of" names the thing ("a bit of Japanese", "a lot of jazz").
PART_WORDS: frozenset[str] = frozenset({"bit", "lot", "lots", "little", "some", "kind", "sort", "type"})
#: Establishments a person works at or for ("a grocery store", "the hospital"), beside named ones.
WORKPLACES: frozenset[str] = frozenset(
    {
        *("store", "shop", "company", "firm", "startup", "hospital", "clinic", "school", "college", "university"),
        *("restaurant", "cafe", "diner", "bar", "pub", "hotel", "factory", "plant", "warehouse", "bank", "agency"),
        *("museum", "library", "lab", "laboratory", "office", "church", "farm", "bakery", "brewery", "salon"),
        *("gym", "studio", "newspaper", "magazine", "station", "airline", "airport", "mall", "supermarket", "daycare"),
        *("nursing home", "care home", "center", "centre", "department", "railroad", "mill", "mine", "vet"),
        *("zoo", "theater", "theatre", "pharmacy", "bookstore", "nonprofit", "charity", "council", "ministry"),
    }
)

#: Nouns of written material a message can hand over to be worked on ("Summarise this speech:", "Here is
#: the text:", "Here's my response as the user:"): what follows is theirs to read, not the speaker's word.
WRITTEN_MATERIAL: frozenset[str] = frozenset(
    {"text", "speech", "article", "passage", "paragraph", "story", "email", "letter", "message", "poem"}
    | {"lyrics", "script", "transcript", "essay", "review", "post", "description", "document", "response"}
    | {"excerpt", "quote", "summary", "content", "prompt", "draft", "product", "listing", "bio", "profile"}
)
#: Verbs of a request to work on a text ("Translate the following:", "Summarize:").
TEXT_REQUESTS: frozenset[str] = frozenset(
    {"translate", "summarise", "summarize", "rewrite", "paraphrase", "proofread", "edit", "correct", "explain"}
    | {"analyze", "analyse", "review", "continue", "read", "check", "fix", "improve", "shorten", "format"}
)
