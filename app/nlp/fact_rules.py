"""The facts a message states about its speaker, read from the dependency parse.

Three shapes of English carry nearly all of them, and each has its rules here:
- what the speaker *is* ("I am a nurse / vegan / married / 34 / Tom / from Porto / in the army");
- what the speaker *does or has* ("I live in", "I work at", "I study", "I speak", "I have two dogs",
  "I love hiking", "I hate Mondays");
- what is the speaker's ("my name is", "my birthday is", "my sister Emma", "my dog Biscuit", "my favorite
  food is", "my house in Denver").
Each fact is read only from a clause that states it as holding now (`app.nlp.statements`), save that a
relative or a pet the speaker calls theirs ("my sister") exists whatever the clause says of them; its value
is the thing itself (`app.nlp.phrases`). The words each rule knows are vocabulary (`app.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.nlp.found import Found, distinct, readable
from app.nlp.own_words import others_words
from app.nlp.phrases import activity_value, noun_value
from app.nlp.relations import relation_of, relative_of_mine
from app.nlp.statements import Lemma, Reading, has_speaker_subject, is_question, reading, said_of_the_addressee
from app.nlp.tokens import (
    beside,
    is_job,
    is_place,
    modifiers,
    names_any,
    other_side,
    particular,
    parts,
    past_light,
    place_value,
    preps,
    relative_object,
    subtree_text,
)
from app.nlp.work_and_study import having, my_work, studying, union, where, working
from app.vocabulary.facts import DWELLINGS, LANGUAGE_NOUNS, ROLE_NOUNS
from app.vocabulary.people import (
    DIETS,
    LANGUAGES,
    LINES_OF_WORK,
    SCHOOLS,
    STATUSES,
    WORK_STATES,
)

Token = Any

_LIKE = frozenset({"love", "like", "enjoy", "adore", "fancy"})
_DISLIKE = frozenset({"hate", "dislike", "detest", "despise", "loathe", "abhor"})
_PLACE_VERBS = {"live": ("lives_in", ("in", "on")), "reside": ("lives_in", ("in",)), "move": ("lives_in", ("to",))}
_PLACE_VERBS |= {"relocate": ("lives_in", ("to",)), "settle": ("lives_in", ("in",)), "come": ("from", ("from",))}
_PLACE_VERBS |= {"grow": ("from", ("in", "from")), "raise": ("from", ("in",)), "bear": ("from", ("in",))}
_HAVE = frozenset({"have", "own", "adopt", "get", "foster", "rescue"})
_STUDENT_RANKS = frozenset({"student", "senior", "junior", "freshman", "sophomore", "major", "graduate", "grad"})
_UNITS = frozenset({"ft", "feet", "foot", "inches", "lbs", "pounds", "kg", "cm", "miles", "percent", "%", "times"})
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUMBER_WORDS = {word: str(n) for n, word in enumerate(_NUMBERS)}
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})
_ADJECTIVE_ENDINGS = ("ed", "ing", "ous", "ful", "ive", "able", "ible", "ic", "less", "ish", "ent", "ant")


class FactRules:
    """The rules over one parsed message; `lemma` reads a token's lemma, `adjectives` are the words the
    lexicon knows as adjectives or adverbs (a word of those is no one's name), `nouns` those it knows as
    nouns (a thing, unless written as a name)."""

    def __init__(self, lemma: Lemma, adjectives: frozenset[str], nouns: frozenset[str]) -> None:
        self.lemma = lemma
        self.adjectives = adjectives
        self.nouns = nouns

    def read(self, doc: Any) -> list[Found]:
        found: list[Found] = []
        quoted = others_words(doc)
        for token in doc:
            if token.i in quoted:
                continue
            for rule in self._rules_for(token):
                found += rule(token)
        return distinct([f for f in found if readable(f)])

    def _rules_for(self, token: Token) -> list[Callable[[Token], list[Found]]]:
        if token.lower_ in {"my", "our"} and token.dep_ == "poss":
            return [self._mine]
        if token.lower_ in {"name", "names"} and not any(c.dep_ == "poss" for c in token.children):
            return [self._name_said]  # "hi, names barbra"
        if token.lower_ == "here":
            return [self._here]
        if token.lower_ == "call" and any(c.dep_ == "dobj" and c.lower_ == "me" for c in token.children):
            return [self._call_me]
        # A participle that only describes a noun ("my retired teacher classmate") is no clause of its own.
        if token.tag_.startswith("VB") and token.dep_ != "amod" and has_speaker_subject(token):
            return [self._being] if self.lemma(token) == "be" else [self._doing]
        return []

    # --- what the speaker is ---

    def _being(self, verb: Token) -> list[Found]:
        found: list[Found] = []
        for part in verb.children:
            if part.dep_ in {"attr", "acomp", "oprd"}:
                found += self._is(part)
            elif part.dep_ == "prep":
                found += self._is_at(verb, part)
        return found

    def _is(self, word: Token) -> list[Found]:
        said = reading(word, self.lemma)
        if said is None or said.negated:
            return []
        lower, hedged = word.lower_, said.hedged
        if (age := self._age(word)) is not None:
            return [Found("age", age, hedged)]
        if lower in DIETS:
            return [Found("diet", lower, hedged)]
        if lower in STATUSES:
            return [Found("relationship_status", STATUSES[lower], hedged)]
        if lower in WORK_STATES:
            return [Found("job", lower, hedged)]
        found = [Found("relationship_status", STATUSES[c.lower_], hedged) for c in modifiers(word, STATUSES)]
        if word.tag_.startswith("NN"):
            found += self._is_someone(word, said)
        elif self._is_name(word):
            found.append(Found("name", word.text, hedged))
        return found

    def _is_someone(self, noun: Token, said: Reading) -> list[Found]:
        value = noun_value(noun)
        if value is None:
            return []
        if noun.lower_ in _STUDENT_RANKS:
            field = [c for c in noun.children if c.dep_ in {"compound", "amod"} and c.lower_ not in _STUDENT_RANKS]
            found = [Found("studies", field[-1].text, said.hedged)] if field else []
            return found + where(noun, "studies", said, {"at", "in", "of"})
        if is_job(noun):
            return [Found("job", value, said.hedged), *where(noun, "works_at", said, {"at", "for", "with", "in"})]
        if self._is_name(noun):
            return [Found("name", noun.text, said.hedged)]
        return []

    def _is_at(self, verb: Token, prep: Token) -> list[Found]:
        place = next((c for c in prep.children if c.dep_ == "pobj"), None)
        said = reading(verb, self.lemma)
        if place is None or said is None or said.negated or (value := noun_value(place)) is None:
            return []
        if prep.lower_ == "from":
            return [Found("from", value, said.hedged)]
        if prep.lower_ == "in" and names_any(value, LINES_OF_WORK):
            return [Found("job", value, said.hedged)]
        if prep.lower_ in {"in", "at"} and names_any(value, SCHOOLS):
            return [Found("studies", value, said.hedged)]
        if prep.lower_ == "in" and place.lower_ in LANGUAGES and any(c.lower_ == "fluent" for c in verb.children):
            return [Found("speaks", value, said.hedged)]
        if prep.lower_ == "in" and is_place(place) and (where := place_value(place)):
            return [Found("lives_in", where, said.hedged)]  # "in the city of Oakdale": Oakdale
        return []

    def _age(self, word: Token) -> str | None:
        number = word if word.like_num else None
        if word.lower_ == "old":  # "34 years old"
            years = next((c for c in word.children if c.dep_ == "npadvmod"), None)
            number = next((c for c in years.children if c.like_num), None) if years is not None else None
        after = beside(number, 1) if number is not None else None
        if number is None or (after is not None and after.lower_ in _UNITS) or "of" in preps(number):
            return None  # "5 ft", "there are 5 of us"
        if number.lower_ in _NUMBER_WORDS and word.lower_ != "old":
            return None  # "I'm the one who...": a number word is an age only as "... years old"
        value = _NUMBER_WORDS.get(number.lower_, number.text)
        return value if value.isdigit() and 0 < int(value) < 120 else None

    def _is_name(self, word: Token) -> bool:
        """A word after "I am" that can only be a name: no determiner, not a word the lexicon knows as an
        adjective or adverb, tagged a proper noun or an adjective it does not know."""
        if any(c.dep_ in {"det", "poss", "amod", "compound"} for c in word.children) or not word.is_alpha:
            return False
        if word.lower_ in self.adjectives or len(word) < 2:
            return False
        if word.ent_type_ == "PERSON" or word.tag_ in {"NNP", "NNPS"}:
            return True
        # An adjective the lexicon does not know ("arnold" tagged so in lower case), if not built as one.
        return word.tag_ == "JJ" and not word.lower_.endswith(_ADJECTIVE_ENDINGS)

    # --- what the speaker does or has ---

    def _doing(self, verb: Token) -> list[Found]:
        lemma = self.lemma(verb)
        said = reading(verb, self.lemma)
        if said is None:
            return []
        if lemma in _LIKE | _DISLIKE or (lemma == "stand" and said.negated):
            return self._liking(verb, lemma, said)
        if said.negated:
            return []
        at = preps(verb)
        objects = [c for c in verb.children if c.dep_ in {"dobj", "attr", "acomp", "oprd"}]
        hedged = said.hedged
        if lemma in _PLACE_VERBS:
            predicate, words = _PLACE_VERBS[lemma]
            if predicate == "lives_in" and lemma != "live" and verb.tag_ == "VBG":
                return []  # "I'm moving to Melbourne in August": a plan, not yet where one lives
            if lemma == "bear" and (date := at.get("on")) is not None:
                return [Found("birthday", subtree_text(date), hedged)]
            places = [p for w in words if (p := at.get(w)) is not None and is_place(p)]
            if any(c.lower_ == "where" for c in verb.children):  # "Pittsburgh, where I live"
                places += [p for p in relative_object(verb) if is_place(p)]
            return [Found(predicate, v, hedged) for p in places[:1] if (v := place_value(p))]
        if lemma == "work" or (lemma in {"earn", "make", "volunteer"} and "as" in at):
            return working(at, hedged)
        if lemma in {"study", "learn", "attend", "major", "take", "go"}:
            return studying(lemma, objects, at, hedged)
        if lemma == "speak":
            # Only a language: "speaking of my sneakers" speaks of them.
            languages = [t for o in objects for t in parts(o) if t.lower_ in LANGUAGES]
            return [Found("speaks", v, hedged) for t in languages if (v := noun_value(t))]
        if lemma == "teach":  # "I teach high school chemistry": a chemistry teacher
            subject = next((v.split()[-1] for o in objects if (v := noun_value(o))), None)
            return [Found("job", f"{subject} teacher" if subject else "teacher", hedged)]
        if lemma in {"marry", "divorce", "engage"} or (lemma == "get" and objects):
            return union(lemma, objects, hedged)
        if lemma == "retire":
            return [Found("job", "retired", hedged)]
        if lemma in {"become", "turn", "go", "eat", "start"}:
            return self._becoming(verb, lemma, objects, hedged)
        if lemma in _HAVE:
            things = [p for o in objects for p in parts(o)] or relative_object(verb)
            return [f for t in things for f in having(t, hedged)]
        return []

    def _liking(self, verb: Token, lemma: str, said: Reading) -> list[Found]:
        if verb.tag_ == "VBG":  # "I've been enjoying", "I'm loving": this, now, not a standing taste
            return []
        dislike = lemma in _DISLIKE or lemma == "stand" or (lemma in _LIKE and said.negated)
        predicate = "dislikes" if dislike else "likes"
        things = [c for c in verb.children if c.dep_ == "dobj" or (c.dep_ == "xcomp" and c.tag_.startswith("VB"))]
        if any(t.lower_ in _RELATIVE_PRONOUNS for t in things):  # "a career that I hate": the career
            things = relative_object(verb)
        values = []
        for thing in [past_light(t) for t in things]:
            if not thing.tag_.startswith("VB") and particular(thing):
                continue  # "I like those prompts and questions": the particular ones, all of them
            for part in parts(thing):
                values.append(activity_value(part) if part.tag_.startswith("VB") else noun_value(part))
        return [Found(predicate, v, said.hedged) for v in values if v]

    def _becoming(self, verb: Token, lemma: str, objects: list[Token], hedged: bool) -> list[Found]:
        found = []
        only = any(t.lower_ == "only" for t in verb.subtree)
        for thing in objects + [c for c in verb.children if c.dep_ == "xcomp"]:
            words = {thing.lower_, *(c.lower_ for c in thing.children if c.dep_ in {"amod", "compound", "attr"})}
            diet = next((w for w in sorted(words) if w in DIETS), None)
            if diet and (lemma != "eat" or only):
                found.append(Found("diet", diet, hedged))
            elif lemma == "turn" and (age := self._age(thing)) is not None:
                found.append(Found("age", age, hedged))
        return found

    # --- what is the speaker's ---

    def _mine(self, my: Token) -> list[Found]:
        owned = my.head
        if relation_of(owned) is not None or any(relation_of(c) for c in owned.children if c.dep_ == "compound"):
            if said_of_the_addressee(owned):
                return []  # "You are my partner in evaluating applications": the assistant
            return relative_of_mine(owned)  # "my sister" is so whatever the clause says of her
        said = reading(owned, self.lemma)
        if said is None or said.negated:
            return []
        lower, hedged = owned.lower_, said.hedged
        other = other_side(owned)
        if lower in {"name", "names"} and other is not None:  # not "my business name", "my last name"
            if any(c.dep_ in {"compound", "amod"} for c in owned.children) or not other.is_alpha:
                return []
            return [Found("name", noun_value(other) or other.text, hedged)]  # "Samuel Gordalina"
        if lower in {"birthday", "bday"}:
            date = other if other is not None else preps(owned.head).get("in") or preps(owned.head).get("on")
            return [Found("birthday", subtree_text(date), hedged)] if date is not None else []
        if other is not None and (lower in {"favorite", "favourite"} or modifiers(owned, {"favorite", "favourite"})):
            return [Found("likes", v, hedged)] if (v := noun_value(other)) else []
        if lower == "hometown" and other is not None:
            return [Found("from", v, hedged)] if (v := noun_value(other)) else []
        if lower in LANGUAGE_NOUNS and other is not None and other.lower_ in LANGUAGES:
            return [Found("speaks", other.text, hedged)]
        if lower in ROLE_NOUNS:
            return my_work(owned, other, hedged)
        if lower in DWELLINGS and (place := preps(owned).get("in")) is not None and is_place(place):
            return [Found("lives_in", v, hedged)] if (v := place_value(place)) else []
        return []

    def _name_said(self, name: Token) -> list[Found]:
        """ "hi, names barbra": a name introduced without "my"."""
        named = name.head
        if name.dep_ != "compound" or named.i != name.i + 1 or not named.is_alpha:
            return []
        if any(c.dep_ == "det" for c in named.children):
            return []  # "the name Rain": a name talked about
        # Not "name resolution": a thing the lexicon knows, unless written as a name.
        if named.tag_ in {"NNP", "NNPS"} or named.ent_type_ == "PERSON" or named.lower_ not in self.nouns:
            said = reading(named, self.lemma)
            return [Found("name", named.text, said.hedged)] if said is not None else []
        return []

    def _call_me(self, call: Token) -> list[Found]:
        """ "call me Sam": the name the speaker goes by."""
        name = next((c for c in call.children if c.dep_ in {"oprd", "xcomp", "attr", "npadvmod"}), None)
        if name is None or not name.is_alpha or is_question(call):
            return []
        return [Found("name", name.text)]

    def _here(self, here: Token) -> list[Found]:
        """ "it is so windy here in Chicago": where the speaker is, told in passing."""
        after = beside(here, 1)
        place = preps(here).get("in")
        if place is None and after is not None and after.lower_ == "in":  # the parse hung "in" elsewhere
            place = next((c for c in after.children if c.dep_ == "pobj"), None)
        if place is None or not is_place(place) or reading(here, self.lemma) is None:
            return []
        return [Found("lives_in", v)] if (v := place_value(place)) else []
