"""The `coursewiki` command: a thin shell that turns options into calls to the pipeline."""
from __future__ import annotations

import sys
import traceback
from dataclasses import fields
from pathlib import Path

import click

from .config import CourseSettings, LLMSettings
from .errors import ConfigError, CoursewikiError, disk_error
from .check.course import check_course
from .pipeline import Reporter, build_course
from .sources import SOURCES_HELP
from .write.student_notes import accept_pending, pending_page


class TerminalReporter(Reporter):
    def __init__(self, verbosity: int):
        self.verbosity = verbosity
        self._last_bar = ""

    def step(self, slug: str, message: str) -> None:
        if self.verbosity >= 1:
            click.echo(f"[{slug}] {message}", err=True)

    def audio_progress(self, slug: str, done_s: float, total_s: float) -> None:
        if self.verbosity < 1 or total_s <= 0:
            return
        width = 30
        filled = int(width * min(1.0, done_s / total_s))
        bar = f"\r[{slug}] transcribing |{'#' * filled}{'.' * (width - filled)}| {done_s:6.1f}/{total_s:.1f} s audio"
        if bar != self._last_bar:
            click.echo(bar, err=True, nl=done_s >= total_s)
            self._last_bar = bar

    def warn(self, message: str) -> None:
        click.echo(f"warning: {message}", err=True)


DEFAULTS = {f.name: f.default for f in fields(CourseSettings)}


def _settings(root: str, **options) -> CourseSettings:
    return CourseSettings.for_root(Path(root), **options)


@click.group(help="Turn (paper PDF, talk video) pairs into a cited, cross-linked MkDocs Material course wiki.")
@click.version_option(package_name="coursewiki")
def main() -> None:
    pass


def _common(command):
    command = click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False),
                           help="Course folder holding sources/, content/ and mkdocs.yml.")(command)
    command = click.option("-v", "--verbose", count=True, help="More detail; -v also shows tracebacks.")(command)
    command = click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary line.")(command)
    return command


def _content_option(help_text: str):
    return click.option("--content", type=click.Path(file_okay=False), help=f"{help_text} (default: ROOT/content).")


_cache_option = click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
                             help="Cache folder (default: ROOT/.coursewiki-cache).")
_min_supported_option = click.option(
    "--min-supported", type=click.FloatRange(0, 1), default=DEFAULTS["min_supported"], show_default=True,
    help="Smallest fraction of a report's cited sentences that must be supported by their evidence.")


@main.command(help="Build every pair under sources/ into content/, then `mkdocs serve` shows the site.\n\n\b\n"
              + SOURCES_HELP)
@_common
@click.option("--sources", type=click.Path(file_okay=False), help="Sources folder (default: ROOT/sources).")
@_content_option("Output folder")
@_cache_option
@click.option("--whisper-model", help="faster-whisper model name or local folder (default: the packaged tiny.en for English talks, "
                   "the packaged multilingual base for others; small, large-v3-turbo: from the hub).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=DEFAULTS["device"], show_default=True)
@click.option("--compute-type", default=DEFAULTS["compute_type"], show_default=True, help="CTranslate2 compute type, e.g. int8, float16.")
@click.option("--embedding-model", help="sentence-transformers model name or folder, e.g. a multilingual one for "
              "Chinese talks (default: bundled MiniLM); part of every embedding's cache key.")
@click.option("--writer", type=click.Choice(["extractive", "llm"]), default=DEFAULTS["writer"], show_default=True,
              help="Who writes the reading report: quoted source sentences, or a language model from numbered "
                   "evidence (needs --llm-url and --llm-model).")
@click.option("--llm-url", help="OpenAI-compatible API base URL, e.g. http://127.0.0.1:8080/v1 (llama.cpp server) "
                                "or http://127.0.0.1:11434/v1 (Ollama). The API key, if one is needed, is read from "
                                "COURSEWIKI_LLM_KEY or OPENAI_API_KEY.")
@click.option("--llm-model", help="Model name the endpoint knows, e.g. qwen2.5:7b-instruct.")
@click.option("--llm-timeout", type=click.FloatRange(0, 3600, min_open=True), default=120, show_default=True,
              help="Seconds one request to the LLM endpoint may take in all (one retry included); after the "
                   "first failure the build asks it nothing more (extractive reports).")
@click.option("--language", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of an LLM-written report.")
@_min_supported_option
@click.option("--online/--offline", default=DEFAULTS["online"], show_default=True,
              help="Look each paper up by the arXiv id or DOI its PDF prints (arXiv API, Crossref) for title, "
                   "authors, venue and year; an answer is used only when its title is printed on page 1.")
def build(root, verbose, quiet, sources, content, cache_dir, whisper_model, device, compute_type, embedding_model,
          writer, llm_url, llm_model, llm_timeout, language, min_supported, online):
    verbosity = 0 if quiet else 1 + verbose
    try:
        settings = _settings(root, sources_dir=sources, content_dir=content, cache_dir=cache_dir,
                             whisper_model=whisper_model, device=device, compute_type=compute_type,
                             embedding_model=embedding_model, writer=writer, min_supported=min_supported,
                             llm=_llm_settings(writer, llm_url, llm_model, language, llm_timeout), online=online)
        summary = build_course(settings, TerminalReporter(verbosity))
    except CoursewikiError as err:
        _fail(err, verbose)
    except OSError as err:  # a disk or folder problem outside any one pair
        _fail(CoursewikiError(disk_error(err, root)), verbose)
    for failure in summary.failed:
        if verbose and failure.slug in summary.tracebacks:
            click.echo(summary.tracebacks[failure.slug].rstrip(), err=True)
        click.echo(f"error: {failure.message}", err=True)
    for slug, check in summary.validations.items():
        for problem in check.problems:
            click.echo(f"check: {slug}/report.md {problem}", err=True)
        if not check.support_ok:
            click.echo(f"check: {slug}/report.md {_support_problem(check)}", err=True)
        if verbose:
            for line in check.unsupported:
                click.echo(f"check: {slug}/report.md {line}", err=True)
    for page in summary.left_alone:
        relative = page.path.relative_to(settings.content_dir).as_posix()
        click.echo(f"kept: {page.path} was edited outside its notes section, so this build left it alone; "
                   f"the new version is in {page.pending}. To take it (your notes are kept): "
                   f"coursewiki accept {relative}", err=True)
    if summary.removed and verbosity:
        click.echo(f"removed {len(summary.removed)} generated file(s) of pairs no longer in sources/", err=True)
    click.echo(summary.line())
    sys.exit(1 if summary.failed else 0)


@main.command(help="Validate the pages in content/: PDF pages, talk times and glossary links must resolve, and "
                   "each report's cited sentences must be supported by the PDF page or talk moment they cite "
                   "(numbers, words and meaning).")
@_common
@_content_option("Content folder")
@_cache_option
@_min_supported_option
def check(root, verbose, quiet, content, cache_dir, min_supported):
    try:
        settings = _settings(root, content_dir=content, cache_dir=cache_dir, min_supported=min_supported)
        results = check_course(settings)
    except CoursewikiError as err:
        _fail(err, verbose)
    failed = 0
    for page, validation in results.items():
        for problem in validation.problems:
            click.echo(f"{page}: {problem}", err=True)
        if not validation.support_ok:
            click.echo(f"{page}: {_support_problem(validation)}", err=True)
        if not validation.support_ok or verbose:
            for line in validation.unsupported:
                click.echo(f"{page}: {line}", err=True)
        failed += not validation.ok
        if not quiet and verbose:
            click.echo(f"{page}: {validation.anchors} anchors, {validation.glossary_links} glossary links, "
                       f"{validation.supported}/{validation.cited} cited sentences supported")
    anchors = sum(v.anchors for v in results.values())
    cited = sum(v.cited for v in results.values())
    supported = sum(v.supported for v in results.values())
    click.echo(f"{len(results)} page(s) checked, {anchors} source anchors, {supported}/{cited} cited sentences "
               f"supported, {failed} page(s) with problems")
    sys.exit(1 if failed else 0)


@main.command(help="Take the new version of pages you edited (the build left them alone and said so). "
                    "Your notes section is kept; your other edits to those pages are replaced.")
@_common
@click.argument("pages", nargs=-1)
@click.option("--all", "take_all", is_flag=True, help="Every page the last builds left alone.")
@_content_option("Content folder")
@_cache_option
def accept(root, verbose, quiet, pages, take_all, content, cache_dir):
    try:
        settings = _settings(root, content_dir=content, cache_dir=cache_dir)
    except CoursewikiError as err:
        _fail(err, verbose)
    pending_dir = settings.cache_dir / "pending"
    if take_all:
        pages = sorted(p.relative_to(pending_dir).as_posix() for p in pending_dir.rglob("*.md")) if pending_dir.is_dir() else []
    if not pages:
        click.echo("nothing to accept: name pages (e.g. dpo/report.md) or use --all", err=True)
        sys.exit(1)
    failed = 0
    for page in pages:
        found = pending_page(page, settings.content_dir, pending_dir, Path.cwd())
        if found is None:
            click.echo(f"error: {page}: no new version waiting (only pages a build left alone can be accepted)", err=True)
            failed += 1
            continue
        relative, pending = found
        try:
            accept_pending(settings.content_dir / relative, pending)
        except (ValueError, OSError) as err:
            click.echo(f"error: {page}: {err}", err=True)
            failed += 1
            continue
        if not quiet:
            click.echo(f"accepted {relative}")
    sys.exit(1 if failed else 0)


@main.command(help="Serve the built site (ROOT/site, from `mkdocs build`) with HTTP range requests, which "
              "the talk player needs to seek; `mkdocs serve` does not answer them.")
@click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Course folder holding site/.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(root, port, host):
    from .serve import make_server, server_url
    site = Path(root) / "site"
    if not (site / "index.html").is_file():
        _fail(CoursewikiError(f"{site}: no built site; run `coursewiki build && mkdocs build` first"), 0)
    try:
        server = make_server(site, host, port, verbose=True)
    except CoursewikiError as err:
        _fail(err, 0)
    click.echo(f"serving {site} at {server_url(server)} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _support_problem(validation) -> str:
    return (f"only {validation.supported} of {validation.cited} cited sentences are supported by their evidence "
            f"({validation.supported_fraction:.0%}, below {validation.min_supported:.0%})")


def _llm_settings(writer: str, url: str | None, model: str | None, language: str,
                  timeout_s: float = 120.0) -> LLMSettings | None:
    """Checked before anything is built, so a malformed --llm-url is one line and no half-built content/."""
    if url is not None:
        from .write.llm_client import shown_value, url_problem
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"invalid value for '--llm-url': {shown_value(url)} {problem}")
    if writer != "llm":
        return None
    if not url or not model:
        raise ConfigError("--writer llm needs --llm-url (an OpenAI-compatible /v1 URL) and --llm-model")
    return LLMSettings(url=url, model=model, language=language, timeout_s=timeout_s)


def _fail(err: Exception, verbose: int) -> None:
    if verbose:
        traceback.print_exc()
    click.echo(f"error: {err}", err=True)
    sys.exit(2)
