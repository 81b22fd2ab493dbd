"""The guard's development data as labelled examples, each with the group it is held out by.

Attacks, role-play and look-alikes come from `../shared/data/guard_dev/guard_dev.jsonl` and
`../shared/data/guard_train/guard_train.jsonl` (other public sources, same kinds). Real turns (the
false-refusal side, all labelled `store`) are every user turn of the LongMemEval dev set and both speakers'
turns of the LoCoMo dev set (`CONVERSATIONS`), and the user's side of `chatterbot-corpus`'s small talk
(short lines to a bot, which neither conversation set has). The classifier is trained on the sets of
`TRAINED_ON` and the conversations; the others are measured only, as sources it never saw (docs/guard.md
says why `guard_train` and small talk are not trained on). The group of an example is what
cross-validation holds out together: a public source whole, so that a figure predicts sources never seen;
the hand-written messages (one source) in five folds by id, LongMemEval turns in five folds by session,
LoCoMo turns by conversation, small talk by topic, since the held-out measurement uses other messages and
conversations of those kinds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from pathlib import Path

from app.settings import PROJECT_ROOT

DATA = PROJECT_ROOT.parent / "shared" / "data"
GUARD_DEV = DATA / "guard_dev" / "guard_dev.jsonl"
GUARD_TRAIN = DATA / "guard_train" / "guard_train.jsonl"
#: The labelled sets, in the order examples are read, and those the classifier learns from.
LABELLED = (GUARD_DEV, GUARD_TRAIN)
TRAINED_ON = (GUARD_DEV,)
LONGMEMEVAL = DATA / "longmemeval_s_dev100.json.gz"
LOCOMO = DATA / "locomo_dev2.json.gz"
REAL = "real_turn"
HANDWRITTEN = "handwritten-dev"
#: Short chat said to a bot, from the package `chatterbot-corpus` (BSD): greetings, thanks, small talk,
#: trivia questions, remarks about the bot.
SMALL_TALK = "chatterbot-corpus"
#: The conversations whose real turns the classifier learns from and the false-refusal figure is over;
#: small talk is measured only, with a figure of its own (docs/guard.md says why it is not trained on).
CONVERSATIONS = ("longmemeval", "locomo")
_TRAINED_COLLECTIONS = frozenset({*(path.stem for path in TRAINED_ON), *CONVERSATIONS})
FOLDS = 5
#: Sources whose groups are folds of one source rather than sources of their own.
_NUMBERED = {HANDWRITTEN, *CONVERSATIONS, SMALL_TALK}


class Label(StrEnum):
    """The verdict an example expects (the classifier's three classes)."""

    STORE = "store"
    EPHEMERAL = "ephemeral"
    REFUSE = "refuse"


LABEL_OF_KIND = {
    "injection": Label.REFUSE,
    "jailbreak": Label.REFUSE,
    "poisoning": Label.REFUSE,
    "ephemeral": Label.EPHEMERAL,
    "benign_lookalike": Label.STORE,
    REAL: Label.STORE,
}


@dataclass(frozen=True)
class Example:
    """One message, what it is, where it comes from, and the group it is held out with."""

    id: str
    text: str
    kind: str
    source: str
    group: str
    #: The file or conversation set it comes from (`guard_dev`, `guard_train`, `longmemeval`, `locomo`).
    collection: str

    @property
    def trains(self) -> bool:
        """Whether the classifier learns from it (a turn of `CONVERSATIONS`, or a message of a set in
        `TRAINED_ON`)."""
        return self.collection in _TRAINED_COLLECTIONS

    @property
    def label(self) -> Label:
        """The expected verdict."""
        return LABEL_OF_KIND[self.kind]


def _fold(key: str) -> int:
    return int(hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest(), 16) % FOLDS


def labelled(path: Path) -> list[Example]:
    """The labelled attacks, role-play and look-alikes of one set."""
    collection = path.stem
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            source = row["source"].split(":", 1)[0]  # the repository, not its file
            group = f"{source}#{_fold(row['id'])}" if source == HANDWRITTEN else source
            examples.append(Example(row["id"], row["text"], row["kind"], source, group, collection))
    return examples


def real_turns(longmemeval: Path = LONGMEMEVAL, locomo: Path = LOCOMO) -> list[Example]:
    """Every distinct user turn of LongMemEval and every turn of LoCoMo, as real messages to store."""
    seen: set[str] = set()
    examples = []
    with gzip.open(longmemeval, "rt", encoding="utf-8") as handle:
        questions = json.load(handle)
    for question in questions:
        for session_id, session in zip(question["haystack_session_ids"], question["haystack_sessions"], strict=True):
            for index, turn in enumerate(session):
                text = turn["content"]
                if turn["role"] != "user" or text in seen:
                    continue
                seen.add(text)
                group = f"longmemeval#{_fold(session_id)}"
                examples.append(Example(f"{session_id}:{index}", text, REAL, "longmemeval", group, "longmemeval"))
    with gzip.open(locomo, "rt", encoding="utf-8") as handle:
        conversations = json.load(handle)
    for sample in conversations:
        for key, turns in sample["conversation"].items():
            if not key.startswith("session_") or not isinstance(turns, list):
                continue
            for turn in turns:
                group = f"locomo#{sample['sample_id']}"
                example_id = f"{sample['sample_id']}:{turn['dia_id']}"
                examples.append(Example(example_id, turn["text"], REAL, "locomo", group, "locomo"))
    return examples


def small_talk() -> list[Example]:
    """The user's side of every English conversation of `chatterbot-corpus` (its first line, third...),
    each distinct line once, as real messages to store. A topic's file is held out whole: its lines are in
    the fold its name gives."""
    import yaml

    seen: set[str] = set()
    examples: list[Example] = []
    for topic in sorted(files("chatterbot_corpus").joinpath("data", "english").iterdir(), key=lambda t: t.name):
        if not topic.name.endswith(".yml"):
            continue
        group = f"{SMALL_TALK}#{_fold(topic.name)}"
        for conversation in yaml.safe_load(topic.read_text(encoding="utf-8")).get("conversations") or []:
            for line in conversation[0::2]:
                text = str(line).strip()
                if text and text not in seen:
                    seen.add(text)
                    examples.append(Example(f"{topic.name}:{len(examples)}", text, REAL, SMALL_TALK, group, SMALL_TALK))
    return examples


def examples() -> list[Example]:
    """Every development example, attacks first."""
    return [e for path in LABELLED for e in labelled(path)] + real_turns() + small_talk()


def folds(data: list[Example]) -> list[int]:
    """The cross-validation fold (0 to FOLDS-1) of each example. A group is never split: the public
    sources are dealt, largest first, to the fold with the fewest messages so far; the hand-written,
    LongMemEval, LoCoMo and small-talk groups are numbered folds already (`#k`, or the conversations in
    order)."""
    sizes = Counter(e.group for e in data if e.source not in _NUMBERED)
    fold_of: dict[str, int] = {}
    load = [0] * FOLDS
    for group, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        fold = min(range(FOLDS), key=lambda f: (load[f], f))
        fold_of[group] = fold
        load[fold] += size
    conversations = sorted({e.group for e in data if e.source == "locomo"})
    fold_of.update({group: i % FOLDS for i, group in enumerate(conversations)})
    fold_of.update({e.group: int(e.group.rsplit("#", 1)[1]) for e in data if e.source in _NUMBERED - {"locomo"}})
    return [fold_of[e.group] for e in data]
