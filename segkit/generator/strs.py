"""Vectorised string building on top of numpy byte matrices and pyarrow compute.

Fixed-width values (timestamps, zero-padded ids, hex ids) are built as (n, width) uint8
matrices and wrapped zero-copy as Arrow string arrays; variable-width values use Arrow
``take`` on small vocabularies and ``binary_join_element_wise``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def fixed_width(mat: np.ndarray) -> pa.StringArray:
    """Wrap an (n, width) uint8 matrix of ASCII/UTF-8 bytes as an Arrow string array."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    n, width = mat.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(mat))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an (n, width) matrix."""
    out = np.empty((len(values), width), dtype=np.uint8)
    v = np.asarray(values, dtype=np.int64).copy()
    for k in range(width - 1, -1, -1):
        out[:, k] = v % 10 + 48
        v //= 10
    return out


def hexes(values: np.ndarray, width: int) -> np.ndarray:
    """Lower-case hex digits (last *width* nibbles) of unsigned integers as a matrix."""
    out = np.empty((len(values), width), dtype=np.uint8)
    v = np.asarray(values, dtype=np.uint64).copy()
    for k in range(width - 1, -1, -1):
        out[:, k] = _HEX[(v & np.uint64(15)).astype(np.int64)]
        v >>= np.uint64(4)
    return out


def literal(n: int, text: str) -> np.ndarray:
    """An (n, len) matrix repeating an ASCII literal."""
    row = np.frombuffer(text.encode(), dtype=np.uint8)
    return np.broadcast_to(row, (n, len(row)))


def as_rows(mat: np.ndarray) -> np.ndarray:
    """View an (n, width) uint8 matrix as n opaque fixed-size items (for fast row copies)."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    return mat.view(np.dtype((np.void, mat.shape[1]))).ravel()


def hcat(n: int, parts: Sequence[np.ndarray | str]) -> np.ndarray:
    """Column-wise concatenation of row items (as_rows arrays or matrices) and literals into
    an (n, total width) uint8 matrix, via one structured array (no per-column loops)."""
    items = [p if isinstance(p, str) or p.ndim == 1 else as_rows(p) for p in parts]
    widths = [len(p.encode()) if isinstance(p, str) else p.dtype.itemsize for p in items]
    offsets = np.r_[0, np.cumsum(widths)[:-1]].tolist()
    dtype = np.dtype({"names": [f"f{i}" for i in range(len(items))],
                      "formats": [f"V{w}" for w in widths], "offsets": offsets,
                      "itemsize": int(sum(widths))})
    out = np.empty(n, dtype=dtype)
    for i, p in enumerate(items):
        out[f"f{i}"] = np.void(p.encode()) if isinstance(p, str) else p
    return out.view(np.uint8).reshape(n, int(sum(widths)))


def concat_fixed(*parts: np.ndarray | str) -> pa.StringArray:
    """Concatenate matrices and literals column-wise into one fixed-width string array."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    return fixed_width(hcat(n, parts))


def mix64(values: np.ndarray, salt: int) -> np.ndarray:
    """A deterministic 64-bit bijective scramble (splitmix64 finaliser) of integers."""
    with np.errstate(over="ignore"):
        z = np.asarray(values, dtype=np.uint64) + np.uint64(salt & 0xFFFFFFFFFFFFFFFF)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def int_str(values: np.ndarray) -> pa.StringArray:
    """Plain decimal strings of integers."""
    return pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())


def take(vocab: Sequence[str] | pa.Array, codes: np.ndarray) -> pa.Array:
    """vocab[codes] as an Arrow string array; negative codes become nulls."""
    arr = vocab if isinstance(vocab, pa.Array) else pa.array(list(vocab), pa.string())
    codes = np.asarray(codes)
    mask = codes < 0
    idx = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    return arr.take(idx)


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation; any null part makes the result null."""
    return pc.binary_join_element_wise(*parts, "")


def assemble(n: int, parts: Sequence[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Scatter (rows, values) parts into one length-n string array (uncovered rows null)."""
    arrays = [vals.cast(pa.string()) for _, vals in parts if len(vals)]
    total = sum(len(a) for a in arrays)
    index = np.full(n, total, dtype=np.int64)
    pos = 0
    for rows, vals in parts:
        index[rows] = np.arange(pos, pos + len(vals))
        pos += len(vals)
    arrays.append(pa.nulls(1, pa.string()))
    return pa.concat_arrays(arrays).take(pa.array(index))


def assemble_fixed(n: int, parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> pa.StringArray:
    """Scatter (rows, byte matrix) parts of differing widths into one string array.

    Rows covered by no part are null. Rows are written into a NUL-padded (n, max width)
    matrix through a fixed-size void view (fast row scatter), then the padding is trimmed
    by one linear Arrow kernel; much faster than a random-access take of strings.
    """
    max_w = max([m.shape[1] for _, m in parts] + [1])
    pad = np.zeros((n, max_w), dtype=np.uint8)
    void = np.dtype((np.void, max_w))
    valid = np.zeros(n, dtype=bool)
    for rows, mat in parts:
        if len(rows) == 0:
            continue
        full = np.zeros((len(rows), max_w), dtype=np.uint8)
        full[:, : mat.shape[1]] = mat
        pad.view(void).ravel()[rows] = full.view(void).ravel()
        valid[rows] = True
    trimmed = pc.utf8_rtrim(fixed_width(pad), characters="\x00")
    if valid.all():
        return trimmed
    _, offsets, data = trimmed.buffers()
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(n, offsets, data, bitmap)


def patch(arr: pa.Array, rows: np.ndarray, values: Sequence[str | None] | pa.Array) -> pa.Array:
    """Replace arr[rows] by values (rows must be unique); returns a new array."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return arr
    order = np.argsort(rows, kind="stable")
    vals = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    vals = vals.take(pa.array(order))
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), vals.cast(arr.type))


def pick(rng: np.random.Generator, weights: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """n categorical draws (int codes) with the given (unnormalised) weights."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf / cdf[-1], rng.random(n), side="right").clip(0, len(cdf) - 1)


def pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Categorical draw per row from a row-wise probability matrix (rows sum to 1)."""
    cdf = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None]
    return (u > cdf).sum(axis=1).clip(0, probs.shape[1] - 1)


def pick_by(rng: np.random.Generator, table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Categorical draw per row with weights table[keys[row]] (few distinct keys)."""
    cdf = np.cumsum(table, axis=1)
    cdf = cdf / cdf[:, -1:]
    u = rng.random(len(keys))
    out = np.zeros(len(keys), dtype=np.int64)
    for key in range(len(table)):
        rows = np.flatnonzero(keys == key)
        out[rows] = np.searchsorted(cdf[key], u[rows], side="right")
    return out.clip(0, table.shape[1] - 1)


def segment_index(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For segments of the given sizes: (segment id per element, position in segment)."""
    counts = np.asarray(counts, dtype=np.int64)
    seg = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return seg, np.arange(len(seg)) - starts[seg]


@lru_cache(maxsize=2)
def _group_lut(base: int) -> np.ndarray:
    """uint32 view of the 4-character spellings of 0..base**4-1 in decimal or hex."""
    alphabet = b"0123456789abcdef"[:base]
    chars = np.frombuffer(alphabet, dtype=np.uint8)
    k = np.arange(base**4)
    mat = np.stack([chars[(k // base ** (3 - i)) % base] for i in range(4)], axis=1)
    return np.ascontiguousarray(mat.astype(np.uint8)).view(np.uint32).ravel()


def digits_fast(values: np.ndarray, groups: int, base: int = 10) -> np.ndarray:
    """Zero-padded decimal (base 10) or hex (base 16) of non-negative ints as an
    (n, 4 * groups) matrix, built from a lookup table of 4-character groups."""
    lut = _group_lut(base)
    v = np.ascontiguousarray(np.asarray(values).astype(np.uint64))
    if base == 16 and groups == 4:   # the four 16-bit halves of each value, high first
        return lut[v.view(np.uint16).reshape(len(v), 4)[:, ::-1]].view(np.uint8).reshape(
            len(v), 16)
    out = np.empty((len(v), groups), dtype=np.uint32)
    step = np.uint64(base**4)
    for g in range(groups - 1, -1, -1):
        out[:, g] = lut[(v % step).astype(np.int64)]
        v = v // step
    return out.view(np.uint8).reshape(len(v), 4 * groups)


def concat_blocks(mats: Sequence[np.ndarray]) -> pa.StringArray:
    """Stack fixed-width matrices of different widths (row blocks) into one string array."""
    mats = [m for m in mats if len(m)]
    if not mats:
        return pa.array([], pa.string())
    data = np.concatenate([np.ascontiguousarray(m).ravel() for m in mats])
    widths = np.concatenate([np.full(len(m), m.shape[1], dtype=np.int32) for m in mats])
    offsets = np.zeros(len(widths) + 1, dtype=np.int32)
    np.cumsum(widths, out=offsets[1:])
    return pa.StringArray.from_buffers(len(widths), pa.py_buffer(offsets), pa.py_buffer(data))


def dict_array(codes: np.ndarray, vocab: Sequence[str] | pa.Array,
               valid: np.ndarray | None = None) -> pa.DictionaryArray:
    """Dictionary-encoded strings: vocab[codes], null where valid is False or code < 0."""
    codes = np.asarray(codes)
    mask = codes < 0 if valid is None else (~valid | (codes < 0))
    idx = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    voc = vocab if isinstance(vocab, pa.Array) else pa.array(list(vocab), pa.string())
    return pa.DictionaryArray.from_arrays(idx, voc)


def map_values(rng: np.random.Generator, arr: pa.Array, rows: np.ndarray, fn, width: int = 8
               ) -> pa.Array:
    """Replace arr[rows] (non-null ones) by fn(value, u) with u = `width` pre-drawn uniforms."""
    if len(rows) == 0:
        return arr
    sub = arr.take(pa.array(rows))
    keep = pc.is_valid(sub).to_numpy(zero_copy_only=False)
    rows = rows[keep]
    vals = sub.filter(pa.array(keep)).to_pylist()
    u = rng.random((len(rows), width)).tolist()
    return patch(arr, rows, [fn(v, x) for v, x in zip(vals, u, strict=True)])
