"""An ONNX Runtime session on the CPU, as every embedding model here runs: for both the exported
sentence-transformers model (`app.nlp.onnx_encoder`) and the packaged ones (`app.nlp.packaged_encoder`)."""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort


def cpu_session(path: Path, threads: int) -> ort.InferenceSession:
    """A session of the model at `path` with `threads` intra-op threads."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads that spin keep a core from Neo4j on a small machine (as torch's did).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
