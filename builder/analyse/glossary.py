"""The course glossary and term detection in paper sentences and transcript segments.

Surface forms are matched with word boundaries; abbreviations only in their printed case (and
as ASR spells them out: "D.P.O."), so "dpo" inside a word or a URL is not a use of DPO.
"""
from __future__ import annotations

import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

import yaml

from ..errors import ConfigError
from ..ingest.chinese import has_cjk
from ..models.analysis import TermUse
from ..models.glossary import GlossaryTerm
from ..models.paper import Passage
from ..models.talk import Segment

GLOSSARY_FILE = "glossary.yml"
# libyaml's safe loader where PyYAML has it (its wheels do): the same rows, read in a tenth of the
# time (the curated glossary is read by every build and every `check`: 0.13 s -> 0.014 s).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_glossary(path: Path | None = None) -> list[GlossaryTerm]:
    """The packaged course glossary, or a course's own file with the same schema."""
    if path is None:
        text = resources.files("builder.data").joinpath(GLOSSARY_FILE).read_text(encoding="utf-8")
        where = f"builder/data/{GLOSSARY_FILE}"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        rows = yaml.load(text, Loader=SAFE_LOADER) or []
    except yaml.YAMLError as err:
        raise ConfigError(f"{where}: not valid YAML ({err})") from err
    terms = []
    for row in rows:
        try:
            source = {k: str(v) for k, v in (row.get("source") or {}).items()}
            terms.append(GlossaryTerm(
                id=row["id"], term=row["term"], zh=row["zh"], definition=row["definition"].strip(),
                definition_zh=row["definition_zh"].strip(), abbr=row.get("abbr"),
                aliases=list(row.get("aliases") or []), aliases_zh=list(row.get("aliases_zh") or []),
                source=source, related=list(row.get("related") or [])))
        except (KeyError, TypeError, AttributeError) as err:
            raise ConfigError(f"{where}: entry {row.get('id', row) if isinstance(row, dict) else row!r} "
                              f"is missing {err}") from err
    return terms


def _form_pattern(form: str) -> str:
    """Words may be joined by a space, a hyphen or nothing: "pre-training" = "pretraining"."""
    parts = [re.escape(p) for p in re.split(r"[\s\-‐–]+", form.strip()) if p]
    return r"[\s\-‐–]?".join(parts)


def _abbr_pattern(abbr: str) -> str:
    letters = [re.escape(c) for c in abbr]
    spelled = r"\.?\s?".join(letters) + r"\.?" if abbr.isalpha() and abbr.isupper() and len(abbr) <= 5 else None
    plain = re.escape(abbr)
    return f"(?:{plain}|{spelled})" if spelled else plain


class TermMatcher:
    def __init__(self, terms: list[GlossaryTerm]):
        self.terms = {t.id: t for t in terms}
        # (term id, pattern) for each term's words and for its abbreviations and Chinese names, in
        # glossary order; and which of them a text must be searched with: those with no cheap test
        # (`_always`), and those of each string any match must contain (in lower case, or as written)
        self._patterns: list[tuple[str, re.Pattern]] = []
        self._always: list[int] = []
        self._by_needle: dict[tuple[str, bool], list[int]] = {}
        for term in terms:
            words = [w for w in [term.term] + [a for a in term.aliases if not is_acronym(a)] if w.strip()]
            acronyms = [a for a in ([term.abbr] if term.abbr else []) + [a for a in term.aliases if is_acronym(a)]
                        if a and len(a) >= 2]
            chinese = [z for z in [term.zh, *term.aliases_zh] if z]
            patterns = []
            if words:
                plain = "|".join(sorted({_form_pattern(w) for w in words}, key=len, reverse=True))
                patterns.append((re.compile(rf"(?<![\w-])(?:{plain})(?:s|es)?(?![\w-])", re.I),
                                 _first_parts(words), True))
            if acronyms or chinese:
                parts = [_abbr_pattern(a) for a in acronyms] + [re.escape(z) for z in chinese]
                patterns.append((re.compile(rf"(?<![A-Za-z0-9-])(?:{'|'.join(parts)})(?:s)?(?![A-Za-z0-9])"),
                                 tuple(form[0] for form in acronyms + chinese), False))
            for pattern, needles, any_case in patterns:
                if needles is None:
                    self._always.append(len(self._patterns))
                for needle in needles or ():
                    self._by_needle.setdefault((needle, any_case), []).append(len(self._patterns))
                self._patterns.append((term.id, pattern))

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(term id, start, end) of every use in `text`, in text order. A match inside a longer
        match of another term is not a use of its own: "masked language model" is MLM, not also
        "language model"; "Rotary Position Embedding" is RoPE, not also "position embedding"."""
        lowered = text.lower()
        # the cheap substring tests spare most texts most of the regular expressions (looked up once
        # per string, not once per term: a paper's vocabulary spent a third of its time on them)
        searched = set(self._always)
        for (needle, any_case), indices in self._by_needle.items():
            if needle in (lowered if any_case else text):
                searched.update(indices)
        found = []
        for index in sorted(searched):
            term_id, pattern = self._patterns[index]
            found += [(term_id, m.start(), m.end()) for m in pattern.finditer(text)]
        found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
        kept: list[tuple[str, int, int]] = []
        for term_id, start, end in found:
            if any(k_start <= start and end <= k_end and (k_end - k_start) > (end - start) and k_id != term_id
                   for k_id, k_start, k_end in kept):
                continue
            if not any(k_id == term_id and k_start == start for k_id, k_start, _ in kept):
                kept.append((term_id, start, end))
        return kept

    def without_abbreviations(self, abbreviations: dict[str, set[str]]) -> "TermMatcher":
        """The same terms, less the abbreviations given per term id: where a paper spells "RNN"
        out as something else, its "RNN" is no use of the course's recurrent neural network."""
        return TermMatcher([replace(term, abbr=None if term.abbr in abbreviations.get(term.id, ()) else term.abbr,
                                    aliases=[a for a in term.aliases if a not in abbreviations.get(term.id, ())])
                            for term in self.terms.values()])

    def with_english_names(self, text: str) -> str:
        """`text` followed by the English name of every glossary term it uses by its Chinese name,
        so that word counts can compare a Chinese talk with an English paper on its terms
        (奖励模型 counts as "reward model")."""
        if not has_cjk(text):
            return text
        named = [self.terms[term_id] for term_id, start, end in self.spans(text) if has_cjk(text[start:end])]
        return " ".join([text] + [" ".join(filter(None, (t.term, t.abbr))) for t in named])

    def find(self, text: str) -> list[str]:
        """Ids of the glossary terms used in `text`, in glossary order."""
        used = {term_id for term_id, _, _ in self.spans(text)}
        return [term_id for term_id in self.terms if term_id in used]

    def in_passages(self, passages: list[Passage]) -> list[TermUse]:
        return [TermUse(term_id, p.text, page_no=p.page_no)
                for p in passages for term_id in self.find(p.text)]

    def in_segments(self, segments: list[Segment]) -> list[TermUse]:
        return [TermUse(term_id, s.text, start_s=s.start_s)
                for s in segments for term_id in self.find(s.text)]


def _first_parts(forms: list[str]) -> tuple[str, ...] | None:
    """What a case-blind match of any of the forms must contain: the first word of one of them,
    in lower case (None, "always look", where a word is not plain ASCII and case-folding might
    not be lower-casing)."""
    firsts = [re.split(r"[\s\-‐–]+", form.strip())[0].lower() for form in forms]
    return tuple(firsts) if all(first.isascii() and first for first in firsts) else None


def is_acronym(form: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Za-z0-9.\-]*[A-Z0-9.]", form)) and sum(c.isupper() for c in form) >= 2
