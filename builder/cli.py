"""The `coursewiki` command: a thin shell that turns options into calls to the pipeline."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from .config import SETTINGS, CourseSettings
from .errors import CoursewikiError, disk_error
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


def setting_option(name: str):
    """A flag for one course setting: its help and default come from `config.SETTINGS`; it defaults to
    None, so a setting given in mkdocs.yml holds unless the flag is given for this run."""
    spec = SETTINGS[name]
    flags = spec.flags or ("--" + name.replace("_", "-"),)
    default = spec.default_text()
    if spec.kind is bool:  # --online/--offline: the default is named by its flag
        on, off = flags[0].split("/")
        return click.option(flags[0], name, default=None,
                            help=f"{spec.help} [setting: {name}] [default: {(on if spec.default else off).lstrip('-')}]")
    if spec.choices:
        kind = click.Choice(spec.choices)
    elif spec.kind is float:
        kind = click.FloatRange(spec.minimum, spec.maximum, min_open=spec.minimum_open)
    elif spec.kind is int:
        kind = click.IntRange(int(spec.minimum), int(spec.maximum))
    else:
        kind = None
    shown = f" [setting: {name}]" + (f" [default: {default}]" if default else "")
    return click.option(*flags, name, type=kind, default=None, help=spec.help + shown)


def _content_option(help_text: str):
    return click.option("--content", type=click.Path(file_okay=False),
                        help=f"{help_text} (default: docs_dir in mkdocs.yml, else ROOT/content).")


_cache_option = setting_option("cache")
_min_supported_option = setting_option("min_supported")


@main.command(help="Build every pair under sources/ into content/, then `mkdocs serve` shows the site. "
              "Settings come from the coursewiki plugin's options in mkdocs.yml; a flag overrides one for "
              "this run.\n\n\b\n" + SOURCES_HELP)
@_common
@click.option("--pair", "pairs", multiple=True, metavar="SLUG",
              help="Build only this pair (its folder name under sources/; repeat for more). The other pairs "
                   "are taken from the cache as their last build left them, so the course pages stay whole; "
                   "one never built with its current sources keeps its pages as they are.")
@setting_option("sources")
@_content_option("Output folder")
@_cache_option
@setting_option("whisper_model")
@setting_option("device")
@setting_option("compute_type")
@setting_option("talk_vocabulary")
@setting_option("embedding_model")
@setting_option("multilingual_embedding_model")
@setting_option("writer")
@setting_option("llm_url")
@setting_option("llm_model")
@setting_option("llm_timeout")
@setting_option("language")
@_min_supported_option
@setting_option("jobs")
@setting_option("scheduler")
@setting_option("online")
@setting_option("arxiv_api_url")
@setting_option("crossref_api_url")
@setting_option("online_timeout_s")
def build(root, verbose, quiet, content, pairs, **flags):
    verbosity = 0 if quiet else 1 + verbose
    try:
        settings = _settings(root, content_dir=content, **flags)
        summary = build_course(settings, TerminalReporter(verbosity), only=pairs or None)
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
    for slug in summary.kept:
        click.echo(f"kept: {slug} has no cached build of its current sources, so its pages stay as they were; "
                   f"coursewiki build --pair {slug} builds it", err=True)
    if summary.removed and verbosity:
        click.echo(f"removed {len(summary.removed)} generated file(s) of pairs no longer in sources/", err=True)
    click.echo(summary.line())
    sys.exit(1 if summary.failed else 0)


@main.command(help="Start a course of one's own in DIR: mkdocs.yml (Material, English and Chinese search, the "
                   "plugins, the course settings), sources/ with a README of its layout, .gitignore, "
                   "requirements.txt and a GitHub Pages workflow. Never overwrites a file.")
@click.argument("folder", metavar="DIR")
@click.option("--title", help="The site's name (site_name in mkdocs.yml; default: from DIR's name).")
def new(folder, title):
    from .new import new_course
    try:
        written = new_course(Path(folder), title)
    except CoursewikiError as err:
        _fail(err, 0)
    except OSError as err:
        _fail(CoursewikiError(disk_error(err, Path(folder))), 0)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: put a pair in {Path(folder) / 'sources'}/<slug>/ (paper.pdf and talk.mp4), then "
               f"cd {folder} && coursewiki build && mkdocs serve")


@main.command(help="Validate the pages in content/: PDF pages, talk times and glossary links must resolve, and "
                   "each report's cited sentences must be supported by the PDF page or talk moment they cite "
                   "(numbers, words and meaning).")
@_common
@_content_option("Content folder")
@_cache_option
@_min_supported_option
def check(root, verbose, quiet, content, cache, min_supported):
    try:
        settings = _settings(root, content_dir=content, cache=cache, min_supported=min_supported)
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


@main.command(name="cache", help="Show what the cache holds: its size per stage and per pair, and what no pair "
                                  "of any course built with it uses any more (what the last build of each course "
                                  "did not read: old versions of a talk or paper, stages whose code changed, "
                                  "removed pairs). --prune deletes that.")
@_common
@setting_option("sources")
@_cache_option
@click.option("--prune", is_flag=True, help="Delete the entries no course's last build used.")
def cache_command(root, verbose, quiet, prune, **flags):
    from .cache_usage import cache_report, prune as prune_entries, size_text
    try:
        settings = _settings(root, **flags)
    except CoursewikiError as err:
        _fail(err, verbose)
    cache_dir = settings.cache_dir
    if not cache_dir.is_dir():
        click.echo(f"{cache_dir}: no cache yet (coursewiki build makes it)")
        return
    report = cache_report(cache_dir, settings.sources_dir)
    click.echo(f"{cache_dir}: {report.total.entries} entries, {size_text(report.total.size)}")
    if not quiet:
        for title, rows in (("stage", report.by_stage), ("pair", report.by_pair)):
            click.echo(f"  {title:<22}{'entries':>9}{'size':>11}")
            for name, tally in sorted(rows.items()):
                click.echo(f"  {name:<22}{tally.entries:>9}{size_text(tally.size):>11}")
    if not report.recorded:
        click.echo(f"  no build of {settings.sources_dir} has recorded what it uses: run `coursewiki build` "
                   "before --prune")
        if prune:
            sys.exit(1)
        return
    click.echo(f"  not used by any course: {report.unused.entries} entries, {size_text(report.unused.size)}")
    if prune:
        removed = prune_entries(cache_dir, report)
        click.echo(f"removed {removed.entries} entries, {size_text(removed.size)}")


@main.command(help="Take the new version of pages you edited (the build left them alone and said so). "
                    "Your notes section is kept; your other edits to those pages are replaced.")
@_common
@click.argument("pages", nargs=-1)
@click.option("--all", "take_all", is_flag=True, help="Every page the last builds left alone.")
@_content_option("Content folder")
@_cache_option
def accept(root, verbose, quiet, pages, take_all, content, cache):
    try:
        settings = _settings(root, content_dir=content, cache=cache)
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


def _fail(err: Exception, verbose: int) -> None:
    if verbose:
        traceback.print_exc()
    click.echo(f"error: {err}", err=True)
    sys.exit(2)
