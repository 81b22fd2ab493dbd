"""Entities and facts from one message, with spaCy: named entities, the dependency parse and Matcher
patterns. No LLM. The subject of a fact is the user (`self`) unless it names another entity.

Facts carry a modality: `direct` (the user says it), `hedged` (the user hedges: "I think I might move"),
or `inferred` (the companion's guess: "you seem like a writer"). Confidence is set from it later.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from app.vocabulary.chat import COMMITMENTS
from app.vocabulary.facts import FROM_VERBS, LIVE_VERBS, WORK_VERBS
from app.vocabulary.patterns import any_of
from app.vocabulary.people import DIETS, FAMILY, JOBS, PETS, STATUSES

Modality = Literal["direct", "hedged", "inferred"]

SELF_KEY = "self"


_NAME = re.compile(r"\b(?i:my name(?:'s| is)|call me)\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)")
_AGE = re.compile(r"\bI(?:'m| am)\s+(\d{1,3})\s*(?:years? old|yo|y/o)\b|\bI just turned\s+(\d{1,3})\b", re.I)
_BIRTHDAY = re.compile(r"\bmy birthday(?:'s| is)\s+(?:on\s+)?([^.!?,;]+)", re.I)
_DIET = re.compile(rf"\bI(?:'m| am)\s+(?:now\s+|fully\s+|a\s+|an\s+|strictly\s+)*({DIETS})\b", re.I)
_DIET_BECAME = re.compile(rf"\bI(?:'ve| have)?\s*(?:become|went|gone|turned)\s+({DIETS})\b", re.I)
_STATUS = re.compile(rf"\bI(?:'m| am)\s+(?:now\s+|getting\s+)?({STATUSES})\b", re.I)
_JOB = re.compile(
    r"\b(?:I(?:'m| am)|I work(?: [^.,;]{0,30})? as|my job is|I've been working as)\s+(?:a|an)?\s*"
    r"([a-z]+(?: [a-z]+)?)",
    re.I,
)
_INFERRED_JOB = re.compile(
    r"\byou (?:seem|sound|must be|look|might be|could be)(?: like)?\s+(?:a|an)\s+([a-z]+(?: [a-z]+)?)", re.I
)
_LIKE = re.compile(
    r"\bI\s+(?:really\s+|absolutely\s+|just\s+|totally\s+|also\s+)?(love|like|enjoy|adore|hate|dislike|detest|"
    r"can't stand|cannot stand|don't like|do not like)\s+([^.!?;]+)",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:I think|maybe|might|perhaps|probably|possibly|I guess|not sure|thinking about|"
    r"considering|may)\b",
    re.I,
)
_COMMITMENT = any_of(COMMITMENTS)

#: Penn Treebank tags, read instead of universal POS: `load_spacy` leaves out the attribute ruler that maps
#: one to the other, which costs time on every message.
_PROPER_NOUN_TAGS = ["NNP", "NNPS"]
_VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"}

_DISLIKE = {"hate", "dislike", "detest", "can't stand", "cannot stand", "don't like", "do not like"}
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


def entity_key(name: str) -> str:
    """Normalised entity identity: lower case, single spaces, no surrounding punctuation."""
    return re.sub(r"\s+", " ", name.strip(" .,!?;:'\"").lower())


def _clean_value(text: str, max_words: int = 6) -> str:
    words = text.strip(" .,!?;:'\"").split()
    # A value ends where a new clause starts.
    for i, word in enumerate(words):
        if word.lower() in {
            "and",
            "but",
            "because",
            "since",
            "so",
            "when",
            "which",
            "who",
            "though",
            "although",
        }:
            words = words[:i]
            break
    return " ".join(words[:max_words]).strip(" .,!?;:'\"")


def _span_text(token: Any) -> str:
    """The noun phrase headed by a token: its compounds and proper-noun neighbours, no determiners."""
    left = [t for t in token.lefts if t.dep_ in {"compound", "amod", "nmod"} or t.tag_ in _PROPER_NOUN_TAGS]
    words = [*left, token]
    words += [
        t for t in token.rights if t.dep_ in {"compound", "flat"} or (t.tag_ in _PROPER_NOUN_TAGS and t.dep_ != "conj")
    ]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _name_candidates(doc: Any) -> list[str]:
    """Words and word pairs that could be the name of an entity the user already has."""
    words = [t for t in doc if t.is_alpha and not t.is_stop and len(t) > 1]
    keys = {entity_key(t.text) for t in words}
    keys |= {entity_key(f"{a.text} {b.text}") for a, b in itertools.pairwise(words) if b.i == a.i + 1}
    return sorted(keys)


def _subject_is_user(verb: Any) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"i", "we"} for c in verb.children)


def _prep_objects(verb: Any, preps: set[str]) -> list[Any]:
    # "moved back to Seattle", "moved out to Tokyo": the preposition may hang off an adverb or particle.
    heads = [verb, *(c for c in verb.children if c.dep_ in {"advmod", "prt"})]
    found = []
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                found += [g for g in child.children if g.dep_ == "pobj"]
    return found


class Extractor:
    """Runs the extraction rules on spaCy `Doc`s; build once per process (it compiles the Matcher)."""

    def __init__(self, nlp: Any) -> None:
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        relation_words = sorted({w for w in FAMILY if " " not in w})
        self.matcher.add(
            "FAMILY_NAMED",
            [
                [
                    {"LOWER": "my"},
                    {"LOWER": {"IN": relation_words}},
                    {"IS_PUNCT": True, "OP": "?"},
                    {"TAG": {"IN": _PROPER_NOUN_TAGS}, "OP": "+"},
                ],
                [
                    {"LOWER": "my"},
                    {"LOWER": {"IN": relation_words}},
                    {"LOWER": "'s"},
                    {"LOWER": "name"},
                    {"LOWER": "is"},
                    {"TAG": {"IN": _PROPER_NOUN_TAGS}, "OP": "+"},
                ],
            ],
            greedy="LONGEST",
        )
        pets = sorted({w for w in PETS if " " not in w})
        self.matcher.add(
            "PET_NAMED",
            [
                [
                    {"LOWER": "my"},
                    {"LOWER": {"IN": pets}},
                    {"IS_PUNCT": True, "OP": "?"},
                    {"IS_TITLE": True, "OP": "+"},
                ],
                [
                    {"LOWER": "my"},
                    {"LOWER": {"IN": pets}},
                    {"LOWER": "'s"},
                    {"LOWER": "name"},
                    {"LOWER": "is"},
                    {"IS_TITLE": True, "OP": "+"},
                ],
                [
                    {"LOWER": {"IN": ["a", "my"]}},
                    {"LOWER": {"IN": pets}},
                    {"LOWER": {"IN": ["named", "called"]}},
                    {"IS_TITLE": True, "OP": "+"},
                ],
            ],
            greedy="LONGEST",
        )
        self.matcher.add("ALIAS", [[{"LOWER": "my"}, {"LOWER": {"IN": relation_words + pets}}]])
        # Every pattern starts with "my <relation or pet>" or "a <pet>": a message without either skips the
        # Matcher, which costs time on every message and finds nothing in most of them.
        self._may_match = re.compile(
            rf"\b(?:my|a)\s+(?:{'|'.join(map(re.escape, relation_words + pets))})\b", re.IGNORECASE
        )
        # `load_spacy` loads the lemmatizer switched off; the few verbs extraction reads get its rules here.
        self._rule_lemma = nlp.get_pipe("lemmatizer").rule_lemmatize if "lemmatizer" in nlp.disabled else None

    def lemma(self, token: Any) -> str:
        """The token's lemma in lower case, from the lemmatizer's rules when it did not run over the doc."""
        if self._rule_lemma is None or token.lemma_:
            return str(token.lemma_).lower()
        if not token.pos_ and token.tag_ in _VERB_TAGS:
            token.pos_ = "VERB"  # the rules are chosen by POS, which the attribute ruler did not set
        return str(self._rule_lemma(token)[0]).lower()

    def extract(self, doc: Any, role: str) -> Extraction:
        """Entities and facts of one parsed message. Companion messages yield only inferred facts."""
        text = doc.text
        result = Extraction(
            has_date=any(e.label_ in {"DATE", "TIME"} for e in doc.ents),
            has_person=any(e.label_ == "PERSON" for e in doc.ents),
            has_commitment=bool(_COMMITMENT.search(text)),
            name_candidates=_name_candidates(doc),
        )
        if role != "user":
            for match in _INFERRED_JOB.finditer(text):
                job = match.group(1).lower()
                if job in JOBS or job.split()[0] in JOBS:
                    result.facts.append(ExtractedFact("job", job if job in JOBS else job.split()[0], "inferred"))
            return result

        hedged = bool(_HEDGE.search(text))
        modality: Modality = "hedged" if hedged else "direct"
        seen: dict[str, ExtractedEntity] = {}

        def add_entity(entity: ExtractedEntity) -> ExtractedEntity:
            previous = seen.get(entity.key)
            if previous is None or (entity.aliases and not previous.aliases) or previous.type == "THING":
                seen[entity.key] = entity
            return seen[entity.key]

        for ent in doc.ents:
            if ent.label_ in _NER_TYPES:
                add_entity(ExtractedEntity(ent.text.strip(), _NER_TYPES[ent.label_]))

        for match_id, start, end in self.matcher(doc) if self._may_match.search(text) else []:
            label = self.nlp.vocab.strings[match_id]
            span = doc[start:end]
            relation = span[1].lower_
            if label == "ALIAS":
                result.alias_mentions.append(f"my {relation}")
                continue
            name = " ".join(
                t.text
                for t in span
                if t.tag_ in _PROPER_NOUN_TAGS
                or (label == "PET_NAMED" and t.is_title and t.i > start + 1 and t.lower_ not in {"my", "a"})
            )
            if not name:
                continue
            if label == "FAMILY_NAMED":
                entity = add_entity(ExtractedEntity(name, "PERSON", (f"my {relation}",)))
                result.facts.append(ExtractedFact(FAMILY[relation], entity.name, modality, object_key=entity.key))
            else:
                entity = add_entity(ExtractedEntity(name, "PET", (f"my {relation}",)))
                result.facts.append(
                    ExtractedFact("has_pet", f"{entity.name} ({relation})", modality, object_key=entity.key)
                )

        self._parse_relations(doc, result, modality, add_entity)
        self._pattern_facts(text, result, modality)
        result.entities = list(seen.values())
        return result

    def _parse_relations(self, doc: Any, result: Extraction, modality: Modality, add_entity: Any) -> None:
        for token in doc:
            if token.tag_ not in _VERB_TAGS or not _subject_is_user(token):
                continue
            lemma = self.lemma(token)
            predicate, preps, kind = None, set(), "PLACE"
            if lemma in LIVE_VERBS:
                predicate, preps = "lives_in", {"in", "to"}
            elif lemma in FROM_VERBS:
                predicate, preps = "from", {"from", "in"} if lemma == "grow" else {"from"}
            elif lemma in WORK_VERBS:
                predicate, preps, kind = "works_at", {"at", "for"}, "ORG"
            if predicate is None:
                continue
            for obj in _prep_objects(token, preps):
                value = _span_text(obj)
                if not value or not (obj.tag_ in _PROPER_NOUN_TAGS or obj.ent_type_):
                    continue
                entity = add_entity(
                    ExtractedEntity(value, kind if not obj.ent_type_ else _NER_TYPES.get(obj.ent_type_, kind))
                )
                result.facts.append(ExtractedFact(predicate, entity.name, modality, object_key=entity.key))
        # "I'm from Lisbon" has no verb of its own: the copula with a `from` preposition.
        for match in re.finditer(
            r"\bI(?:'m| am)\s+(?:originally\s+)?from\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)", doc.text
        ):
            entity = add_entity(ExtractedEntity(match.group(1), "PLACE"))
            result.facts.append(ExtractedFact("from", entity.name, modality, object_key=entity.key))

    @staticmethod
    def _pattern_facts(text: str, result: Extraction, modality: Modality) -> None:
        facts = result.facts
        if match := _NAME.search(text):
            facts.append(ExtractedFact("name", match.group(1).strip(), modality))
        if match := _AGE.search(text):
            facts.append(ExtractedFact("age", match.group(1) or match.group(2), modality))
        if match := _BIRTHDAY.search(text):
            facts.append(ExtractedFact("birthday", _clean_value(match.group(1)), modality))
        if match := (_DIET.search(text) or _DIET_BECAME.search(text)):
            facts.append(ExtractedFact("diet", match.group(1).lower().replace(" ", "-"), modality))
        if match := _STATUS.search(text):
            facts.append(ExtractedFact("relationship_status", match.group(1).lower(), modality))
        for match in _JOB.finditer(text):
            job = match.group(1).lower()
            chosen = job if job in JOBS else job.split()[0]
            if chosen in JOBS:
                facts.append(ExtractedFact("job", chosen, modality))
                break
        for match in _LIKE.finditer(text):
            predicate = "dislikes" if match.group(1).lower() in _DISLIKE else "likes"
            for part in re.split(r",|\band\b|\bor\b", match.group(2)):
                thing = _clean_value(part, max_words=5).lower()
                if thing and thing not in {"it", "that", "this", "you", "them", "to", "when", "how"}:
                    facts.append(ExtractedFact(predicate, thing, modality))
        if result.has_commitment and result.has_date:
            facts.append(ExtractedFact("plan", _clean_value(text, max_words=20), modality))
