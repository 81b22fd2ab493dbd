"""The embedding model run by ONNX Runtime: in float32 the same vectors as sentence-transformers' torch
forward pass, faster in batches and on one query; with int8 weights (`quantise`) about twice that again
(docs/decisions/0001-onnx-int8-embedding.md).

The whole sentence-transformers pipeline (transformer, pooling, normalisation) is exported once per model
and library versions with torch's exporter into `model_cache_dir`, from the weights already on this
machine: nothing is downloaded. sentence-transformers' own ONNX backend needs `optimum`, whose releases
pin transformers below 4.58 (this project locks 5.x), so the export and the session are done here.
Tokenisation stays sentence-transformers' own (`preprocess`), so truncation and special tokens match.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
import torch

from app.nlp.onnx_session import cpu_session

log = logging.getLogger(__name__)

#: Texts whose vectors must agree with the torch forward pass before the ONNX session is used.
PROBES = (
    "ok",
    "My sister Anna moved to Berlin last spring and works as a nurse at the Charité.",
    "I promised Tom I would call him on Friday after the dentist, remember?",
)
#: Largest 1 - cosine accepted against torch on the probes: float32 differs by rounding alone; int8 weights
#: move every vector a little (docs/decisions/0001-onnx-int8-embedding.md), never this far unless broken.
TOLERANCE = {"float32": 1e-4, "int8": 0.05}

FILE = "model.onnx"
QUANTISED = "model-int8.onnx"


class _Whole(torch.nn.Module):
    """The SentenceTransformer as a module taking the tokenizer's tensors in order (the exporter's input)."""

    def __init__(self, model: Any, names: Sequence[str]) -> None:
        super().__init__()
        self.model = model
        self.names = list(names)

    def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
        embedding: torch.Tensor = self.model(dict(zip(self.names, tensors, strict=True)))["sentence_embedding"]
        return embedding


def _cache_key(location: str) -> str:
    """Changes with the weights and with the libraries that export and run them."""
    import sentence_transformers

    digest = hashlib.sha256()
    root = Path(location)
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(f"{location}|{torch.__version__}|{sentence_transformers.__version__}|{ort.__version__}".encode())
    return digest.hexdigest()[:16]


def _tensors(model: Any, texts: Sequence[str]) -> dict[str, Any]:
    features = model.preprocess(list(texts))
    return {name: value for name, value in features.items() if hasattr(value, "numpy")}


def export(model: Any, location: str, cache_dir: Path) -> Path:
    """The exported model's file for `model` (loaded from `location`), exporting it on first use. Written
    into a temporary folder and renamed, so that concurrent processes never read half a file."""
    target = cache_dir / f"{Path(location).name or 'model'}-{_cache_key(location)}"
    if (target / FILE).exists():
        return target / FILE
    cache_dir.mkdir(parents=True, exist_ok=True)
    sample = _tensors(model, PROBES[1:])
    names = list(sample)
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    try:
        torch.onnx.export(
            _Whole(model, names).eval(),
            tuple(sample.values()),
            str(scratch / FILE),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_shapes=(tuple({0: batch, 1: sequence} for _ in names),),  # one entry: *tensors
            dynamo=True,
            verbose=False,
        )
        try:
            os.replace(scratch, target)
        except OSError:  # another process finished the same export first
            if not (target / FILE).exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    log.info("exported the embedding model to %s", target)
    return target / FILE


def quantise(exported: Path) -> Path:
    """The exported model with int8 weights (ONNX Runtime's dynamic quantisation, one scale per output
    channel), made once next to it. It about halves the model's cost per message, at vectors very close to
    float32's (docs/decisions/0001-onnx-int8-embedding.md)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = exported.with_name(QUANTISED)
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(prefix=".quantise-", dir=exported.parent) as scratch:
        inline = Path(scratch) / "inline.onnx"
        onnx.save(onnx.load(str(exported)), str(inline))  # the quantiser reads weights held in the file
        quantised = Path(scratch) / QUANTISED
        quantize_dynamic(str(inline), str(quantised), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(quantised, target)
    log.info("quantised the embedding model to %s", target)
    return target


class OnnxEncoder:
    """Runs the exported model; one ONNX Runtime session per thread count, created on first use."""

    def __init__(self, model: Any, path: Path, dimension: int, batch_size: int) -> None:
        self._model = model
        self._path = path
        self._dimension = dimension
        self._batch_size = batch_size
        self._sessions: dict[int, ort.InferenceSession] = {}

    def session(self, threads: int) -> ort.InferenceSession:
        """The session with `threads` intra-op threads."""
        if threads not in self._sessions:
            self._sessions[threads] = cpu_session(self._path, threads)
        return self._sessions[threads]

    def encode(self, texts: Sequence[str], threads: int) -> npt.NDArray[np.float32]:
        """Unit vectors of `texts`, in order; batches of similar length, as sentence-transformers does."""
        session = self.session(threads)
        inputs = {i.name for i in session.get_inputs()}
        result = np.empty((len(texts), self._dimension), dtype=np.float32)
        if self._batch_size == 1:
            # One preprocessing call for all texts (a call per text costs measurably more), then one run
            # per text with its padding taken off.
            features = {k: v.numpy() for k, v in _tensors(self._model, texts).items() if k in inputs}
            real = features["attention_mask"].astype(bool)
            for i in range(len(texts)):
                result[i] = session.run(None, {k: v[i][real[i]][None] for k, v in features.items()})[0][0]
            return result
        order = np.argsort([-len(text) for text in texts], kind="stable")
        for start in range(0, len(texts), self._batch_size):
            rows = order[start : start + self._batch_size]
            feed = {k: v.numpy() for k, v in _tensors(self._model, [texts[i] for i in rows]).items() if k in inputs}
            result[rows] = session.run(None, feed)[0]
        return result

    def agrees_with_torch(self, threads: int) -> float:
        """Largest 1 - cosine between this session's and torch's vectors of the probe texts."""
        mine = self.encode(PROBES, threads)
        theirs = self._model.encode(
            list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return float(np.max(1.0 - np.sum(mine * theirs, axis=1)))
