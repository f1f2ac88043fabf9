"""What this machine lends the heavy stages (whisper, embeddings)."""
from __future__ import annotations

import os


_SHARERS = 1   # processes of one build that share this machine's cores (`coursewiki build --jobs`)


def share_cores(processes: int) -> None:
    """This process is one of `processes` that run pairs side by side: each takes its share."""
    global _SHARERS
    _SHARERS = max(1, processes)


def cpu_threads() -> int:
    """The cores this process may use: CTranslate2's default of 4 oversubscribes a 2-core machine,
    and so does the packaged multilingual embedder's; with --jobs N, a share of them."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(8, cores // _SHARERS))
