"""Run-in headings: a paragraph's bold lead-in that the PDF's text runs into its first sentence
("Label Smoothing During training, we ...", "Reward Modelling Phase: In the second phase ...").

Shared by the analysis (a heading devoted to a term is where the paper defines it) and the report
(the heading is set apart as a label, so a quoted sentence reads as one sentence). Text only:
the font that marks a heading is gone by the time sentences are cut, so the evidence is the shape
of the words.

Also which top-level section a heading belongs to (`top_sections`): the report walks the paper by
its top-level sections and the alignment compares a chapter with them, and both must group a
subsection's sentences with the same parent.
"""
from __future__ import annotations

import re

from .models.paper import Section

SENTENCE_STARTERS = {"we", "the", "this", "our", "these", "in", "to", "during", "starting", "once", "it", "given",
                     "for", "at", "as", "since", "while", "when", "after", "each", "unlike", "following", "instead",
                     "although", "here", "there", "all", "many", "most", "one", "two", "an", "with", "by", "on",
                     "from", "if", "using", "both", "such", "however", "finally", "first", "second"}

# A sentence's first word, never a heading's: "When These functions are plotted ..."
CLAUSE_OPENERS = {"when", "if", "while", "although", "since", "because", "after", "before", "once", "then", "thus",
                  "so", "as", "for", "in", "on", "at", "by", "to", "with", "from", "we", "it", "this", "these", "our"}
# Words that start a sentence with a capital and hardly ever stand capitalised inside one.
RESTARTS = {"We", "Our", "Firstly", "Secondly", "Finally", "Here", "These"}
JOINING = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "for", "with", "by", "that", "as", "than", "which"}


def run_in_heading(text: str) -> str | None:
    """A paragraph's bold lead-in that the PDF text runs into its first sentence: "Label Smoothing
    During training, ...", "Reward Modelling Phase: In the second phase ...", "Sequence training
    Sequence training was done ..." (the heading repeated as the subject)."""
    colon = re.match(r"^([A-Z][\w\-]*(?:\s+[\w\-]+){0,5}):\s+[A-Z]", text)
    if colon and _title_like(colon.group(1)):  # not "This raises the question: For a fixed ..."
        return colon.group(1)
    words = text.split()
    for length in range(1, 6):
        lead = words[:length]
        again = words[length:2 * length]
        if len(again) == length and all(_same_word(a, b) for a, b in zip(lead, again)):
            return " ".join(lead)
    head = []
    for word in words[:7]:
        if re.match(r"^[A-Z0-9][\w\-]*$", word) or (head and word.lower() in ("of", "for", "and", "with")):
            head.append(word)
        else:
            break
    if 2 <= len(head) <= 6 and len(head) < len(words) and head[-1].lower() in SENTENCE_STARTERS \
            and head[-1][:1].isupper() and head[0].lower() not in CLAUSE_OPENERS:
        return " ".join(head[:-1])   # "Label Smoothing | During training"
    # a heading in sentence case: "EFT augmentation improves over SFT baseline | Firstly, we find"
    for n, word in enumerate(words[2:9], start=2):
        if word.rstrip(",") in RESTARTS and not re.search(r"[.,;:!?)\]]$", words[n - 1]) \
                and words[n - 1].lower() not in JOINING and words[0][:1].isupper():
            return " ".join(words[:n])
    return None


def _title_like(heading: str) -> bool:
    """A heading's words: capitalised where they are content words ("Reward Modelling Phase",
    "Sequence training" only as one word or two), not a clause ("Our main findings are as follows")."""
    words = heading.split()
    if len(words) <= 2:
        return not any(w.lower() in SENTENCE_STARTERS | {"as", "so", "thus", "here", "note"} for w in words)
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in ("of", "for", "and", "with", "in", "on", "the", "a", "to")
               for w in words)


def _same_word(a: str, b: str) -> bool:
    """One word twice, perhaps once in the plural ("Baseline Baselines"); "As a" is not."""
    a, b = a.lower(), b.lower()
    return a == b or (min(len(a), len(b)) >= 3 and (a + "s" == b or b + "s" == a))


def top_sections(sections: list[Section]) -> dict[str, Section]:
    """Each section's heading -> the top-level section it belongs to (itself, for a top-level one),
    in the paper's order. A subsection before any top-level heading counts as top-level."""
    top_of: dict[str, Section] = {}
    current: Section | None = None
    for section in sections:
        if section.level <= 1 or current is None:
            current = section
        top_of[section.heading] = current
    return top_of
