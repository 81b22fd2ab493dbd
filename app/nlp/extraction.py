"""Entities and facts from one message, with spaCy: named entities, and the facts its speaker states about
themselves, read from the dependency parse (`app.nlp.fact_rules`). No LLM. The subject of a fact is the
speaker: the user (`self`), or the person a message says spoke it (`speaker`, in a log of two people).

Facts carry a modality: `direct` (the speaker says it), `hedged` (the speaker hedges: "I think I'm
allergic"), or `inferred` (the companion's guess: "you seem like a writer"). Confidence is set from it
later; only direct facts become current.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from app.nlp.fact_rules import FactRules
from app.nlp.found import Found
from app.nlp.statements import FIRST_PERSON, SECOND_PERSON, tells_of
from app.vocabulary.chat import COMMITMENTS
from app.vocabulary.patterns import any_of
from app.vocabulary.people import FAMILY, JOBS, PETS

Modality = Literal["direct", "hedged", "inferred"]

SELF_KEY = "self"


_COMMITMENT = any_of(COMMITMENTS)
_INFERRED_JOB = re.compile(
    r"\byou (?:seem|sound|must be|look|might be|could be)(?: like)?\s+(?:a|an)\s+([a-z]+(?: [a-z]+)?)", re.I
)
#: Penn Treebank tags, read instead of universal POS: `load_spacy` leaves out the attribute ruler that maps
#: one to the other, which costs time on every message.
_VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"}
#: Forms of "be", contracted as chat types them too ("im" is "i" and "m").
_FORMS_OF_BE = frozenset({"am", "'m", "m", "is", "'s", "are", "'re", "re", "was", "were", "be", "been", "being"})
#: The kind of entity a fact's value is, where the fact names one.
_VALUE_TYPES = {"lives_in": "PLACE", "from": "PLACE", "works_at": "ORG"}

_NER_TYPES = {
    "PERSON": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "GROUP",
    "EVENT": "EVENT",
    "WORK_OF_ART": "THING",
    "PRODUCT": "THING",
}


@dataclass(frozen=True)
class ExtractedEntity:
    """A thing the message names; `key` resolves it within the user's graph."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Case- and space-insensitive identity within one user."""
        return entity_key(self.name)


@dataclass(frozen=True)
class ExtractedFact:
    """A claim about a subject: `predicate` with `value`, optionally pointing at an entity."""

    predicate: str
    value: str
    modality: Modality = "direct"
    subject_key: str = SELF_KEY
    object_key: str | None = None


@dataclass
class Extraction:
    """What one message yields."""

    entities: list[ExtractedEntity] = field(default_factory=list)
    facts: list[ExtractedFact] = field(default_factory=list)
    alias_mentions: list[str] = field(default_factory=list)
    name_candidates: list[str] = field(default_factory=list)
    has_date: bool = False
    has_person: bool = False
    has_commitment: bool = False
    #: it tells something of the person it is about (`statements.tells_of`): what a question may ask of
    tells: bool = False

    @property
    def states_facts(self) -> bool:
        """The message states, plainly and now, a fact about its speaker ("I'm a nurse.")."""
        return any(f.modality == "direct" and f.subject_key == SELF_KEY for f in self.facts)


def entity_key(name: str) -> str:
    """Normalised entity identity: lower case, single spaces, no surrounding punctuation."""
    return re.sub(r"\s+", " ", name.strip(" .,!?;:'\"").lower())


def _name_candidates(doc: Any) -> list[str]:
    """Words and word pairs that could be the name of an entity the user already has."""
    words = [t for t in doc if t.is_alpha and not t.is_stop and len(t) > 1]
    keys = {entity_key(t.text) for t in words}
    keys |= {entity_key(f"{a.text} {b.text}") for a, b in itertools.pairwise(words) if b.i == a.i + 1}
    return sorted(keys)


def _alias_mentions(doc: Any) -> list[str]:
    """How the message names people and pets by their relation to the speaker ("my sister", "my dog")."""
    relations = FAMILY.keys() | PETS
    return sorted(
        {f"my {t.lower_}" for t in doc if t.lower_ in relations and any(c.lower_ == "my" for c in t.children)}
    )


class Extractor:
    """Runs the extraction on spaCy `Doc`s; build once per process."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        # `load_spacy` loads the lemmatizer switched off; the few verbs extraction reads get its rules here.
        lemmatizer = nlp.get_pipe("lemmatizer")
        self._rule_lemma = lemmatizer.rule_lemmatize if "lemmatizer" in nlp.disabled else None
        # The lexicon's adjectives and adverbs (a word of those after "I am" is no one's name), and nouns.
        index = lemmatizer.lookups.get_table("lemma_index")
        adjectives = frozenset(index.get("adj", [])) | frozenset(index.get("adv", []))
        self.rules = FactRules(self.lemma, adjectives, frozenset(index.get("noun", [])))

    def lemma(self, token: Any) -> str:
        """The token's lemma in lower case, from the lemmatizer's rules when it did not run over the doc."""
        if token.lower_ in _FORMS_OF_BE:
            return "be"
        if token.tag_ not in _VERB_TAGS:
            return str(token.lower_)  # only verbs' lemmas are read
        if self._rule_lemma is None or token.lemma_:
            return str(token.lemma_).lower()
        if not token.pos_:
            token.pos_ = "VERB"  # the rules are chosen by POS, which the attribute ruler did not set
        return str(self._rule_lemma(token)[0]).lower()

    def extract(self, doc: Any, role: str, speaker: str | None = None) -> Extraction:
        """Entities and facts of one parsed message. Companion messages yield only inferred facts; a
        message a named `speaker` spoke (not the user) yields that person's facts, not the user's."""
        text = doc.text
        result = Extraction(
            has_date=any(e.label_ in {"DATE", "TIME"} for e in doc.ents),
            has_person=any(e.label_ == "PERSON" for e in doc.ents),
            has_commitment=bool(_COMMITMENT.search(text)),
            name_candidates=_name_candidates(doc),
            tells=tells_of(doc, FIRST_PERSON if role == "user" else SECOND_PERSON),
        )
        if role != "user":
            for match in _INFERRED_JOB.finditer(text):
                job = match.group(1).lower()
                if job in JOBS or job.split()[0] in JOBS:
                    result.facts.append(ExtractedFact("job", job if job in JOBS else job.split()[0], "inferred"))
            return result

        seen: dict[str, ExtractedEntity] = {}

        def add_entity(entity: ExtractedEntity) -> ExtractedEntity:
            previous = seen.get(entity.key)
            if previous is None or (entity.aliases and not previous.aliases) or previous.type == "THING":
                seen[entity.key] = entity
            return seen[entity.key]

        for ent in doc.ents:
            if ent.label_ in _NER_TYPES:
                add_entity(ExtractedEntity(ent.text.strip(), _NER_TYPES[ent.label_]))
        subject = SELF_KEY
        if speaker is not None:
            subject = add_entity(ExtractedEntity(speaker, "PERSON")).key
        result.alias_mentions = _alias_mentions(doc) if speaker is None else []
        for found in self.rules.read(doc):
            result.facts.append(self._fact(found, subject, add_entity))
        result.entities = list(seen.values())
        return result

    @staticmethod
    def _fact(found: Found, subject: str, add_entity: Any) -> ExtractedFact:
        """The fact, with the entity its value names: a relative or pet by name, a place, a workplace."""
        modality: Modality = "hedged" if found.hedged else "direct"
        entity = None
        if found.name is not None:
            kind = "PET" if found.predicate == "has_pet" else "PERSON"
            alias = (f"my {found.relation}",) if subject == SELF_KEY and found.relation else ()
            entity = add_entity(ExtractedEntity(found.name, kind, alias))
        elif found.predicate in _VALUE_TYPES:
            entity = add_entity(ExtractedEntity(found.value, _VALUE_TYPES[found.predicate]))
        return ExtractedFact(found.predicate, found.value, modality, subject, entity.key if entity else None)
