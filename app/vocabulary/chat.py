"""How people talk about their lives: the vocabulary of significance and memory type, and the commitments
that extraction reads. Phrases are regular-expression fragments, matched as whole words and case-blind."""

from __future__ import annotations

#: Conversational filler: a message of these words alone carries nothing to remember.
FILLER: frozenset[str] = frozenset(
    {
        *("ok", "okay", "k", "kk", "hmm", "hm", "mm", "mhm", "uh", "um", "lol", "lmao", "haha", "hah"),
        *("yeah", "yes", "yep", "yup", "no", "nope", "nah", "sure", "cool", "nice", "thanks", "thank", "thx"),
        *("ty", "you", "alright", "right", "oh", "ah", "wow", "great", "good", "fine", "idk", "hi", "hello"),
        *("hey", "bye", "night", "gn", "so", "well", "got", "it", "i", "see", "true", "agreed", "same"),
        *("totally", "really", "omg", "yay", "oops"),
    }
)

#: Commitments and intentions: what the speaker means to do.
COMMITMENTS: tuple[str, ...] = (
    "I'll",
    "I will",
    "I promise",
    "I'm going to",
    "I am going to",
    "I plan to",
    "I'm planning to",
    "I intend to",
    "we'll",
    "we will",
    "I'm gonna",
    "I have to",
    "I need to",
)

#: Words of an explicit promise or vow.
PROMISES: tuple[str, ...] = ("promise[ds]?", "swear", "vow(?:ed)?", "commit(?:ted)?")

#: Words for feelings.
EMOTIONS: tuple[str, ...] = (
    *("love[ds]?", "loving", "hate[ds]?", "sad", "happy", "happier", "anxious", "anxiety", "scared", "afraid"),
    *("terrified", "excited", "miss(?:ed|ing)?", "worried", "worry", "angry", "mad", "upset", "proud"),
    *("lonely", "alone", "grateful", "thankful", "stressed", "depressed", "heartbroken", "devastated"),
    *("thrilled", "overwhelmed", "nervous", "hurt", "cried", "crying", "furious", "jealous", "ashamed"),
    *("embarrassed", "hopeful", "relieved", "joy", "grief", "grieving", "frustrated", "exhausted"),
    "disappointed",
)

#: How a person starts a statement about themselves.
PERSONAL_STATEMENTS: tuple[str, ...] = (
    "my (?:name|job|work|birthday|age|home|family|health|diagnosis|doctor|therapist)",
    "I(?:'m| am) (?:a |an |from )",
    "I live",
    "I work",
    "I was born",
    "I grew up",
    "I moved",
    "I study",
    "I've been diagnosed",
    "I have (?:a|an|two|three) ",
)

#: Words that place a message in time.
TIME_WORDS: tuple[str, ...] = (
    "tomorrow",
    "tonight",
    "today",
    "yesterday",
    "next (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    "on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    "this (?:weekend|evening|morning)",
    "last (?:week|month|year|night)",
    "ago",
)

#: Words of something that happened.
PAST_EVENTS: tuple[str, ...] = (
    *("yesterday", "last (?:week|month|year|night)", "ago", "went", "happened", "visited"),
    *("got (?:married|engaged|promoted|fired|hired)", "graduated", "passed away", "died", "was born"),
    *("broke up", "moved"),
)

#: Turns in a life: a move, a job begun or lost, a birth, a death, a break-up, a diagnosis, a wedding.
LIFE_EVENTS: tuple[str, ...] = (
    *(
        "moved (?:to|into|out|back|in|away)",
        "moving (?:to|into|out|away)",
        "relocat(?:ed|ing)",
        "new (?:job|house|home)",
    ),
    *(
        "(?:got|been) (?:hired|promoted|fired|laid off)",
        "lost my job",
        "quit my job",
        "start(?:ed|ing) (?:a|my) new job",
    ),
    *("retir(?:ed|ing)", "gave birth", "had (?:a|our|my) (?:baby|son|daughter)", "pregnant", "expecting (?:a|our)"),
    *("passed away", "died", "funeral", "lost my (?:mom|dad|mother|father|wife|husband|son|daughter|brother|sister)"),
    *("broke up", "break ?up", "divorc(?:e|ed|ing)", "separated", "split up", "got (?:married|engaged)"),
    *("diagnosed", "my diagnosis", "surgery", "chemo(?:therapy)?", "hospitali[sz]ed", "miscarriage"),
    *("graduat(?:ed|ing)", "wedding", "proposed", "(?:was|were) born"),
)
#: Words about the bond between the user and the companion.
ABOUT_US: tuple[str, ...] = (
    "talking to you",
    "you mean",
    "i trust you",
    "our (?:chats?|talks?|friendship)",
    "you(?:'re| are) (?:my|the best)",
    "i (?:love|like|missed) you",
)

#: Verbs of something the speaker did or lived through ("I went", "we met", "I've just started").
EXPERIENCE_VERBS: tuple[str, ...] = (
    *("went", "visited", "saw", "met", "bought", "started", "finished", "tried", "made", "got", "took"),
    *("watched", "read", "played", "ran", "cooked", "baked", "learned", "learnt", "adopted", "joined"),
    *("quit", "lost", "won", "travell?ed", "hiked", "climbed", "wrote", "painted", "built", "signed up"),
    *("graduated", "celebrated", "spent", "began", "completed"),
)
