"""Words that make a statement something other than a plain fact about the speaker now: a wish, a plan, a
hypothetical, a hedge, a past state, a question. Extraction reads a clause as a current fact only when none
of these governs it (`app.nlp.statements`)."""

from __future__ import annotations

#: Verbs whose complement is wanted, imagined or over, not had ("I want to be a nurse", "I hope to move to
#: Paris", "I used to live in Chicago").
WISH_VERBS: frozenset[str] = frozenset(
    {"want", "wish", "hope", "dream", "plan", "aspire", "intend", "desire", "long", "yearn", "consider", "try", "wait"}
    | {"need", "expect", "would", "might", "could", "should", "may", "pretend", "imagine", "suppose", "use", "mean"}
)
#: Auxiliaries of a clause that is not yet, or only perhaps, so ("I will move", "I'd love to", "I might").
UNREAL_AUXILIARIES: frozenset[str] = frozenset(
    {"will", "'ll", "ll", "would", "'d", "d", "could", "might", "may", "should", "must", "shall", "wo"}
)
#: Words that open a hypothetical or a condition ("if I were rich").
CONDITIONS: frozenset[str] = frozenset({"if", "unless", "whether", "suppose", "supposing", "imagine", "pretend"})
#: Words that hedge what follows ("maybe", "I think", "probably").
HEDGES: frozenset[str] = frozenset(
    {"maybe", "perhaps", "probably", "possibly", "guess", "think", "suppose", "kinda", "sorta", "hopefully"}
)
#: Words that put a state in the past or the future ("someday", "formerly").
ELSEWHEN: frozenset[str] = frozenset({"someday", "eventually", "formerly", "previously", "anymore"})
#: Verbs whose past tense tells a state that still holds ("I moved to Tokyo", "I got married", "I grew up
#: in Porto", "I studied chemistry"); other verbs in the past tense tell a state that ended.
LASTING_CHANGES: frozenset[str] = frozenset(
    {"move", "relocate", "settle", "marry", "get", "become", "grow", "bear", "raise", "adopt", "study", "go"}
    | {"graduate", "major", "start", "turn", "retire", "finish", "join", "divorce", "engage", "learn", "earn"}
)
