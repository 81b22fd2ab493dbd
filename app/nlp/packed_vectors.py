"""A message's sentence vectors as the graph keeps them for the memory cache: one byte array of
half-precision rows. The driver decodes a list of numbers one Python float at a time, which made loading a
user's vectors most of a cold user's first search; a byte array arrives as one copy. The cache scores the
half-precision values (held at single precision for the product's speed), so nothing it computes changes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Little-endian half precision, whatever the machine that wrote or reads them.
DTYPE = np.dtype("<f2")


def pack(rows: npt.NDArray[np.floating]) -> bytes:
    """Rows of one message's sentence vectors (one row when it has one sentence) as stored."""
    return np.ascontiguousarray(rows, dtype=DTYPE).tobytes()


def unpack(data: bytes, dimension: int) -> npt.NDArray[np.float16]:
    """The rows `pack` stored, read-only, without copying."""
    return np.frombuffer(data, dtype=DTYPE).reshape(-1, dimension)


def unit_mean(rows: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """The message's vector: the normalised mean of its sentences' (the write path embeds it so)."""
    mean: npt.NDArray[np.float32] = rows.astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean
