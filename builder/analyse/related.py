"""Related pairs: close in embedding space or sharing glossary terms, each link with its reason."""
from __future__ import annotations

import numpy as np

from ..models import GlossaryTerm, RelatedLink

MAX_LINKS = 5
MIN_SIMILARITY = 0.35


def related_pairs(titles: dict[str, str], vectors: dict[str, list[float]], terms: dict[str, set[str]],
                  glossary: dict[str, GlossaryTerm]) -> dict[str, list[RelatedLink]]:
    slugs = sorted(titles)
    links: dict[str, list[RelatedLink]] = {}
    for slug in slugs:
        found = []
        for other in slugs:
            if other == slug:
                continue
            a, b = np.asarray(vectors[slug]), np.asarray(vectors[other])
            score = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9)) if a.size and b.size else 0.0
            shared = sorted(terms[slug] & terms[other], key=lambda t: glossary[t].term.lower())
            if shared or score >= MIN_SIMILARITY:
                names = [glossary[t].abbr or glossary[t].term for t in shared]
                found.append(RelatedLink(other, titles[other], round(score, 3), names))
        found.sort(key=lambda link: (-len(link.shared_terms) - link.score, link.slug))
        links[slug] = found[:MAX_LINKS]
    return links
