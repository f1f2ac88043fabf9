"""Talk chapters: topic shifts found where neighbouring windows of the transcript stop being
similar, each titled from its key terms and summarised by its most central sentences."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..models.analysis import Chapter, TalkPoint
from ..models.talk import Segment
from .glossary import TermMatcher

MAX_CHAPTERS = 12
WINDOW = 3
POINTS_PER_CHAPTER = 3
STOPWORDS = set("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just let like me more most my no nor
not now of off on once only or other our ours out over own really same she should so some such than that the
their them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your going get got thing things lot kind okay so yeah one two
actually right well see think know mean want way make made use used using
""".split())


def split_chapters(segments: list[Segment], vectors: np.ndarray, duration_s: float) -> list[list[int]]:
    """Segment indices of each chapter, cut where the talk changes topic.

    TextTiling (Hearst 1997) on embeddings: the similarity of the windows either side of each gap
    gives a curve; a gap's depth is how far it dips below the nearest peaks on both sides. Cuts go
    at the deepest gaps that dip clearly (depth above mean - std/2 of all dips), at most one per
    `min_len_s`, so a talk gets as many chapters as it has topics, up to a length-based cap."""
    n = len(segments)
    # Short talks get a few chapters, hour-long lectures a dozen: the cap grows with the square root.
    cap = int(min(MAX_CHAPTERS, max(1, round(np.sqrt(duration_s / 8.0)))))
    if n < 2 * WINDOW or cap == 1:
        return [list(range(n))]
    min_len_s = max(10.0, 0.25 * duration_s / cap)
    gaps = list(range(WINDOW, n - WINDOW + 1))
    curve = []
    for i in gaps:
        left = vectors[max(0, i - WINDOW):i].mean(axis=0)
        right = vectors[i:i + WINDOW].mean(axis=0)
        curve.append(float(left @ right / (np.linalg.norm(left) * np.linalg.norm(right) + 1e-9)))
    depths = _depths(curve)
    dips = [d for d in depths if d > 0]
    if not dips:
        return [list(range(n))]
    cutoff = float(np.mean(dips) - np.std(dips) / 2)
    cuts: list[int] = []
    for k in sorted(range(len(gaps)), key=lambda k: (-depths[k], gaps[k])):
        if len(cuts) >= cap - 1 or depths[k] <= max(cutoff, 0.0):
            break
        start = segments[gaps[k]].start_s
        bounds = [0.0] + sorted(segments[c].start_s for c in cuts) + [duration_s]
        if all(abs(start - b) >= min_len_s for b in bounds):
            cuts.append(gaps[k])
    edges = [0] + sorted(cuts) + [n]
    return [list(range(a, b)) for a, b in zip(edges, edges[1:]) if b > a]


def _depths(curve: list[float]) -> list[float]:
    """For each point, the climb to the highest point reached going left and going right while the
    curve keeps rising; zero where the point is not a local minimum."""
    out = []
    for k, value in enumerate(curve):
        if (k > 0 and curve[k - 1] < value) or (k + 1 < len(curve) and curve[k + 1] < value):
            out.append(0.0)
            continue
        left = value
        for j in range(k - 1, -1, -1):
            if curve[j] < left:
                break
            left = curve[j]
        right = value
        for j in range(k + 1, len(curve)):
            if curve[j] < right:
                break
            right = curve[j]
        out.append((left - value) + (right - value))
    return out


def build_chapters(segments: list[Segment], vectors: np.ndarray, duration_s: float,
                   matcher: TermMatcher) -> list[Chapter]:
    groups = split_chapters(segments, vectors, duration_s)
    all_words = Counter(w for s in segments for w in _content_words(s.text))
    chapters = []
    for index, members in enumerate(groups):
        texts = [segments[i].text for i in members]
        centre = vectors[members].mean(axis=0)
        centrality = vectors[members] @ centre
        chosen = sorted(members[j] for j in np.argsort(-centrality, kind="stable")[:POINTS_PER_CHAPTER])
        end_s = segments[groups[index + 1][0]].start_s if index + 1 < len(groups) else duration_s
        chapters.append(Chapter(
            index=index,
            start_s=0.0 if index == 0 else segments[members[0]].start_s,
            end_s=round(end_s, 2),
            title=chapter_title(texts, matcher, all_words),
            points=[TalkPoint(segments[i].start_s, segments[i].text) for i in chosen]))
    return chapters


def chapter_title(texts: list[str], matcher: TermMatcher, talk_words: Counter) -> str:
    """Glossary terms said most in the chapter; else its most distinctive words."""
    terms = Counter(t for text in texts for t in matcher.find(text))
    if terms:
        names = [matcher.terms[t] for t, _ in terms.most_common(3)]
        return ", ".join(n.abbr or n.term for n in names)
    words = Counter(w for text in texts for w in _content_words(text))
    ranked = sorted(words, key=lambda w: (-words[w] * words[w] / talk_words[w], w))
    return ", ".join(w.capitalize() for w in ranked[:3]) or "Talk"


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOPWORDS]
