"""How a clause of a parsed message speaks: about whom, and whether as a plain fact that holds now.

A fact is read from a clause only when its speaker is the subject ("I", "we", "me and my girlfriend", or
no subject at all in chat's "moved to Toronto last year") and nothing governs it that makes it something
else (`app.vocabulary.moods`): a question, a wish or a plan ("I want to be a nurse"), a condition ("if I
were rich"), a future or a possibility ("I'll move", "I'm going to", "I might"), a state that ended ("I
used to live", "I worked at", "I was a teacher"). A hedge ("I think", "maybe") keeps the fact but marks
it hedged. Negation is reported, for the rules that read it ("I don't like").

A word's mood comes from the words above it in the parse: those it is the value of (the verb of its
object or attribute), and the verbs whose complement it is ("want" over "to be a nurse"). A relative or
adverbial clause has a mood of its own, and so has a clause joined by "and" with a subject of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.vocabulary.moods import CONDITIONS, ELSEWHEN, HEDGES, LASTING_CHANGES, UNREAL_AUXILIARIES, WISH_VERBS

Token = Any
Lemma = Callable[[Token], str]

#: Pronouns of the person a message is about: its speaker's own (which make the speaker a subject), or the
#: user's in a companion's message.
FIRST_PERSON = frozenset({"i", "we", "me"})
SECOND_PERSON = frozenset({"you"})
#: Links from a word up to the word it is a value of ("married" up to "am", "Tokyo" up to "in" and "moved").
_VALUE_LINKS = frozenset(
    {"attr", "acomp", "oprd", "dobj", "pobj", "prep", "pcomp", "appos", "compound", "amod", "nummod", "npadvmod"}
)
#: Links from a clause up to the verb it completes ("to be a nurse" up to "want").
_COMPLEMENT_LINKS = frozenset({"xcomp", "ccomp"})
#: Links to a clause's subject; "there" in "there are 5 of us" is one, and not the speaker.
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
#: Tags of a verb that, alone at the head of a sentence, has the speaker as its understood subject
#: ("Moved to Toronto", "Born in Manila", "Doing well"); an imperative has the base form.
_DROPPED_SUBJECT_TAGS = frozenset({"VBD", "VBN", "VBG"})
_PAST_TAGS = frozenset({"VBD"})
_FUTURE = frozenset({"going", "gonna"})
#: Verbs whose "of" or "about" complement is only being turned over ("I'm thinking of learning Spanish").
_MULLING = frozenset({"think", "talk", "dream", "wonder", "worry"})
#: Words of interest in what one does not do yet ("interested in learning", "keen on moving").
_INTERESTED = frozenset({"interested", "keen", "eager", "curious", "open", "excited", "ready"})
#: Words that open a clause of when something happens ("while I'm in Kyoto"): it tells an occasion, not a
#: state of the speaker's.
_WHEN = frozenset({"while", "when", "whenever", "before", "after", "until", "once"})


@dataclass(frozen=True)
class Reading:
    """How a clause states what it states."""

    hedged: bool = False
    negated: bool = False


def is_question(token: Token) -> bool:
    """The token's sentence asks rather than tells."""
    return bool(token.sent.text.rstrip().endswith("?"))


def _own_subject(token: Token) -> bool:
    return bool(_subjects(token))


def path_up(token: Token) -> Iterator[tuple[Token, str | None]]:
    """The token and the words above it within its clause and the clauses it completes, each with the
    link it was reached by (None for the token itself)."""
    link = None
    while True:
        yield token, link
        dep = token.dep_
        if token.head.i == token.i or not (
            dep in _VALUE_LINKS or dep in _COMPLEMENT_LINKS or (dep == "conj" and not _own_subject(token))
        ):
            return
        token, link = token.head, dep


def said_of_the_addressee(noun: Token) -> bool:
    """The noun is what "you" is ("you are my partner", "you're my best friend")."""
    return noun.dep_ == "attr" and any(c.dep_ == "nsubj" and c.lower_ in SECOND_PERSON for c in noun.head.children)


def has_speaker_subject(verb: Token) -> bool:
    """The speaker is the subject of `verb`, of a verb it completes or is joined to ("I work and live",
    "I love to bake"), of the clause a subjectless one qualifies ("I'm picky, eating organic only"), one
    of a coordinated subject ("me and my girlfriend got engaged"), or understood ("Moved to Toronto")."""
    clause = verb
    while True:
        top = clause
        for top, _ in path_up(clause):
            subjects = _subjects(top)
            if subjects:
                return any(_speaker(subject) for subject in subjects)
        if top.dep_ != "advcl" or top.head.i == top.i:
            return _dropped_subject(top) and not is_question(top)
        clause = top.head


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, those the parse hung on its auxiliary included ("who's getting married")."""
    heads = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]
    return [c for head in heads for c in head.children if c.dep_ in _SUBJECTS]


def _dropped_subject(verb: Token) -> bool:
    """A verb alone at the head of a sentence whose understood subject is the speaker."""
    return bool(verb.dep_ == "ROOT" and verb.tag_ in _DROPPED_SUBJECT_TAGS)


def _speaker(subject: Token) -> bool:
    return subject.lower_ in FIRST_PERSON or any(
        c.dep_ == "conj" and c.lower_ in FIRST_PERSON for c in subject.children
    )


def reading(token: Token, lemma: Lemma) -> Reading | None:
    """How the clause of `token` (its verb, or the word a copula links) states it: None when it is not a
    fact that holds now (a question, a wish, a condition, a future, a state that ended)."""
    if is_question(token):
        return None
    hedged = negated = False
    clauses = 0  # clause links crossed: a negation above them is another clause's
    completing = False  # on the way up from a complement: "to be a nurse", "of learning Spanish"
    for node, link in path_up(token):
        completing = completing or link in _COMPLEMENT_LINKS or link == "pcomp"
        if completing and node.lower_ in _INTERESTED:
            return None  # "I'm interested in learning Tibetan"
        if completing and node.tag_.startswith("VB") and node.i != token.i:
            clauses += 1
            if lemma(node) in WISH_VERBS | _MULLING or node.lower_ in _FUTURE:
                return None
            completing = False
        for child in node.children:
            word = child.lower_
            if child.dep_ in {"mark", "advmod"} and word in CONDITIONS:
                return None
            if child.dep_ in {"mark", "advmod"} and word in _WHEN and node.dep_ in {"advcl", "relcl"}:
                return None
            if child.dep_ in {"aux", "auxpass"} and (word in UNREAL_AUXILIARIES or word in _FUTURE):
                return None
            if word in ELSEWHEN:
                return None
            if child.dep_ == "neg" and clauses == 0:
                negated = True
            if word in HEDGES and child.dep_ in {"advmod", "nsubj", "parataxis", "ccomp", "intj"}:
                hedged = True
        if link in _COMPLEMENT_LINKS and lemma(node) in {"think", "guess", "suppose"} and _own_subject(node):
            hedged = True
    verb = _clause_verb(token)
    if _ended(verb, lemma) or _purpose(verb):
        return None
    return Reading(hedged=hedged, negated=negated)


def _clause_verb(token: Token) -> Token:
    """The verb of the token's clause (the token itself when it is one)."""
    verb = token
    for node, _ in path_up(token):
        verb = node
        if node.tag_.startswith("VB"):
            break
    return verb


def _purpose(verb: Token) -> bool:
    """The clause of `verb` says what something is for ("I don't need glasses to enjoy an eclipse"): an aim,
    not a state of the speaker's."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _ended(verb: Token, lemma: Lemma) -> bool:
    """The clause of `verb` tells in the past tense a state that does not still hold ("I lived in", "I was
    a", "I worked at", "I was living"), unlike a change that lasts ("I moved to", "I got married", "I was
    born in")."""
    if lemma(verb) in LASTING_CHANGES:
        return False
    past_auxiliary = any(c.dep_ in {"aux", "auxpass"} and c.tag_ in _PAST_TAGS for c in verb.children)
    return verb.tag_ in _PAST_TAGS or past_auxiliary


#: Tags of words that carry content: a thing, a name, a number ("my commute is 40 minutes").
_CONTENT_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD"})
#: Entity labels of words that only place a statement in time ("today", "this morning").
_WHEN_LABELS = frozenset({"DATE", "TIME"})
_POSSESSIVES = {FIRST_PERSON: frozenset({"my", "our"}), SECOND_PERSON: frozenset({"your"})}


def tells_of(doc: Any, person: frozenset[str] = FIRST_PERSON) -> bool:
    """Some sentence of the parsed message tells something of `person` (the speaker by default): not a
    question, a verb whose subject is that person or theirs ("I", "my commute"), and a thing, a name or a
    number in what it says beyond when ("I bought a $12 mug", "my commute is 40 minutes", "I used to swim
    in college"). A wish or a past state counts: what one wanted or did is something a question may ask
    about. A feeling ("I'm so tired today"), an acknowledgement ("I see", "I agree") and a request with
    no one in it ("write a title for this") tell nothing."""
    possessives = _POSSESSIVES.get(person, frozenset())
    for sentence in doc.sents:
        if sentence.text.rstrip().endswith("?"):
            continue
        for verb in sentence:
            if not verb.tag_.startswith("VB"):
                continue
            subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
            dropped = not subjects and person is FIRST_PERSON and _dropped_subject(verb)  # "Went to the dentist"
            if not dropped and not any(
                s.lower_ in person or possessives & {c.lower_ for c in s.children} for s in subjects
            ):
                continue
            if any(t.tag_ in _CONTENT_TAGS and t.ent_type_ not in _WHEN_LABELS for t in verb.subtree if t.i != verb.i):
                return True
    return False
