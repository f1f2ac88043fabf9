"""What this machine lends the heavy stages (whisper, embeddings)."""
from __future__ import annotations

import os


def cpu_threads() -> int:
    """The cores this process may use: CTranslate2's default of 4 oversubscribes a 2-core machine,
    and so does the packaged multilingual embedder's."""
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:
        return max(1, min(8, os.cpu_count() or 1))
