"""Related pairs: close in embedding space or sharing glossary terms, each link with its reason."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from ..models.glossary import GlossaryTerm, TermRelation
from ..models.site import PairResult, RelatedLink

MAX_LINKS = 5
MIN_SIMILARITY = 0.35


MAX_REASON_TERMS = 6


def related_pairs(titles: dict[str, str], vectors: dict[str, list[float]], terms: dict[str, Counter],
                  glossary: dict[str, GlossaryTerm]) -> dict[str, list[RelatedLink]]:
    """`terms`: per pair, how many of its paper's sentences use each glossary term. The reason
    names the shared terms both papers use most (the smaller of the two counts first), so a link
    says "both use: DPO, Bradley–Terry model" rather than "both use: token".

    A pair's links rank its others by shared terms plus similarity; both come from one matrix
    product each (cosines; shared-term counts from the pairs x terms incidence), so a department's
    thousand pairs link in seconds, and only the links kept get their reasons spelled out."""
    slugs = sorted(titles)
    if not slugs:
        return {}
    scores = _cosines([vectors[slug] for slug in slugs])
    term_ids = sorted({t for slug in slugs for t in terms[slug]})
    column = {t: j for j, t in enumerate(term_ids)}
    uses = np.zeros((len(slugs), len(term_ids)), dtype=np.float32)
    for i, slug in enumerate(slugs):
        uses[i, [column[t] for t in terms[slug]]] = 1.0
    shared_counts = np.rint(uses @ uses.T).astype(int)
    links: dict[str, list[RelatedLink]] = {}
    for i, slug in enumerate(slugs):
        candidates = [j for j in np.flatnonzero((shared_counts[i] > 0) | (scores[i] >= MIN_SIMILARITY)) if j != i]
        ranked = sorted(((-int(shared_counts[i, j]) - round(float(scores[i, j]), 3), slugs[j], j) for j in candidates))
        found = []
        for _, other, j in ranked[:MAX_LINKS]:
            shared = sorted(set(terms[slug]) & set(terms[other]),
                            key=lambda t: (-min(terms[slug][t], terms[other][t]), glossary[t].term.lower()))
            names = [glossary[t].abbr or glossary[t].term for t in shared[:MAX_REASON_TERMS]]
            found.append(RelatedLink(other, titles[other], round(float(scores[i, j]), 3), names))
        links[slug] = found
    return links


def _cosines(rows: list[list[float]]) -> np.ndarray:
    """Pairs x pairs cosine similarity; a pair without a vector is similar to none."""
    width = max((len(r) for r in rows), default=0)
    matrix = np.array([r if len(r) == width else [0.0] * width for r in rows], dtype=np.float64)
    if width == 0:
        return np.zeros((len(rows), len(rows)))
    norms = np.linalg.norm(matrix, axis=1)
    return (matrix @ matrix.T) / (np.outer(norms, norms) + 1e-9)


MAX_RELATED_TERMS = 8
MIN_TOGETHER = 2             # sentences that use both terms before co-occurrence is a reason
MIN_DEFINITION_SIMILARITY = 0.55


def related_terms(glossary: list[GlossaryTerm], sentences: dict[str, list[set[str]]], titles: dict[str, str],
                  definition_vectors: np.ndarray) -> dict[str, list[tuple[str, TermRelation]]]:
    """Each glossary term's related terms, each with its reason: listed as related in the glossary,
    used together in the papers' sentences (`sentences`: per pair, the term ids of each sentence),
    or defined alike (cosine of our definitions' embeddings, rows in glossary order)."""
    ids = [t.id for t in glossary]
    index = {term_id: i for i, term_id in enumerate(ids)}
    together: dict[tuple[str, str], int] = {}
    papers: dict[tuple[str, str], set[str]] = {}
    for slug, rows in sentences.items():
        for used in rows:
            for a in used:
                for b in used:
                    if a != b:
                        together[(a, b)] = together.get((a, b), 0) + 1
                        papers.setdefault((a, b), set()).add(slug)
    similar = definition_vectors @ definition_vectors.T if len(definition_vectors) == len(ids) else None
    out: dict[str, list[tuple[str, TermRelation]]] = {}
    for term in glossary:
        candidates: dict[str, tuple[tuple, TermRelation]] = {}
        for other in ids:
            if other == term.id:
                continue
            listed = other in term.related
            count = together.get((term.id, other), 0)
            count = count if count >= MIN_TOGETHER else 0
            names = tuple(sorted(titles.get(s, s).split(":")[0] for s in papers[(term.id, other)])) if count else ()
            score = float(similar[index[term.id], index[other]]) if similar is not None else 0.0
            score = score if score >= MIN_DEFINITION_SIMILARITY else 0.0
            if listed or count or score:
                candidates[other] = ((not listed, -count, -score, other), TermRelation(listed, count, names, score))
        ranked = sorted(candidates.items(), key=lambda kv: kv[1][0])[:MAX_RELATED_TERMS]
        out[term.id] = [(other, relation) for other, (_, relation) in ranked]
    return out


def with_related_links(results: list[PairResult], glossary: dict[str, GlossaryTerm]) -> list[PairResult]:
    """Each built pair with its related reports (new records; the course's pairs are needed first)."""
    titles = {r.source.slug: r.paper.meta.value("title") or r.source.slug for r in results}
    vectors = {r.source.slug: r.analysis.paper_vector for r in results}
    terms = {r.source.slug: Counter(u.term_id for u in r.analysis.term_uses if u.page_no is not None) for r in results}
    links = related_pairs(titles, vectors, terms, glossary)
    return [replace(r, related=links.get(r.source.slug, [])) for r in results]


def course_related_terms(glossary: list[GlossaryTerm], results: list[PairResult], embedder) -> dict:
    """Related glossary terms with reasons, from the built papers' sentences and our definitions."""
    sentences = {}
    for result in results:
        by_text: dict[str, set[str]] = {}
        for use in result.analysis.term_uses:
            if use.page_no is not None:
                by_text.setdefault(use.text, set()).add(use.term_id)
        sentences[result.source.slug] = list(by_text.values())
    titles = {r.source.slug: r.paper.meta.value("title") or r.source.slug for r in results}
    vectors = embedder.encode([t.definition for t in glossary], "glossary")
    return related_terms(glossary, sentences, titles, vectors)
