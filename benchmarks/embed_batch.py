"""Seconds to embed every shared paper's passages with the packaged MiniLM, per batch size.

The build embeds each paper's passages (a few hundred sentences) and each report's evidence with
`builder.analyse.embed.BATCH_SIZE`; on a 2-core CPU the forward passes are almost all matrix
products, and a smaller batch pads fewer tokens and keeps each product's operands in cache. The
vectors differ between batch sizes only by float rounding, which the script prints as well.

Run: python benchmarks/embed_batch.py [--sizes 64 32 16 8] [--papers N]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from builder.analyse.embed import default_model_path  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 32, 16, 8])
    parser.add_argument("--papers", type=int, default=0, help="only the first N papers (0: all)")
    args = parser.parse_args()
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(default_model_path(), device="cpu")
    pdfs = sorted((DATA / "papers").glob("*.pdf"))[: args.papers or None]
    texts = [[p.text for p in ingest_paper(pdf).passages] for pdf in pdfs]
    model.encode(texts[0][:32], batch_size=16)              # warm up: the first call pays one-off costs
    print(f"{len(pdfs)} papers, {sum(map(len, texts))} passages")
    reference = None
    for size in args.sizes:
        start = time.perf_counter()
        vectors = [model.encode(t, batch_size=size, normalize_embeddings=True) for t in texts]
        seconds = time.perf_counter() - start
        if reference is None:
            reference = vectors
        drift = max(float(np.abs(a - b).max()) for a, b in zip(vectors, reference))
        print(f"batch {size:3d}: {seconds:6.1f} s   largest difference from batch {args.sizes[0]}: {drift:.1e}",
              flush=True)


if __name__ == "__main__":
    main()
