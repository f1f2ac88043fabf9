"""Writing a built pair and the course pages into content/, each file recorded in the manifest.

Paths come from `builder/layout.py`; pages go through `publish_page`, which keeps the student's
notes and never overwrites their edits. Each report is checked (anchors, support) against the
same evidence `coursewiki check` uses: the PDF's page texts and the cues of the published
subtitles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .analyse.embed import Embedder
from .analyse.related import course_related_terms
from .cache import Cache
from .check.support import SupportChecker, build_evidence, parse_vtt
from .check.validate import Validation, validate_markdown, validation_line
from .config import CourseSettings
from .errors import CoursewikiError
from .fsio import copy_atomic, write_atomic
from .layout.course_record import CourseRecord
from .layout.manifest import Manifest, bytes_digest, file_digest
from .models import GlossaryTerm, PairResult
from .records import to_jsonable
from .stages import Stage
from .write.course_nav import arranged, nav_entries
from .write.pages import subtitles, write_glossary, write_index, write_talk
from .write.report import write_report
from .write.site import abbreviations, front_matter, load_formulas, mathjax_files, write_tags_page
from .write.student_notes import PageOutcome, publish_page
from .write.words import words_for


@dataclass
class Written:
    """What writing did: files changed on disk, pages left alone because a student edited them."""
    changed: list[Path] = field(default_factory=list)
    left_alone: list[PageOutcome] = field(default_factory=list)
    validation: Validation | None = None


@dataclass(frozen=True)
class PairPages:
    """A pair's rendered report and talk page with the report's validation, cached by what they
    are made of (`Writer.pages_key`): rendering and validating them again is most of a build in
    which nothing changed, and their bytes follow from their inputs."""
    report: str
    talk: str
    validation: Validation


PAGES = Stage("pages", "builder.publish")


@dataclass(frozen=True)
class Writer:
    settings: CourseSettings
    manifest: Manifest
    cache: Cache
    glossary: dict[str, GlossaryTerm]
    support: SupportChecker
    warn: object   # the reporter's warn(message)
    glossary_digest: str   # `Course.glossary_digest`: part of every pair's pages key
    llm: object = None   # the build's LLM Endpoint (it remembers its first failure), or None

    def copy(self, source: Path, target: Path, digest: str, done: Written) -> None:
        if copy_atomic(source, target):
            done.changed.append(target)
        self.manifest.wrote(target, digest)

    def file(self, target: Path, data: bytes | str, done: Written) -> None:
        if write_atomic(target, data):
            done.changed.append(target)
        self.manifest.wrote(target, bytes_digest(data))

    def page(self, relative: str, text: str, done: Written, language: str | None = None) -> None:
        """A page, with a notes section for the student in the page's language (the site's unless
        given)."""
        notes = words_for(language or self.settings.site_language)["my notes"]
        outcome = publish_page(self.settings.content_dir / relative, text, self.settings.cache_dir / "pending",
                               relative, notes)
        if outcome.written:
            done.changed.append(outcome.path)
        if outcome.left_alone:
            done.left_alone.append(outcome)
        self.manifest.wrote(outcome.path, "page")   # pages are judged by their own hash (student_notes)

    def pair(self, result: PairResult) -> Written:
        done = Written()
        slug, source = result.source.slug, result.source
        folder = self.settings.content_dir / slug
        video = layout.talk_name(source.video)
        digests = {Path(name): digest for name, (digest, _, _) in result.input_digests.items()}
        self.copy(source.pdf, folder / layout.PDF_NAME, digests.get(source.pdf) or self.cache.file_digest(source.pdf),
                  done)
        self.copy(source.video, folder / video, digests.get(source.video) or self.cache.file_digest(source.video), done)
        vtt = subtitles(result.transcript, "vtt")
        files: dict[str, str | bytes] = {} if result.transcript.withheld else \
            {layout.SUBTITLES: vtt, layout.SUBTITLES_SRT: subtitles(result.transcript, "srt")}
        for chapter, jpeg in zip(result.analysis.chapters, result.keyframe_jpegs):
            if jpeg and chapter.keyframe:
                files[chapter.keyframe] = jpeg
        files.update(result.slide_jpegs)
        files.update(result.figure_images)
        pages = self._pages(result, video, vtt)
        done.validation = pages.validation
        for name, data in files.items():
            self.file(folder / name, data, done)
        title, _, rest = pages.report.partition("\n")
        self.page(f"{slug}/{layout.REPORT}", front_matter(source.config.tags)
                  + f"{title}\n\n{validation_line(done.validation, self.settings.language)}\n{rest}", done,
                  self.settings.language)
        self.page(f"{slug}/{layout.TALK_PAGE}", pages.talk, done)
        return done

    def _pages(self, result: PairResult, video: str, vtt: str) -> PairPages:
        def render() -> PairPages:
            evidence = build_evidence(result.paper.passages, result.paper.page_texts, parse_vtt(vtt))
            report = self._report(result, video, evidence)
            validation = validate_markdown(report, result.paper.page_count, result.transcript.duration_s,
                                           set(self.glossary) | {t.id for t in result.named_terms},
                                           support=self.support, evidence=evidence,
                                           subject=result.source.slug, min_supported=self.settings.min_supported)
            talk = write_talk(result, video, layout.SUBTITLES, self.glossary, embed=not result.talk_has_picture,
                              language=self.settings.site_language)
            return PairPages(report, talk, validation)
        if self.settings.writer == "llm" or not result.stage_keys:
            return render()   # an LLM's report is its own (its answers are cached where it is asked)
        return self.cache.record(PAGES.name, result.source.slug, self.pages_key(result, video), PairPages, render)

    def pages_key(self, result: PairResult, video: str) -> str:
        """Everything a pair's pages are made of: its stages' keys, the links the course gives it,
        its pair.yml, the glossary, the settings the writers and the support check read, and the
        writers' own code (the modules `publish` imports)."""
        settings = self.settings
        return PAGES.key(result.stage_keys, to_jsonable(result.related), to_jsonable(result.named_terms),
                         result.source.slug, video, to_jsonable(result.source.config), self.glossary_digest,
                         settings.language, settings.site_language, settings.min_supported,
                         settings.embedding_model, settings.multilingual_embedding_model)

    def _report(self, result: PairResult, video: str, evidence) -> str:
        """The extractive report, or the LLM's when asked for; an LLM that cannot be reached or
        answers nonsense costs one warning per build and the extractive report, never the pair."""
        if self.settings.writer == "llm":
            from .write.llm_client import LLMSkipped
            from .write.llm_writer import write_llm_report
            try:
                return write_llm_report(result, self.glossary, video, self.settings.llm, self.support, evidence,
                                        self.cache, self.llm)
            except LLMSkipped:
                pass  # the first failure was the build's one warning
            except CoursewikiError as err:
                self.warn(f"{result.source.slug}: {err}; wrote the extractive report instead "
                          f"(the rest of this build asks the endpoint nothing)")
        return write_report(result, self.glossary, video, language=self.settings.language)

    def site(self, built: list[PairResult], failures: list[str], glossary: list[GlossaryTerm],
             embedder: Embedder) -> Written:
        """The course pages, and the navigation (in the home page's order) for the MkDocs plugin."""
        done = Written()
        language = self.settings.site_language
        named = sorted({t.id: t for r in built for t in r.named_terms}.values(), key=lambda t: (t.name.casefold(), t.id))
        pages = {
            layout.INDEX: write_index(self.settings.course_title, built, failures, language),
            layout.GLOSSARY: write_glossary(glossary, built, load_formulas(),
                                            course_related_terms(glossary, built, embedder), named, language),
            layout.TAGS_PAGE: write_tags_page(language),
        }
        for name, text in pages.items():
            self.page(name, text, done)
        # appended to every page by pymdownx.snippets, so it must stay bare: no notes section
        self.file(self.settings.content_dir / layout.ABBREVIATIONS, abbreviations(glossary, named, language), done)
        record = CourseRecord(nav_entries(arranged(built, language), language))
        self.file(self.settings.content_dir / layout.COURSE_RECORD, record.text(), done)
        for name, source in mathjax_files().items():
            self.copy(source, self.settings.content_dir / name, file_digest(source), done)
        return done


def llm_endpoint(settings: CourseSettings):
    """The build's LLM endpoint (it remembers its first failure), or None for the extractive writer."""
    if settings.writer != "llm" or settings.llm is None:
        return None
    from .write.llm_client import Endpoint
    return Endpoint(settings.llm.url, settings.llm.model, settings.llm.timeout_s)
