"""The build, top to bottom: discover pairs -> ingest paper and talk -> analyse -> write pages.

Every expensive stage goes through the content-hash cache, so a second build with nothing
changed transcribes and embeds nothing. One bad pair is reported and skipped; the rest builds.
"""
from __future__ import annotations

import base64
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .analyse.chapters import build_chapters
from .analyse.definitions import paper_vocabulary
from .analyse.embed import Embedder
from .analyse.glossary import TermMatcher, load_glossary
from .analyse.related import related_pairs, related_terms
from .analyse.talk_paper import talk_versus_paper
from .cache import Cache, StageRun, digest_text
from .config import CourseSettings
from .errors import CoursewikiError, PairError
from .fsio import copy_atomic, remove_leftover_temps, write_atomic
from .ingest.figures import FigureSet, figures_of
from .ingest.keyframes import grab_frames, slide_changes
from .ingest.paper import ingest_paper
from .ingest.talk import WhisperSettings, transcribe
from .models import (Field, GlossaryTerm, PairAnalysis, PairFailure, PairResult, PairSource, Paper, SlideShot,
                     Transcript)
from .records import to_jsonable
from .sources import discover_pairs
from .write.markdown import PDF_NAME
from .write.pages import subtitles, write_glossary, write_index, write_talk
from .write.report import write_report
from .write.site import (ABBREVIATIONS, TAGS_PAGE, abbreviations, front_matter, load_formulas, mathjax_files,
                         write_tags_page)
from .write.student_notes import PageOutcome, generated_part, publish_page, split_page
from .write.support import Evidence, SupportChecker, build_evidence, cues_of_segments, read_page_texts, read_vtt
from .write.validate import Validation, validate_markdown, validation_line

def code_digest(*names: str) -> str:
    """Hash of the source of the modules a stage runs, so changed code never reuses stale output."""
    root = Path(__file__).parent
    files = sorted(f for name in names for f in ((root / name).rglob("*.py") if (root / name).is_dir()
                                                  else [root / name]))
    return digest_text([f.read_bytes().decode("utf-8") for f in files + [root / "models.py"]])


STAGE_VERSIONS = {
    "paper": code_digest("ingest/paper.py", "ingest/paper_meta.py", "ingest/pdf_layout.py", "ingest/figures.py"),
    "talk": code_digest("ingest/talk.py", "ingest/sentences.py", "ingest/language.py"),
    "analysis": code_digest("analyse"),
    "keyframes": code_digest("ingest/keyframes.py"),
    "figures": code_digest("ingest/figures.py", "ingest/pdf_layout.py"),
}


class Reporter:
    """What the build tells the user; the CLI supplies one that prints."""
    def step(self, slug: str, message: str) -> None: ...
    def audio_progress(self, slug: str, done_s: float, total_s: float) -> None: ...
    def warn(self, message: str) -> None: ...


@dataclass
class SlideImage:
    start_s: float
    jpeg_base64: str


@dataclass
class Keyframes:
    jpeg_base64: list[str | None]                                  # one per chapter
    slides: list[SlideImage] = field(default_factory=list)         # where the picture changes a lot
    has_picture: bool = True                                       # False: an audio-only talk file


@dataclass
class BuildSummary:
    built: list[str] = field(default_factory=list)
    failed: list[PairFailure] = field(default_factory=list)
    runs: list[StageRun] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    validations: dict[str, Validation] = field(default_factory=dict)
    left_alone: list[PageOutcome] = field(default_factory=list)
    tracebacks: dict[str, str] = field(default_factory=dict)  # shown with -v -v
    removed: list[Path] = field(default_factory=list)

    def ran(self, stage: str) -> list[StageRun]:
        return [r for r in self.runs if r.ran and r.stage == stage]

    def line(self) -> str:
        fresh = {r.subject for r in self.runs if r.ran and r.stage in ("paper", "talk", "analysis")}
        cached = [s for s in self.built if s not in fresh]
        text = (f"{len(self.built)} pair(s) built ({len(cached)} entirely from cache), {len(self.failed)} failed; "
                f"transcribed {len(self.ran('talk'))}, embedded {len(self.ran('embed'))} batch(es); "
                f"{len(self.written)} file(s) updated")
        return text


def build_course(settings: CourseSettings, reporter: Reporter | None = None) -> BuildSummary:
    reporter = reporter or Reporter()
    if settings.content_dir.exists() and not settings.content_dir.is_dir():
        raise CoursewikiError(f"{settings.content_dir}: is a file, not a folder; move it away or pass --content")
    for folder in (settings.content_dir, settings.cache_dir):
        remove_leftover_temps(folder)
    cache = Cache(settings.cache_dir)
    glossary = load_glossary()
    glossary_by_id = {t.id: t for t in glossary}
    matcher = TermMatcher(glossary)
    embedder = Embedder(cache, settings.embedding_model)
    support = SupportChecker(embedder, glossary)
    summary = BuildSummary()
    pairs, summary.failed = discover_pairs(settings.sources_dir)
    glossary_digest = digest_text(to_jsonable(glossary))
    results: list[PairResult] = []
    for pair in pairs:
        try:
            results.append(_build_pair(pair, settings, cache, matcher, embedder, glossary_digest, reporter))
        except CoursewikiError as err:
            summary.failed.append(PairFailure(pair.slug, str(err)))
            summary.tracebacks[pair.slug] = traceback.format_exc()
        except OSError as err:  # the cache or a scratch file could not be written: disk full, permissions
            where = err.filename or settings.cache_dir
            summary.failed.append(PairFailure(pair.slug, f"{where}: cannot write while building {pair.folder.name} "
                                                         f"({err.strerror or err}; free some space or fix permissions)"))
            summary.tracebacks[pair.slug] = traceback.format_exc()
    _link_related(results, glossary_by_id)
    for result in results:
        try:
            _, check = _write_pair(result, settings, glossary_by_id, summary, support, cache, reporter)
            summary.validations[result.source.slug] = check
            summary.built.append(result.source.slug)
        except OSError as err:
            summary.failed.append(PairFailure(result.source.slug, f"{err.filename or settings.content_dir / result.source.slug}: "
                                                                  f"cannot write ({err.strerror or err})"))
            summary.tracebacks[result.source.slug] = traceback.format_exc()
    built = [r for r in results if r.source.slug in summary.built]
    failures = [f.message for f in summary.failed]
    try:
        site_pages = {
            "index.md": write_index(settings.course_title, built, failures),
            "glossary.md": write_glossary(glossary, built, load_formulas(), _related_terms(glossary, built, embedder)),
            TAGS_PAGE: write_tags_page(),
        }
        for name, text in site_pages.items():
            _publish(settings, name, text, summary)
        # appended to every page by pymdownx.snippets, so it must stay bare: no notes section
        if write_atomic(settings.content_dir / ABBREVIATIONS, abbreviations(glossary)):
            summary.written.append(settings.content_dir / ABBREVIATIONS)
        for name, source in mathjax_files().items():
            if copy_atomic(source, settings.content_dir / name):
                summary.written.append(settings.content_dir / name)
        keep = {p.slug for p in pairs} | {f.slug for f in summary.failed}
        summary.removed = remove_stale_pairs(settings.content_dir, keep)
    except OSError as err:
        summary.failed.append(PairFailure("(site)", f"{err.filename or settings.content_dir}: cannot write "
                                                    f"({err.strerror or err})"))
        summary.tracebacks["(site)"] = traceback.format_exc()
    summary.runs = list(cache.log)
    try:
        cache.write_log()
    except OSError:
        pass  # the log is for tests and curious users; a full disk has already been reported
    return summary


def _build_pair(pair: PairSource, settings: CourseSettings, cache: Cache, matcher: TermMatcher,
                embedder: Embedder, glossary_digest: str, reporter: Reporter) -> PairResult:
    reporter.step(pair.slug, f"reading {pair.pdf.name}")
    paper_key, paper = cached_paper(cache, pair.slug, pair.pdf)
    apply_overrides(paper, pair)
    figures_key = digest_text("figures", STAGE_VERSIONS["figures"], cache.file_digest(pair.pdf))
    figure_set = cache.record("figures", pair.slug, figures_key, FigureSet, lambda: _figure_set(pair.pdf))
    paper.figures = figure_set.figures
    whisper = WhisperSettings(model=pair.config.whisper_model or settings.whisper_model, device=settings.device,
                              compute_type=settings.compute_type, language=pair.config.language)
    talk_key = digest_text("talk", STAGE_VERSIONS["talk"], cache.file_digest(pair.video), to_jsonable(whisper))
    reporter.step(pair.slug, f"transcribing {pair.video.name}")
    transcript = cache.record(
        "talk", pair.slug, talk_key, Transcript,
        lambda: transcribe(pair.video, whisper, lambda done, total: reporter.audio_progress(pair.slug, done, total)))
    for warning in transcript.warnings:
        reporter.warn(f"{pair.video}: {warning}")
    analysis_key = digest_text("analysis", STAGE_VERSIONS["analysis"], paper_key, talk_key, glossary_digest,
                               embedder.label)
    reporter.step(pair.slug, "analysing")
    analysis = cache.record("analysis", pair.slug, analysis_key, PairAnalysis,
                            lambda: analyse_pair(paper, transcript, matcher, embedder, pair.slug))
    frames_key = digest_text("keyframes", STAGE_VERSIONS["keyframes"], talk_key,
                             [c.start_s for c in analysis.chapters])
    frames = cache.record("keyframes", pair.slug, frames_key, Keyframes,
                          lambda: _grab_keyframes(pair.video, analysis))
    for chapter, jpeg in zip(analysis.chapters, frames.jpeg_base64):
        chapter.keyframe = f"assets/chapter-{chapter.index + 1}.jpg" if jpeg else None
    jpegs = [base64.b64decode(j) if j else None for j in frames.jpeg_base64]
    slide_jpegs = _place_slides(analysis, frames.slides)
    images = {f.image: base64.b64decode(png) for f, png in zip(figure_set.figures, figure_set.png_base64)}
    return PairResult(source=pair, paper=paper, transcript=transcript, analysis=analysis, keyframe_jpegs=jpegs,
                      figure_images=images, slide_jpegs=slide_jpegs, talk_has_picture=frames.has_picture)


def cached_paper(cache: Cache, slug: str, pdf: Path) -> tuple[str, Paper]:
    """The ingested paper, shared by `build` and `check` through the cache."""
    key = digest_text("paper", STAGE_VERSIONS["paper"], __version__, cache.file_digest(pdf))
    return key, cache.record("paper", slug, key, Paper, lambda: ingest_paper(pdf))


def _figure_set(pdf: Path) -> FigureSet:
    found = figures_of(pdf)
    return FigureSet([f for f, _ in found], [base64.b64encode(png).decode("ascii") for _, png in found])


def apply_overrides(paper: Paper, pair: PairSource) -> None:
    """pair.yml wins over what the PDF says; the report then cites pair.yml as the source."""
    for name in ("title", "authors", "affiliations", "venue", "year", "arxiv_id", "doi", "field_of_study",
                 "keywords", "abstract"):
        value = getattr(pair.config, name)
        if value not in (None, [], ""):
            setattr(paper.meta, name, Field(value, None, "pair.yml"))
            if name in paper.missing_fields:
                paper.missing_fields.remove(name)


def analyse_pair(paper: Paper, transcript: Transcript, matcher: TermMatcher, embedder: Embedder,
                 slug: str) -> PairAnalysis:
    passage_vectors = embedder.encode([p.text for p in paper.passages], f"{slug}/paper")
    segment_vectors = embedder.encode([s.text for s in transcript.segments], f"{slug}/talk")
    chapters = build_chapters(transcript.segments, segment_vectors, transcript.duration_s, matcher)
    alignments, supplements = talk_versus_paper(paper, transcript, chapters, segment_vectors, passage_vectors,
                                                embedder, slug)
    passages, definitions, own_terms = paper_vocabulary(paper, matcher)
    uses = matcher.in_passages(passages) + matcher.in_segments(transcript.segments)
    front = [i for i, p in enumerate(paper.passages) if p.section.lower().endswith(("abstract", "introduction"))]
    basis = passage_vectors[front] if front else passage_vectors
    paper_vector = [round(float(x), 6) for x in basis.mean(axis=0)] if len(basis) else []
    return PairAnalysis(term_uses=uses, chapters=chapters, alignments=alignments, supplements=supplements,
                        paper_vector=paper_vector, definitions=definitions, paper_terms=own_terms)


def _keyframe_time(start_s: float, end_s: float) -> float:
    return min(start_s + 2.0, (start_s + end_s) / 2)


def _grab_keyframes(video: Path, analysis: PairAnalysis) -> Keyframes:
    times = [_keyframe_time(c.start_s, c.end_s) for c in analysis.chapters]
    jpegs = grab_frames(video, times)
    slides = [SlideImage(t, base64.b64encode(j).decode("ascii")) for t, j in slide_changes(video)]
    return Keyframes([base64.b64encode(j).decode("ascii") if j else None for j in jpegs], slides,
                     has_picture=any(jpegs) or bool(slides))


def _place_slides(analysis: PairAnalysis, slides: list[SlideImage]) -> dict[str, bytes]:
    """Put each slide change into the chapter it falls in; one that shows when the chapter's own
    keyframe is taken (within 2.5 s) would be the same picture twice and is left out."""
    images: dict[str, bytes] = {}
    for chapter in analysis.chapters:
        chapter.slides = []
        own = _keyframe_time(chapter.start_s, chapter.end_s) if chapter.keyframe else None
        for slide in slides:
            inside = chapter.start_s <= slide.start_s < chapter.end_s or (
                chapter is analysis.chapters[-1] and slide.start_s >= chapter.end_s)
            if inside and (own is None or abs(slide.start_s - own) >= 2.5):
                name = f"assets/slide-{int(slide.start_s * 1000):08d}.jpg"
                chapter.slides.append(SlideShot(slide.start_s, name))
                images[name] = base64.b64decode(slide.jpeg_base64)
    return images


def _link_related(results: list[PairResult], glossary: dict[str, GlossaryTerm]) -> None:
    titles = {r.source.slug: r.paper.meta.value("title") or r.source.slug for r in results}
    vectors = {r.source.slug: r.analysis.paper_vector for r in results}
    terms = {r.source.slug: Counter(u.term_id for u in r.analysis.term_uses if u.page_no is not None) for r in results}
    links = related_pairs(titles, vectors, terms, glossary)
    for result in results:
        result.related = links.get(result.source.slug, [])


def _related_terms(glossary: list[GlossaryTerm], results: list[PairResult], embedder: Embedder):
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


def video_name(pair: PairSource) -> str:
    return "talk" + pair.video.suffix.lower()


def _write_pair(result: PairResult, settings: CourseSettings, glossary: dict[str, GlossaryTerm],
                summary: BuildSummary, support: SupportChecker, cache: Cache, reporter: Reporter):
    folder = settings.content_dir / result.source.slug
    written: list[Path] = []
    video = video_name(result.source)
    if copy_atomic(result.source.pdf, folder / PDF_NAME):
        written.append(folder / PDF_NAME)
    if copy_atomic(result.source.video, folder / video):
        written.append(folder / video)
    files: dict[Path, str | bytes] = {
        folder / "talk.vtt": subtitles(result.transcript, "vtt"),
        folder / "talk.srt": subtitles(result.transcript, "srt"),
    }
    for chapter, jpeg in zip(result.analysis.chapters, result.keyframe_jpegs):
        if jpeg and chapter.keyframe:
            files[folder / chapter.keyframe] = jpeg
    for name, jpeg in result.slide_jpegs.items():
        files[folder / name] = jpeg
    for name, png in result.figure_images.items():
        files[folder / name] = png
    evidence = build_evidence(result.paper.passages, read_page_texts(result.source.pdf),
                              cues_of_segments(result.transcript.segments))
    report = _report(result, glossary, video, settings, support, evidence, cache, reporter)
    check = validate_markdown(report, result.paper.page_count, result.transcript.duration_s, set(glossary),
                              support=support, evidence=evidence, subject=result.source.slug,
                              min_supported=settings.min_supported)
    for path, data in files.items():
        if write_atomic(path, data):
            written.append(path)
    summary.written += written
    slug = result.source.slug
    _publish(settings, f"{slug}/report.md", front_matter(result.source.config.tags) + _with_validation(report, check),
             summary)
    _publish(settings, f"{slug}/talk.md",
             write_talk(result, video, "talk.vtt", glossary, embed=not result.talk_has_picture), summary)
    return written, check


def _publish(settings: CourseSettings, relative: str, text: str, summary: BuildSummary) -> None:
    outcome = publish_page(settings.content_dir / relative, text, settings.cache_dir / "pending", relative)
    if outcome.written:
        summary.written.append(outcome.path)
    if outcome.left_alone:
        summary.left_alone.append(outcome)


GENERATED_FILE = re.compile(r"^(paper\.pdf|talk\.[a-z0-9]+|assets/[a-z]+-\d+\.(jpg|png))$")


def remove_stale_pairs(content_dir: Path, keep: set[str]) -> list[Path]:
    """Take down the pages of pairs whose sources are gone, but only what we generated and nobody
    edited: a folder holding a student's file or an edited page stays, with just that left in it."""
    removed: list[Path] = []
    if not content_dir.is_dir():
        return removed
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir() and p.name not in keep):
        report = folder / "report.md"
        if not report.is_file() or split_page(report.read_text(encoding="utf-8", errors="replace"))[0] is None:
            continue  # not a pair folder we made, or its report was edited: a person's work, leave it
        for path in sorted(folder.rglob("*"), reverse=True):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and not path.is_symlink():
                ours = (split_page(path.read_text(encoding="utf-8", errors="replace"))[0] is not None
                        if path.suffix == ".md" else bool(GENERATED_FILE.match(relative)))
                if ours:
                    path.unlink()
                    removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _report(result: PairResult, glossary: dict[str, GlossaryTerm], video: str, settings: CourseSettings,
            support: SupportChecker, evidence: Evidence, cache: Cache, reporter: Reporter) -> str:
    """The extractive report, or the LLM's when asked for; an LLM that cannot be reached or
    answers nonsense costs a warning and the extractive report, never the pair."""
    if settings.writer == "llm":
        from .write.llm_writer import write_llm_report
        try:
            return write_llm_report(result, glossary, video, settings.llm, support, evidence, cache)
        except CoursewikiError as err:
            reporter.warn(f"{result.source.slug}: {err}; wrote the extractive report instead")
    return write_report(result, glossary, video)


def _with_validation(report: str, check: Validation) -> str:
    title, _, rest = report.partition("\n")
    return f"{title}\n\n{validation_line(check)}\n{rest}"


def check_course(settings: CourseSettings) -> dict[str, Validation]:
    """Validate every report and talk page in content/ against the files served beside them:
    anchors must resolve, and each report's cited sentences must be supported by the PDF page
    text and the talk.vtt cues they point at."""
    from .ingest.paper import open_pdf
    from .ingest.talk import media_duration
    glossary = load_glossary()
    glossary_ids = {t.id for t in glossary}
    if not settings.content_dir.is_dir():
        raise CoursewikiError(f"{settings.content_dir}: no content folder; run `coursewiki build` first")
    cache = Cache(settings.cache_dir)
    support = SupportChecker(Embedder(cache, settings.embedding_model), glossary)
    results: dict[str, Validation] = {}
    for folder in sorted(p for p in settings.content_dir.iterdir() if p.is_dir() and (p / "report.md").is_file()):
        pdf = folder / PDF_NAME
        try:
            with open_pdf(pdf) as doc:
                page_count = doc.page_count
        except PairError:
            page_count = 0
        talks = sorted(folder.glob("talk.*"))
        talks = [t for t in talks if t.suffix not in (".md", ".vtt", ".srt")]
        duration = media_duration(talks[0]) if talks else None
        evidence = _published_evidence(folder, cache) if page_count else None
        for name in ("report.md", "talk.md"):
            page = folder / name
            if page.is_file():
                checker = support if name == "report.md" else None
                results[f"{folder.name}/{name}"] = validate_markdown(
                    generated_part(page.read_text(encoding="utf-8")), page_count, duration, glossary_ids, support=checker,
                    evidence=evidence, subject=folder.name, min_supported=settings.min_supported)
    return results


def _published_evidence(folder: Path, cache: Cache) -> Evidence | None:
    """What a pair's anchors point at, read from the published paper.pdf and talk.vtt alone."""
    pdf, vtt = folder / PDF_NAME, folder / "talk.vtt"
    try:
        _, paper = cached_paper(cache, folder.name, pdf)
    except CoursewikiError:
        return None
    return build_evidence(paper.passages, read_page_texts(pdf), read_vtt(vtt) if vtt.is_file() else [])
