"""Talk chapters. When the video shows slides, each slide is a chapter (builds and flashes were
already merged by `builder.ingest.slides`) titled with the slide's title, and a long stretch with
no slide change is split by the text. Otherwise (audio only, a camera on the speaker) the talk is
segmented by the text: the chapter count and cuts chosen together (`split_chapters`), each chapter
titled with a short phrase it says most. Either way a chapter is summarised by its most
central sentences."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ..ingest.slides import SlideTrack
from ..models.analysis import Chapter, TalkPoint
from ..models.talk import Segment
from .glossary import TermMatcher

MAX_CHAPTERS = 12
MIN_CHAPTER_S = 15.0          # a chapter without a slide is at least this long ...
MIN_CHAPTER_SENTENCES = 2     # ... and holds at least this many sentences
EDGE_CHAPTER_S = 4.0          # but an opening or a closing (a greeting, the thanks) may be this short
NULL_SHUFFLES = 30            # shuffles of the talk that price a cut (see _cut_cost)
# A cut must earn more than the best cut of 90% of the shuffles, and a pause before a new part earns
# it PAUSE_WEIGHT. Chosen on the scripted talks cut from their text, whole sentences as the pieces
# (BENCHMARKS.md, "Whisper's sentences, and chapters made of sentences"): 0.95 and 1.0 left a third
# of them a chapter or two short; 0.9 and 1.5 found their parts on both kinds of transcript while a
# talk of one topic (the synthetic talks of tests/test_slides.py) is cut in 8-15% of draws, against
# 23-32% at 0.8.
NULL_QUANTILE = 0.9
PAUSE_WEIGHT = 1.5            # a pause e times the usual one earns a cut this much coherence
PAUSE_FLOOR_S = 0.2           # pauses are compared with the usual one, at least this long
CUE_WEIGHT = 0.7              # a sentence opening with a cue phrase earns a cut as much as a pause 1.6 times the usual
_OPENING = re.compile(r"\W*(now\b|next\b|so far\b|let me\b|let's\b|let us\b|here is\b|here's\b|first(ly)?,"
                      r"|finally\b|lastly\b|to (sum|wrap|conclude|summari[sz]e)\b|in (summary|conclusion|short)\b"
                      r"|moving on\b|turning to\b|before we\b|(going |coming )?back to\b|that (is|'s) (all|it)\b"
                      r"|thank you\b|thanks\b|okay\b|alright\b|all right\b|(the|our) (next|last|final) (part|point|step|topic|question)\b"
                      r"|how (does|do|did|is|are) (it|this|they)\b|what (does|did) (it|this|the)\b)", re.I)
# The same cues in Chinese: now, next, first/second, finally, to sum up, back to, then let us look at.
_OPENING_ZH = re.compile(r"\W*(现在|接下来|下面|首先|第一|再来|然后我们|最后|总结一下|总的来说|总之|回到|说回|"
                         r"好[的了]?[，,]|那么|我们来看|来看|谢谢|感谢)")
# A sentence that goes on with what came before opens no new part: the second item of a list
# ("Second, ...", "The third is ..."), a sentence begun with "and", "but", "also", "which"; in
# Chinese the same (第二, 其次, 而且, 但是, 也).
_GOING_ON = re.compile(r"\W*(second(ly)?\b|third(ly)?\b|fourth(ly)?\b|the (second|third|fourth) (one|is|step|part|point|idea"
                       r"|ingredient|saver)\b|and\b|but\b|also\b|which\b)", re.I)
_GOING_ON_ZH = re.compile(r"\W*(第[二三四五]|其次|而且|并且|但是|也)")
# A slide or slide-less stretch longer than this is more than one topic: split it by the text,
# into parts of at least STRETCH_PART_S (a slide is explained in one to three minutes).
LONG_STRETCH_S = 300.0
STRETCH_PART_S = 60.0
POINTS_PER_CHAPTER = 3
STOPWORDS = set("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just let like me more most my no nor
not now of off on once only or other our ours out over own really same she should so some such than that the
their them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your going get got thing things lot kind okay so yeah one two
actually right well see think know mean want way make made use used using
""".split())

# Chinese function words and fillers: never a chapter title on their own (jieba word units).
ZH_STOPWORDS = set("""的 了 是 在 我 你 他 她 它 我们 你们 他们 她们 咱们 这 那 这个 那个 这些 那些 这样 那样 这里 那里
就 都 也 还 和 与 及 或 或者 而 而且 但 但是 所以 因为 如果 虽然 然后 其实 还是 就是 只是 可是 不过 那么 怎么 什么 为什么
一个 一些 一下 一点 一样 没有 不是 不 很 太 更 最 会 能 要 想 说 讲 看 做 去 来 让 把 被 给 对 从 到 向 跟 比 吗 吧 呢 啊 呀 嗯
呃 哦 哈 好 好的 对吧 是不是 非常 特别 真的 可以 应该 可能 需要 已经 现在 今天 大家 自己 所谓 觉得 知道 我们的 这种 那种
关于 之后 之前 时候 东西 事情 地方 部分 方面 一直 一起 刚才 比如 例如 当然 然后 首先 其次 最后 谢谢""".split())
_ZH_COUNT = re.compile(r"^[一二三四五六七八九十百千万两几多]+[个种点次位条些项步类句段年天]?$")   # 五个, 四点: no topic
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def split_chapters(segments: list[Segment], vectors: np.ndarray, duration_s: float,
                   cap: int | None = None, min_len_s: float = MIN_CHAPTER_S,
                   edge_len_s: float = EDGE_CHAPTER_S) -> list[list[int]]:
    """Segment indices of each chapter: the talk cut into the topics it speaks about.

    A semi-Markov dynamic programme chooses the number of chapters and their cuts together. A
    chapter earns the coherence of its sentences: with each sentence's embedding taken relative to
    the talk's mean (every sentence of a talk shares its topic) and made unit length, a chapter of
    n sentences earns |sum|^2 / n, which is what its mean explains of their spread (Ward's
    criterion, cut into contiguous runs). Each chapter costs what one cut earns on the same
    sentences shuffled: a cut must explain more than the talk's own noise would, so a talk that
    keeps to one topic stays one chapter, and no threshold is fixed in advance.

    A chapter must last `min_len_s`, except the first and the last (`edge_len_s`): a talk opens
    with a greeting and what it is about, and closes with the thanks, in a few seconds each, and
    those belong to no section of the paper (over the scripted talks read as audio only, boundary
    F1 0.75 -> 0.88). Part of one slide's long stretch has no such edges."""
    n = len(segments)
    if cap is None:
        cap = MAX_CHAPTERS
    cap = int(min(cap, n // MIN_CHAPTER_SENTENCES, max(1.0, duration_s // max(min_len_s, 1.0))))
    if cap <= 1 or n < 2 * MIN_CHAPTER_SENTENCES:
        return [list(range(n))]
    units = _relative_units(vectors)
    prefix = np.vstack([np.zeros((1, units.shape[1])), np.cumsum(units, axis=0)])
    starts = np.array([s.start_s for s in segments])
    ends = np.array([s.end_s for s in segments])
    pauses = _pause_cues(segments) + _opening_cues(segments)
    cost = _cut_cost(units, min_len_s / max(duration_s / n, 1e-6))
    # best[k][j]: the most the first j sentences earn as k chapters; back[k][j]: where the last starts
    best = np.full((cap + 1, n + 1), -np.inf)
    back = np.zeros((cap + 1, n + 1), dtype=int)
    best[0][0] = 0.0
    norms = np.einsum("ij,ij->i", prefix, prefix)
    for j in range(MIN_CHAPTER_SENTENCES, n + 1):
        i = np.arange(0, j - MIN_CHAPTER_SENTENCES + 1)
        lasts = ends[j - 1] - starts[i]
        long_enough = (lasts >= min_len_s) | (((i == 0) | (j == n)) & (lasts >= min(edge_len_s, min_len_s)))
        earned = (norms[j] - 2 * prefix[i] @ prefix[j] + norms[i]) / (j - i) + pauses[i]
        for k in range(1, cap + 1):
            total = np.where(long_enough | (k == 1) & (j == n), best[k - 1][i] + earned, -np.inf)
            at = int(np.argmax(total))
            best[k][j], back[k][j] = total[at], i[at]
    chosen = max(range(1, cap + 1), key=lambda k: (best[k][n] - k * cost, -k))
    edges = [n]
    for k in range(chosen, 0, -1):
        edges.append(back[k][edges[-1]])
    edges = edges[::-1]
    return [list(range(a, b)) for a, b in zip(edges, edges[1:]) if b > a]


def _relative_units(vectors: np.ndarray) -> np.ndarray:
    """Each sentence's embedding less the talk's mean, at unit length (a sentence that is the mean
    itself stays zero and earns nothing)."""
    centred = np.asarray(vectors, dtype=np.float64) - np.asarray(vectors, dtype=np.float64).mean(axis=0)
    lengths = np.linalg.norm(centred, axis=1, keepdims=True)
    return np.divide(centred, lengths, out=np.zeros_like(centred), where=lengths > 1e-9)


def _pause_cues(segments: list[Segment]) -> np.ndarray:
    """What starting a chapter at each sentence earns from the pause before it: speakers pause
    longer before a new topic than between sentences (the log of the pause over the talk's median
    pause, times PAUSE_WEIGHT; nothing for a pause no longer than usual). Sentence 0 and the end
    earn nothing: they are no cut."""
    gaps = np.array([0.0] + [max(b.start_s - a.end_s, 0.0) for a, b in zip(segments, segments[1:])])
    usual = float(np.median(gaps[1:])) if len(gaps) > 1 else 0.0
    cues = PAUSE_WEIGHT * np.log(np.maximum(gaps, 1e-3) / max(usual, PAUSE_FLOOR_S))
    cues = np.maximum(cues, 0.0)
    cues[0] = 0.0
    return np.append(cues, 0.0)


def _opening_cues(segments: list[Segment]) -> np.ndarray:
    """What starting a chapter at each sentence earns from how it begins: speakers open a new part
    with a cue phrase ("Now ...", "Next, ...", "Here is how it works", "To sum up", "Let us go back
    to ..."), a signal of spoken discourse that the embeddings of short sentences miss; a sentence
    that goes on with the one before ("Second, ...", "But ...") costs a cut as much (over the 13
    text-cut English talks, boundary F1 0.877 -> 0.889: the items of a list stay one chapter)."""
    cues = np.array([CUE_WEIGHT if _OPENING.match(s.text) or _OPENING_ZH.match(s.text)
                     else -CUE_WEIGHT if _GOING_ON.match(s.text) or _GOING_ON_ZH.match(s.text) else 0.0
                     for s in segments] + [0.0])
    cues[0] = 0.0
    return cues


def _cut_cost(units: np.ndarray, min_sentences: float) -> float:
    """What one cut earns at best in coherence when the sentences are in random order: the
    NULL_QUANTILE of NULL_SHUFFLES shuffles (seeded, so a build is repeatable). Pauses are not
    shuffled: a long pause earns its cut wherever it falls."""
    n = len(units)
    least = int(max(MIN_CHAPTER_SENTENCES, min(np.ceil(min_sentences), n // 2)))
    rng = np.random.default_rng(0)
    gains = []
    for _ in range(NULL_SHUFFLES):
        prefix = np.cumsum(units[rng.permutation(n)], axis=0)
        whole = float(prefix[-1] @ prefix[-1]) / n
        cut = np.arange(least, n - least + 1)
        if not len(cut):
            return np.inf
        left = prefix[cut - 1]
        right = prefix[-1] - left
        earned = np.einsum("ij,ij->i", left, left) / cut + np.einsum("ij,ij->i", right, right) / (n - cut)
        gains.append(float(earned.max()) - whole)
    return float(np.quantile(gains, NULL_QUANTILE))


def build_chapters(segments: list[Segment], vectors: np.ndarray, duration_s: float,
                   matcher: TermMatcher, slides: SlideTrack | None = None, paper_text: str = "") -> list[Chapter]:
    """Chapters from the slides when the talk has them, else from the text alone. `paper_text`,
    the paper's sentences, tells a phrase of the paper from a mis-heard one in a title."""
    if slides is not None and slides.slides and segments:
        spans = _slide_spans(segments, vectors, duration_s, slides)
    else:
        spans = [(None, members) for members in split_chapters(segments, vectors, duration_s)]
    groups = [members for _, members in spans]
    # only chapters without a slide are titled from speech
    printed = _phrases_of(paper_text) if paper_text and any(slide is None for slide, _ in spans) else frozenset()
    chapters: list[Chapter] = []
    for index, (slide, members) in enumerate(spans):
        texts = [segments[i].text for i in members]
        chosen = _central(members, vectors)
        if slide is not None:
            start_s = slide.start_s
        else:
            start_s = segments[members[0]].start_s if members else 0.0
        chapters.append(Chapter(
            index=index, start_s=0.0 if index == 0 else round(start_s, 2), end_s=0.0,
            title=slide.title if slide is not None else speech_title(texts, matcher, groups, segments,
                                                                     {c.title.lower() for c in chapters}, printed),
            points=[TalkPoint(segments[i].start_s, segments[i].text) for i in chosen],
            title_source="slide" if slide is not None else "speech",
            slide_text="\n".join(t for t in (slide.title, slide.text) if t) if slide is not None else ""))
    ends = [c.start_s for c in chapters[1:]] + [round(duration_s, 2)]
    return [replace(chapter, end_s=end_s) for chapter, end_s in zip(chapters, ends)]


def _central(members: list[int], vectors: np.ndarray) -> list[int]:
    if not members:
        return []
    centre = vectors[members].mean(axis=0)
    centrality = vectors[members] @ centre
    return sorted(members[j] for j in np.argsort(-centrality, kind="stable")[:POINTS_PER_CHAPTER])


def _slide_spans(segments: list[Segment], vectors: np.ndarray, duration_s: float, track: SlideTrack):
    """(slide or None, segment indices) per chapter: a segment goes to the slide on screen when it
    starts. A titled slide nobody speaks over still opens its chapter (a pause to read a result, a
    section divider: the slide is what the viewer sees there); flashes of a few seconds were
    already merged by the slide reader. An untitled picture nobody speaks over is no chapter: its
    time goes to the chapter before (at the talk's start, or before a stretch without a slide, to
    the one after). A stretch without a titled slide, or one slide held very long, is split by
    the text."""
    slides = track.slides
    starts = [0.0] + [s.start_s for s in slides[1:]]
    members: list[list[int]] = [[] for _ in slides]
    for i, segment in enumerate(segments):
        # a sentence begun just before the slide changes (the click comes a word late) is the new slide's
        members[max(j for j, start in enumerate(starts) if start <= segment.start_s + 0.5)].append(i)
    spans: list[tuple] = []
    pending_start = None
    for slide, group, start in zip(slides, members, starts):
        if not group and not slide.title:
            pending_start = start if pending_start is None else pending_start
            continue
        if pending_start is not None and (not slide.title or not spans):
            start = pending_start
        pending_start = None
        shown = slide if slide.title else None
        span_s = segments[group[-1]].end_s - segments[group[0]].start_s if group else 0.0
        if span_s > LONG_STRETCH_S and len(group) >= 2 * MIN_CHAPTER_SENTENCES:
            parts = split_chapters([segments[i] for i in group], vectors[group], span_s,
                                   cap=max(2, int(span_s // (2 * STRETCH_PART_S))), min_len_s=STRETCH_PART_S,
                                   edge_len_s=STRETCH_PART_S)
            for n, part in enumerate(parts):
                spans.append((_at(shown, start) if n == 0 and shown else None, [group[i] for i in part]))
        else:
            spans.append((_at(shown, start) if shown else None, group))
    return spans  # a silent slide at the very end: the last chapter runs to the end anyway


def _at(slide, start_s: float):
    """The slide, starting where its chapter starts (a silent slide before it joins it)."""
    from dataclasses import replace
    return replace(slide, start_s=start_s) if start_s != slide.start_s else slide


def chapter_title(texts: list[str], matcher: TermMatcher, talk_words: Counter) -> str:
    """Kept for callers of the old API: a short phrase, as `speech_title`."""
    return speech_title(texts, matcher, [], [])


def speech_title(texts: list[str], matcher: TermMatcher, groups: list[list[int]], segments: list[Segment],
                 taken: set[str] = frozenset(), printed: frozenset[str] = frozenset()) -> str:
    """A short phrase the chapter says most and the rest of the talk says less: a glossary term or
    a run of content words ("change of variables"), never a list of terms or a bare number; not
    one an earlier chapter already has as its title. A phrase of two or three words that the paper
    prints (`printed`, `_phrases_of` the paper) counts double: the talk explains the paper, and a
    mis-heard run of words ("long match causes") is in no paper (every single word is in it)."""
    others = [" ".join(segments[i].text for i in g) for g in groups]
    document_counts = Counter(p for text in others for p in {p for p, _ in _phrases(text, matcher)})
    said = [pair for text in texts for pair in _phrases(text, matcher)]
    chapter = Counter(p for p, _ in said)
    naming = {p for p, names_a_thing in said if names_a_thing}
    if not chapter:
        return "Talk"
    total = max(1, len(others))

    names = {t.term.lower() for t in matcher.terms.values()} | {t.zh for t in matcher.terms.values() if t.zh}

    def score(phrase: str) -> float:
        words = _length(phrase)
        idf = np.log(1.0 + total / (1.0 + document_counts.get(phrase, 0)))
        return chapter[phrase] * idf * (1.0 + 0.5 * min(words - 1, 2)) * (1.5 if phrase in names else 1.0) \
            * (2.0 if words > 1 and (phrase.lower() in printed or phrase.lower() + "s" in printed) else 1.0)
    taken = {_singular(t) for t in taken}   # "queries and keys" after "query and key" is taken too
    wordy = [p for p in chapter if not p.isdigit()]
    named = [p for p in wordy if p in naming]

    def untaken(pool: list[str], said_enough: bool) -> list[str]:
        """The pool's phrases no earlier chapter has as its title; with `said_enough`, only a
        phrase of several words or one said twice."""
        return [p for p in pool if (not said_enough or chapter[p] >= 2 or _length(p) > 1) and _singular(p) not in taken]
    # a phrase that names a thing before any other, one said enough before one said once
    candidates = untaken(named, True) or untaken(named, False) or untaken(wordy, True) or untaken(wordy, False) \
        or wordy or list(chapter)
    best = max(sorted(candidates), key=score)
    return best[:1].upper() + best[1:]


# Words that end a verb phrase, never a name: "comes back", "gave away".
_PARTICLES = frozenset("back away along around ahead apart aside together forward forth".split())
_COUNTING = frozenset("""zero three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
billion""".split())
# Pronouns that stand for anyone or anything: the speaker's "hello everyone" names nothing.
_INDEFINITE = frozenset("""everyone everybody anyone anybody someone somebody no-one nobody everything anything
something nothing""".split())
# jieba's part-of-speech tags of words that name things: nouns, names of people, places and
# organisations, other proper names, verbal and adjectival nouns, Latin words, abbreviations.
_ZH_NOUNS = frozenset("n nr nrt nrfg ns nt nz ng vn an eng j".split())
# Its tags of function words: pronouns, adverbs, prepositions, conjunctions, particles, numbers,
# measure words, directions, distinguishing words (所有), interjections, onomatopoeia.
_ZH_FUNCTION = frozenset("r d p c u uj ul uz ug uv ud m q f b e o y zg x".split())


@lru_cache(maxsize=65536)
def _names_a_thing(phrase: str) -> bool:
    """Whether an English phrase can title a chapter: it names something, as a title does, rather
    than being a piece of a clause ("Comes back", "Enemy soon learned", "Guess we're"). No
    contraction, number word or word that is only a verb or adverb (lemminflect's lexicon; a word
    it does not know is a name or a term, unless it ends in -ly), but for a participle before the
    last word; the last word can be a noun (a gerund can: "sex trafficking"). No pronoun that
    stands for anyone or anything ("Everyone and welcome", from "hello everyone and welcome")."""
    words = phrase.split()
    if any(w.lower() in _COUNTING or w.lower() in _INDEFINITE or ("'" in w and not w.lower().endswith(("'s", "s'")))
           for w in words):
        return False
    kinds = [_kinds(w) for w in words]
    last_at = len(words) - 1
    # a participle says what kind of thing follows ("unified memory", "weighted least squares",
    # "training data"); a gerund at the end is the thing ("sex trafficking")
    if any(k and not k - {"VERB", "ADV"} and not (w.endswith(("ed", "en", "ing")) and i < last_at)
           and not (w.endswith("ing") and i == last_at) for i, (w, k) in enumerate(zip(words, kinds))):
        return False
    # "methods and ideas", "change of variables": a link joins things; "obvious and tempting" is no name
    if any(w in _LINKS and kinds[i - 1] and "NOUN" not in kinds[i - 1] for i, w in enumerate(words) if i):
        return False
    last, head = words[-1], kinds[-1]
    return last.lower() not in _PARTICLES and ("NOUN" in head or not head or last.endswith("ing"))


@lru_cache(maxsize=65536)
def _kinds(word: str) -> frozenset[str]:
    """The parts of speech an English word can be (lemminflect's lexicon of inflections);
    unknown words (names, terms, abbreviations) have none, but a word in -ly is an adverb."""
    from lemminflect import getAllLemmas
    if word.isupper():
        return frozenset()
    kinds = frozenset(getAllLemmas(word.lower()))
    return kinds or frozenset({"ADV"} if word.lower().endswith("ly") and len(word) > 4 else ())


def _zh_tagged(text: str) -> list[tuple[str, str]]:
    """jieba's words of Chinese text with their part-of-speech tags."""
    import logging

    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text) if pair.word.strip()]


def _singular(phrase: str) -> str:
    """A phrase with each word's plural s dropped ("queries and keys" = "query and key")."""
    def one(word: str) -> str:
        if len(word) > 4 and word.endswith("ies"):
            return word[:-3] + "y"
        return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    return " ".join(one(w) for w in phrase.lower().split())


def _phrases_of(paper_text: str) -> frozenset[str]:
    """Every run of two or three words of the paper, in lower case, cut into words as `_phrases`
    cuts the talk."""
    words = [w.lower() for w in _WORDS.findall(paper_text)]
    return frozenset(" ".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1))


_LINKS = {"of", "for", "and"}
# A run of words ends at punctuation and at words of another script (Chinese around "MNIST、CIFAR-10").
_CLAUSE_BREAK = re.compile(r"[^A-Za-z0-9'\s-]+")
_WORDS = re.compile(r"[A-Za-z][A-Za-z']*(?:-[A-Za-z0-9]+)*|\d+")   # "CIFAR-10", "GPT-4" whole


@lru_cache(maxsize=4096)
def _phrases(text: str, matcher: TermMatcher) -> tuple[tuple[str, bool], ...]:
    """Glossary terms said (by their short name) and runs of 1-3 content words, which may hold an
    "of" / "for" in the middle (a change of variables); each with whether it names a thing
    (`_names_a_thing`; a glossary term does). Remembered: each chapter's title weighs its phrases
    against every other chapter's, so a talk's texts are read once, not once per chapter."""
    # a term said in Chinese, or by its abbreviation ("GPT", "PPO"), keeps the name it was said by:
    # a Chinese chapter gets a Chinese title, and a title is what the speaker said
    found = [(term, True) for term in dict.fromkeys(_as_said(text[start:end], matcher.terms[term_id].term)
                                                     for term_id, start, end in matcher.spans(text))]
    runs: list[list[str]] = []
    for clause in _CLAUSE_BREAK.split(text):   # "shock, horror and sorrow" is a list, not a phrase
        runs.append([])
        for word in _WORDS.findall(clause):
            low = word.lower()
            if low in STOPWORDS and low not in _LINKS or len(low) < 3 and not word.isupper():
                runs.append([])
            else:
                runs[-1].append(word if word.isupper() and len(word) > 1 else low)
    for run in runs:
        for n in (1, 2, 3):
            for k in range(len(run) - n + 1):
                gram = run[k:k + n]
                if gram[0] in _LINKS or gram[-1] in _LINKS:
                    continue
                phrase = " ".join(gram)
                found.append((phrase, _names_a_thing(phrase)))
    return tuple(found + _chinese_phrases(text))


def _as_said(said: str, name: str) -> str:
    if _CJK_RUN.search(said) or re.fullmatch(r"[A-Z][A-Z0-9-]*[A-Z0-9]s?", said):
        return said
    return name.lower()


def _chinese_phrases(text: str) -> list[tuple[str, bool]]:
    """Runs of 1-2 Chinese content words (jieba's word units: Chinese has no spaces), such as
    "奖励模型" or "换位思考"; function words (by jieba's part-of-speech tags, read in the sentence)
    and single characters end a run. A phrase names a thing when its last word is a noun: Chinese
    noun phrases end in their noun (试错成本, "the cost of trial and error"), 不行 ("no good") does not."""
    found = []
    for run_text in _CJK_RUN.findall(text):
        run: list[tuple[str, str]] = []
        for word, tag in _zh_tagged(run_text) + [("", "x")]:
            if len(word) >= 2 and word not in ZH_STOPWORDS and not _ZH_COUNT.match(word) and tag not in _ZH_FUNCTION:
                run.append((word, tag))
                continue
            found += [(w, t in _ZH_NOUNS) for w, t in run]
            found += [(a + b, t in _ZH_NOUNS) for (a, _), (b, t) in zip(run, run[1:])]
            run = []
    return found


def _length(phrase: str) -> int:
    """Words in a phrase: space-separated, or jieba's units for Chinese."""
    if _CJK_RUN.search(phrase):
        from ..ingest.chinese import words
        return len(words(phrase))
    return len(phrase.split())


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in STOPWORDS]
