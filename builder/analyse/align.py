"""Talk -> paper alignment: which section each chapter explains, chosen for all chapters at once.

Talks mostly walk through the paper in order, so the chapters are aligned jointly (Viterbi over
chapters x (sections + "no section")): each chapter earns its fit to the section it is given, and
"no section" (an opening, a wrap-up, questions) earns `NONE_FIT`. A chapter usually moves the talk
on, so explaining the same section as the chapter before costs `STAY_PENALTY`, as the
self-transition of a left-to-right model does: a near tie between the section just explained and
the next one goes to the next, where without it the section just explained (often the
Introduction, which speaks of the whole paper) kept every chapter that fitted it about as well.
Two chapters on one section still come out when the second fits it clearly better. Going back to
an earlier section, rarer still, costs `BACK_PENALTY` on top. An opening chapter that says too
little about the subject to explain anything (a greeting and the talk's topic, under
`OPENING_MIN_WORDS`) gets no section: its few words fit the introduction or the conclusion by
chance as well as by meaning. Nor does a chapter whose slide shows the talk's plan ("Outline",
"Agenda", 提纲): it names every part to come, and fits the introduction as the paper's own roadmap
paragraph does.

The confidence of a chapter's section is its margin over the best other choice for that chapter,
the rest of the talk re-chosen around it (max-marginals); below `MIN_MARGIN` the chapter is left
unaligned rather than guessed. The fit mixes cosine similarity of sentence embeddings (unit
vectors, so a dot product) of the chapter's transcript and, when it has one, its slide text, with
a tf-idf cosine of its words; appendices lose `APPENDIX_PENALTY`. A chapter whose slide title
names the part of the paper a section heading names ("Results", "Summary" and "5 Conclusion")
gains `SAME_PART` on that section: a wrap-up slide fits a short conclusion no better by its words
than the sections it recalls.

Those thresholds are measured in units of the talk's own fits (`FitScale`: their mean and spread
over every chapter and section), not in cosine: how high a cosine counts as "explains this
section" depends on the embedding model (USE Multilingual gives lower and closer fits than MiniLM,
and a Chinese talk against an English paper lower still) and on how near the talk keeps to the
paper's words, while how far the right section stands above the rest does not. The constants were
measured on the scripted talks in both languages and with both models
(benchmarks/align_calibration.py, BENCHMARKS.md).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..check.support import content_words
from ..models.analysis import Chapter, ChapterAlignment
from ..models.paper import Passage, Section
from ..models.talk import Segment
from ..headings import top_sections
from .glossary import TermMatcher
from .supplements import subject_words

# in spreads above the mean fit (FitScale): "no section" wins over a section fitting less than this
NONE_FIT = 0.25
STAY_PENALTY = 0.3          # in spreads: the same section as the chapter before
BACK_PENALTY = 0.25         # in spreads, on top of STAY_PENALTY: an earlier section
MIN_MARGIN = 0.01           # in spreads
APPENDIX_PENALTY = 0.35     # in spreads
CONFIDENT_MARGIN = 1.5      # a margin of this many spreads (or more) is confidence 1
# An opening chapter that says fewer words than this about the subject (about two sentences: a
# greeting and what the talk is about) explains no section, however well those words fit one
OPENING_MIN_WORDS = 20
LEXICAL_WEIGHT = 0.3
SLIDE_WEIGHT = 0.3          # share of the fit from the slide text, when the chapter has one
SAME_PART = 1.0             # in spreads: a slide titled for the part of a paper the section heading names
# The parts nearly every paper has, by the words their headings and a talk's slide titles use
# (a heading's number aside): "Experiments" / "4 Experiments", "Summary" / "5 Conclusion",
# "实验结果" / "5 Results". Method sections are named for the method, so they have no word here.
PARTS = {
    "introduction": ("introduction", "motivation", "overview", "引言", "介绍", "动机", "背景介绍"),
    "related": ("related", "prior", "previous", "earlier", "literature", "相关工作", "已有工作"),
    "background": ("background", "preliminaries", "preliminary", "背景", "预备知识"),
    "experiments": ("experiment", "experiments", "experimental", "evaluation", "evaluations", "实验", "评测", "评估"),
    "results": ("result", "results", "findings", "结果"),
    "conclusion": ("conclusion", "conclusions", "concluding", "summary", "recap", "wrap", "discussion", "takeaway",
                   "takeaways", "lessons", "limitations", "future", "outlook", "总结", "结论", "讨论", "局限"),
}
# A slide that shows the talk's plan (its parts, in order) names every section and explains none;
# it fits the introduction best by its words, as the paper's own roadmap paragraph does
_TALK_PLAN = re.compile(r"^(talk |today's |lecture )?(outline|agenda|roadmap|contents|table of contents|plan)"
                        r"( (of|for) (the|this|today's) (talk|lecture|seminar|session)| for today| of today)?$"
                        r"|^(提纲|大纲|目录|内容安排|报告提纲|今天的内容|本讲内容|内容提要)$")
_NOT_EXPLAINED = re.compile(r"^(abstract|references|bibliography|acknowledge?ments?)\b", re.I)


def section_groups(passages: list[Passage], sections: list[Section] | None = None) -> dict[str, list[int]]:
    """Passage indices per top-level section, in paper order: a talk chapter explains "4
    Experiments" more often than one of its subsections, and a subsection alone has too few
    sentences to compare with. Without the section tree, each passage heading is its own group."""
    top_of = {heading: top.heading for heading, top in top_sections(sections or []).items()}
    groups: dict[str, list[int]] = {}
    for i, passage in enumerate(passages):
        name = top_of.get(passage.section, passage.section)
        if _NOT_EXPLAINED.match(re.sub(r"^(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+", "", name)):
            continue
        groups.setdefault(name, []).append(i)
    return groups


def appendix_sections(sections: list[Section] | None) -> set[str]:
    """Appendices, which a talk rarely walks through: headings printed after the references, and
    lettered ones ("B. Preventing Token Dropping"; some templates print appendices first)."""
    out, seen = set(), False
    # IEEE numbers its sections I., II., ...: there "I." and "V." are roman numerals, not appendix letters
    roman = any(section.number == "II." for section in sections or [])
    for section in sections or []:
        seen = seen or bool(re.match(r"(references|bibliography)\b", section.title, re.I))
        lettered = re.match(r"[A-Z](\.\d+)*\.?$", section.number or "")
        if seen or (lettered and not (roman and re.fullmatch(r"[IVX]+\.", section.number))):
            out.add(section.heading)
    return out


def chapter_fit(chapters: list[Chapter], segments: list[Segment], segment_vectors: np.ndarray,
                passage_vectors: np.ndarray, groups: dict[str, list[int]],
                slide_vectors: dict[int, np.ndarray] | None = None,
                passages: list[Passage] | None = None, matcher: TermMatcher | None = None) -> np.ndarray:
    """chapters x sections: how well each chapter matches each section, the mean of two votes: the
    cosine of the chapter's mean sentence vector with the section's (robust when the talk uses its
    own words), and how closely the chapter's sentences each find a sentence of the section (robust
    when a chapter runs a little into the next topic). A slide text adds its own two votes. The
    word counts read a Chinese chapter's glossary terms by their English names (`matcher`)."""
    names = list(groups)
    fit = np.zeros((len(chapters), len(names)))
    if not names:
        return fit
    centroids = np.stack([_unit(passage_vectors[groups[name]].mean(axis=0)) for name in names])
    for row, chapter in enumerate(chapters):
        members = chapter_members(chapter, segments)
        if members:
            fit[row] = _votes(segment_vectors[members], passage_vectors, groups, centroids)
        slide = (slide_vectors or {}).get(chapter.index)
        if slide is not None:
            slide_fit = _votes(slide[None, :], passage_vectors, groups, centroids)
            fit[row] = slide_fit if not members else (1 - SLIDE_WEIGHT) * fit[row] + SLIDE_WEIGHT * slide_fit
    if passages is not None and LEXICAL_WEIGHT:
        texts = [" ".join([segments[i].text for i in chapter_members(c, segments)] + [c.slide_text]) for c in chapters]
        if matcher is not None:
            texts = [matcher.with_english_names(text) for text in texts]
        fit = (1 - LEXICAL_WEIGHT) * fit + LEXICAL_WEIGHT * lexical_fit(texts, passages, groups)
    return fit


def lexical_fit(texts: list[str], passages: list[Passage], groups: dict[str, list[int]]) -> np.ndarray:
    """tf-idf cosine of each chapter's words with each section's words: the names a talk repeats
    from the paper (a dataset, a loss) pick out their section even when the sentences differ."""
    from ..check.support import content_words
    vocab: dict[str, int] = {}
    def bag(text_list):
        counts: Counter = Counter()
        for text in text_list:
            counts.update(content_words(text))
        return counts
    sections = [bag(passages[i].text for i in idx) for idx in groups.values()]
    chapters = [bag([t]) for t in texts]
    for counts in sections + chapters:
        for w in counts:
            vocab.setdefault(w, len(vocab))
    df = Counter(w for counts in sections for w in counts)
    idf = np.zeros(len(vocab))
    for w, j in vocab.items():
        idf[j] = np.log((1 + len(sections)) / (1 + df[w])) + 1
    def matrix(bags):
        m = np.zeros((len(bags), len(vocab)))
        for r, counts in enumerate(bags):
            for w, c in counts.items():
                m[r, vocab[w]] = (1 + np.log(c)) * idf[vocab[w]]
        return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-9)
    return matrix(chapters) @ matrix(sections).T


def _votes(vectors: np.ndarray, passage_vectors: np.ndarray, groups: dict[str, list[int]],
           centroids: np.ndarray) -> np.ndarray:
    scores = vectors @ passage_vectors.T
    nearest = np.stack([scores[:, idx].max(axis=1) for idx in groups.values()], axis=1).mean(axis=0)
    return (centroids @ _unit(vectors.mean(axis=0)) + nearest) / 2


def chapter_members(chapter: Chapter, segments: list[Segment]) -> list[int]:
    return [i for i, s in enumerate(segments) if chapter.start_s <= s.start_s < chapter.end_s]


@dataclass(frozen=True)
class FitScale:
    """Where a talk's fits lie: their mean and standard deviation over all chapters x sections.
    Most of those pairs are a chapter and a section it does not explain, so the mean is near the
    level of "unrelated" for this talk and model, and the spread is the unit a clear choice stands
    out by."""
    level: float
    spread: float

    @classmethod
    def of(cls, fit: np.ndarray) -> "FitScale":
        return cls(float(fit.mean()), max(float(fit.std()), 1e-6))

    def above(self, spreads: float) -> float:
        return self.level + spreads * self.spread

    def times(self, spreads: float) -> float:
        return spreads * self.spread


def ordered_choice(fit: np.ndarray, none_fit: float, back_penalty: float,
                   stay_penalty: float = 0.0) -> tuple[list[int | None], list[float]]:
    """The best section (or None) per chapter for the whole talk, and each choice's margin.

    Viterbi over the position in the paper (the last section explained, or none yet): a chapter
    either explains section s (the position becomes s; `stay_penalty` when s is the position,
    `stay_penalty + back_penalty` when s comes before it) or none (the position is kept). Forward
    and backward passes give each chapter's max-marginals, the best total with that chapter's
    choice fixed; the margin is the best path's total minus the best total with any other choice
    for that chapter."""
    n, m = fit.shape
    choices: list[int | None] = [None, *range(m)]
    positions = m + 1                      # section s is position s + 1; position 0: none yet

    def gain(row: int, before: int, choice: int | None) -> float:
        if choice is None:
            return none_fit
        if before == 0 or choice + 1 > before:
            return float(fit[row, choice])
        return float(fit[row, choice]) - stay_penalty - (back_penalty if choice + 1 < before else 0.0)

    def after(before: int, choice: int | None) -> int:
        return before if choice is None else choice + 1

    forward = np.full((n + 1, positions), -np.inf)
    forward[0, 0] = 0.0
    pointer: list[dict[int, tuple[int, int | None]]] = []
    for row in range(n):
        pointer.append({})
        for before in np.flatnonzero(forward[row] > -np.inf):
            for choice in choices:
                value = forward[row, before] + gain(row, int(before), choice)
                target = after(int(before), choice)
                if value > forward[row + 1, target] + 1e-12:
                    forward[row + 1, target] = value
                    pointer[row][target] = (int(before), choice)
    backward = np.zeros((n + 1, positions))
    for row in range(n - 1, -1, -1):
        for before in range(positions):
            backward[row, before] = max(gain(row, before, c) + backward[row + 1, after(before, c)] for c in choices)
    path: list[int | None] = []
    position = int(np.argmax(forward[n]))
    for row in range(n - 1, -1, -1):
        position, choice = pointer[row][position]
        path.append(choice)
    path.reverse()
    best = float(forward[n].max())
    margins = []
    for row, chosen in enumerate(path):
        reachable = np.flatnonzero(forward[row] > -np.inf)
        others = [max(forward[row, b] + gain(row, int(b), c) + backward[row + 1, after(int(b), c)] for b in reachable)
                  for c in choices if c != chosen]
        margins.append(best - max(others) if others else 1.0)
    return path, margins


def parts_of(title: str) -> set[str]:
    """Which of the paper's usual parts (`PARTS`) a heading or slide title names."""
    lowered = title.lower()
    words = set(re.findall(r"[a-z]+", lowered))
    return {part for part, names in PARTS.items()
            if any((name in words) if name.isascii() else (name in lowered) for name in names)}


def same_part(chapters: list[Chapter], names: list[str]) -> np.ndarray:
    """chapters x sections: 1 where the chapter's slide title names the part of the paper the
    section heading names ("Results" and "5 Results", "Summary" and "6 Conclusion"). A talk's
    slides often carry the paper's own section names, and a wrap-up slide a short conclusion
    section fits no better than the rest by its words. Only a title read from a slide counts: a
    phrase picked from the speech is no heading."""
    heading_parts = [parts_of(name) for name in names]
    marks = np.zeros((len(chapters), len(names)))
    for row, chapter in enumerate(chapters):
        if chapter.title_source == "slide" and (parts := parts_of(chapter.title)):
            if "results" in parts and not any("results" in heading for heading in heading_parts):
                parts = parts | {"experiments"}   # a paper with no Results section gives them in its Experiments
            marks[row] = [bool(parts & heading) for heading in heading_parts]
    return marks


def talk_plans(chapters: list[Chapter]) -> tuple[int, ...]:
    """The chapters whose slide is titled as the talk's plan ("Outline", "Agenda", "Today's plan",
    提纲): they list the parts to come and explain none. Only a title read from a slide counts."""
    return tuple(row for row, chapter in enumerate(chapters) if chapter.title_source == "slide"
                 and _TALK_PLAN.match(re.sub(r"\s+", " ", chapter.title.strip().strip(":.").lower())))


def titled_sections(chapters: list[Chapter], names: list[str], sections: list[Section] | None) -> np.ndarray:
    """chapters x sections: 1 where the chapter's slide title holds every word of the section's
    heading, or of one of its subsections' (two words or more, number aside): "Back to the
    translation model" and "3 The Translation Model", "Encoder and decoder stacks" and "3.1 Encoder
    and Decoder Stacks" (under "3 Model Architecture"). A heading's every word on the slide is the
    speaker naming the section; a few shared words are not (they named the wrong one as often)."""
    marks = np.zeros((len(chapters), len(names)))
    top_of = top_sections(sections or [])
    headings = [(names.index(top), words) for section in sections or []
                if (top := top_of[section.heading].heading) in names and len(words := content_words(section.title)) >= 2]
    for row, chapter in enumerate(chapters):
        if chapter.title_source == "slide":
            said = content_words(chapter.title)
            for column, words in headings:
                marks[row, column] = marks[row, column] or words <= said
    return marks


def sections_in_order(fit: np.ndarray, appendix: np.ndarray, named: np.ndarray | None = None,
                      explain_nothing: tuple[int, ...] = ()) -> list[tuple[int | None, float]]:
    """Per chapter, its section's column (None: no section, or not clearly better than another
    choice) and the confidence, from the chapters x sections fit, with every threshold in the talk's
    own `FitScale` so that the choice is the same whatever level and spread the model gives.
    `named` (`same_part`) lifts a section whose part the chapter's slide title names; the chapters
    in `explain_nothing` get no section (the scale is the whole talk's all the same)."""
    scale = FitScale.of(fit)
    fit = fit - scale.times(APPENDIX_PENALTY) * appendix
    if named is not None:
        fit = fit + scale.times(SAME_PART) * named
    if explain_nothing:
        fit = fit.copy()
        fit[list(explain_nothing)] = scale.level - 1000 * scale.spread
    picked, margins = ordered_choice(fit, scale.above(NONE_FIT), scale.times(BACK_PENALTY),
                                     scale.times(STAY_PENALTY))
    return [(choice, round(min(1.0, margin / scale.times(CONFIDENT_MARGIN)), 2))
            if choice is not None and margin >= scale.times(MIN_MARGIN) else (None, 0.0)
            for choice, margin in zip(picked, margins)]


def align_chapters(chapters: list[Chapter], segments: list[Segment], segment_vectors: np.ndarray,
                   passages: list[Passage], passage_vectors: np.ndarray, sections: list[Section] | None = None,
                   slide_vectors: dict[int, np.ndarray] | None = None,
                   matcher: TermMatcher | None = None) -> list[ChapterAlignment]:
    """Each chapter's paper section (top level), chosen jointly in talk order; chapters that
    explain no section, or whose section is not clearly better than another choice, are left out.
    The page is where most of the chapter's sentences find their closest sentence of the section."""
    groups = section_groups(passages, sections)
    if not groups or not chapters:
        return []
    names = list(groups)
    fit = chapter_fit(chapters, segments, segment_vectors, passage_vectors, groups, slide_vectors, passages, matcher)
    appendices = appendix_sections(sections)
    appendix = np.array([name in appendices for name in names])
    alignments = []
    opening = " ".join(segments[i].text for i in chapter_members(chapters[0], segments))
    short_opening = (0,) if len(chapters) > 1 and len(set(subject_words(opening))) < OPENING_MIN_WORDS else ()
    named = np.maximum(same_part(chapters, names), titled_sections(chapters, names, sections))
    chosen = sections_in_order(fit, appendix, named, short_opening + talk_plans(chapters))
    for row, (chapter, (choice, confidence)) in enumerate(zip(chapters, chosen)):
        if choice is None:
            continue
        idx = groups[names[choice]]
        members = chapter_members(chapter, segments)
        probe = segment_vectors[members] if members else (slide_vectors or {})[chapter.index][None, :]
        closest = np.argmax(probe @ passage_vectors[idx].T, axis=1)
        pages = Counter(passages[idx[j]].page_no for j in closest)
        page = min(pages, key=lambda p: (-pages[p], p))
        alignments.append(ChapterAlignment(chapter.index, names[choice], page, round(float(fit[row, choice]), 3),
                                           confidence=confidence))
    return alignments


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) + 1e-9)
