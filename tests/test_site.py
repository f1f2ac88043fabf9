"""Site-wide pieces without a browser: the Markdown the site's own configuration renders, the home
page order, tooltips' text, math spans, the range-answering server, and deploying with gh-deploy."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import markdown
import pytest
import yaml

from builder.analyse.glossary import load_glossary
from builder.config import _TolerantLoader
from builder.models import (Chapter, Field, GlossaryTerm, PairAnalysis, PairConfig, PairResult, PairSource, Paper,
                            PaperMeta, RelatedLink)
from builder.serve import serve_in_thread
from builder.write.markdown import escape_md, escape_md_math
from builder.write.pages import write_glossary, write_index
from builder.write.site import (abbreviations, front_matter, load_formulas, mathjax_files, related_box,
                                tag_anchor)

from conftest import REPO


def site_markdown() -> markdown.Markdown:
    """A renderer with the extensions and options of the project's mkdocs.yml (snippets aside:
    its base path is a per-build placeholder)."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, opts = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        if name == "pymdownx.snippets":
            continue
        names.append(name)
        if opts:
            options[name] = opts
    return markdown.Markdown(extensions=names, extension_configs=options)


def render(text: str) -> str:
    md = site_markdown()
    return md.convert(text)


def test_escaped_parentheses_never_become_math():
    out = render(escape_md("Direct Preference Optimization (DPO) costs $5 and $10 (roughly) [sic]"))
    assert "arithmatex" not in out
    assert "(DPO)" in html.unescape(out) and "$5 and $10" in html.unescape(out)


def test_tex_in_a_paper_sentence_becomes_math_and_the_rest_stays_text():
    out = render(escape_md_math(r"We minimise $\mathcal{L}_{\mathrm{DPO}}$ with $\beta=0.1$ (see *Eq. 3*), for $5."))
    spans = re.findall(r'<span class="arithmatex">(.*?)</span>', out)
    assert spans == [r"\(\mathcal{L}_{\mathrm{DPO}}\)", r"\(\beta=0.1\)"]
    assert "(see *Eq. 3*), for $5." in html.unescape(re.sub(r"<span.*?</span>", "", out))


def test_markup_inside_a_tex_span_stays_inert_text():
    out = render(escape_md_math('Loss $<script>alert(1)</script>_1$ and $x<img src=x onerror="y">^2$ end'))
    assert "<script" not in out and "<img" not in out
    assert out.count('class="arithmatex"') == 2


def test_abbreviation_tooltips_come_from_the_glossary_and_stay_inert():
    glossary = load_glossary()
    text = abbreviations(glossary)
    assert {line.split("]")[0][2:] for line in text.splitlines()} == {t.abbr for t in glossary if t.abbr}
    hostile = GlossaryTerm(id="x", term='<b>Bold</b> "quoted"', zh="中文", definition="a & b <script>x</script>",
                           definition_zh="", abbr="XYZ")
    out = render("XYZ and DPO here.\n\n" + abbreviations([hostile, *glossary]))
    title = re.search(r'<abbr title="([^"]*)">XYZ</abbr>', out)[1]
    assert html.unescape(title) == '<b>Bold</b> "quoted" (中文): a & b <script>x</script>'
    assert re.search(r'<abbr title="Direct Preference Optimization \(直接偏好优化\): A method[^"]*">DPO</abbr>', out)


def test_front_matter_carries_tags_as_yaml_whatever_they_contain():
    text = front_matter(["alignment", "a: b", "---", "alignment", "  "])
    assert text.startswith("---\n") and text.endswith("---\n\n")
    assert yaml.safe_load(text.split("---\n")[1]) == {"tags": ["alignment", "a: b", "---"]}
    assert front_matter([]) == ""


def test_tag_anchor_matches_material_tags_plugin():
    assert tag_anchor("preference optimization") == "tag:preference-optimization"
    assert tag_anchor("RLHF") == "tag:rlhf"


def test_related_box_gives_each_link_its_reasons():
    links = [RelatedLink("dpo", "Direct *Preference*", 0.71, ["DPO", "RLHF", "KL"]),
             RelatedLink("tdnn", "TDNN", 0.4, [])]
    out = render("\n".join(related_box(links)))
    assert 'class="admonition tip"' in out
    assert '<a href="../dpo/report.md">Direct *Preference*</a>' in out
    assert "both use" in out and "RLHF" in out and "topic similarity 0.71" in out
    assert "topic similarity 0.40" in out


def _result(slug: str, title: str, year: int | None, keyframe: str | None = None) -> PairResult:
    meta = PaperMeta(title=Field(title, 1, "t"), year=Field(year, 1, "y") if year else None,
                     authors=Field(["A. Author"], 1, "a"), venue=Field("NeurIPS", 1, "v"))
    paper = Paper("paper.pdf", 1, meta, [], [], [], [], [])
    chapters = [Chapter(0, 0.0, 10.0, "Intro", [], keyframe)]
    source = PairSource(slug, Path(slug), Path("paper.pdf"), None, PairConfig(tags=["alignment"]))
    return PairResult(source, paper, None, PairAnalysis([], chapters, [], [], []))


def test_home_page_cards_are_newest_first_with_thumbnail_and_venue_year():
    results = [_result("old", "Zeta old", 2015), _result("new-b", "Beta new", 2023, "assets/chapter-1.jpg"),
               _result("new-a", "alpha new", 2023), _result("undated", "Undated", None)]
    page = write_index("Course", results, [])
    order = [m for m in re.findall(r"\*\*\[[^\]]+\]\(([\w-]+)/report\.md\)\*\*", page)]
    assert order == ["new-a", "new-b", "old", "undated"]
    assert "[![Talk keyframe](new-b/assets/chapter-1.jpg)" in page
    assert "NeurIPS, 2023" in page
    out = render(page)
    assert out.count("<li>") == 4 and 'class="grid cards"' in out


def test_glossary_page_shows_formulas_as_display_math():
    from dataclasses import replace

    from builder.models import TermUse
    formulas = load_formulas()
    ids = {t.id for t in load_glossary()}
    assert formulas and set(formulas) <= ids, set(formulas) - ids
    using = _result("all", "Uses every term with a formula", 2024)
    using = replace(using, source=replace(using.source, video=Path("talk.mp4")),
                    analysis=replace(using.analysis, term_uses=[TermUse(t, "A use.", 1) for t in formulas]))
    page = write_glossary(load_glossary(), [using], formulas)
    out = render(page)
    assert out.count('<div class="arithmatex">') == len(formulas)
    assert write_glossary(load_glossary(), [], formulas).count("$$") == 0  # unused terms are folded, compact


def test_mathjax_files_are_the_parts_the_site_loads():
    files = mathjax_files()
    for needed in ("assets/mathjax/tex-chtml.js", "assets/mathjax/ui/safe.js", "assets/mathjax/a11y/assistive-mml.js",
                   "assets/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"):
        assert needed in files and files[needed].is_file()
    assert sum(f.stat().st_size for f in files.values()) < 5_000_000


def test_server_answers_byte_ranges_so_a_browser_can_seek(tmp_path):
    (tmp_path / "talk.mp4").write_bytes(bytes(range(256)) * 4)
    server, base = serve_in_thread(tmp_path)
    try:
        def get(headers):
            with urllib.request.urlopen(urllib.request.Request(base + "talk.mp4", headers=headers)) as answer:
                return answer.status, dict(answer.headers), answer.read()
        status, headers, body = get({"Range": "bytes=10-19"})
        assert (status, headers["Content-Range"], body) == (206, "bytes 10-19/1024", bytes(range(10, 20)))
        status, headers, body = get({"Range": "bytes=-4"})
        assert (status, body) == (206, bytes(range(252, 256)))
        status, headers, body = get({})
        assert (status, headers["Accept-Ranges"], len(body)) == (200, "bytes", 1024)
        with pytest.raises(urllib.error.HTTPError) as past_end:
            get({"Range": "bytes=5000-"})
        assert past_end.value.code == 416
    finally:
        server.shutdown()
        server.server_close()


def test_pages_workflow_builds_the_course_and_publishes_the_site():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    commands = "\n".join(s.get("run", "") for s in steps)
    assert "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in commands
    assert "pip install -e ." in commands
    assert "coursewiki build" in commands and "mkdocs build --strict" in commands
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "site"
               for s in steps)
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")


@pytest.mark.skipif(shutil.which("git") is None, reason="gh-deploy needs git")
def test_gh_deploy_publishes_the_built_site_to_the_gh_pages_branch(real_course, tmp_path):
    root, _, _ = real_course
    course = tmp_path / "course"
    shutil.copytree(root / "content", course / "content")
    shutil.copy(root / "mkdocs.yml", course / "mkdocs.yml")
    remote = tmp_path / "remote.git"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_MKDOCS_2_WARNING": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "init", "-q", "--bare", str(remote)], ["git", "init", "-q", str(course)],
                    ["git", "-C", str(course), "remote", "add", "origin", str(remote)]):
        subprocess.run(command, check=True, env=env, capture_output=True)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "-q"], cwd=course, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"], check=True,
                           capture_output=True, text=True, env=env).stdout.split()
    assert {"index.html", "glossary.html", "tags.html", "dpo/report.html", ".nojekyll",
            "assets/mathjax/tex-chtml.js"} <= set(files)


def test_serve_without_a_built_site_says_what_to_run(tmp_path):
    from click.testing import CliRunner
    from builder.cli import main
    result = CliRunner().invoke(main, ["serve", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'site'}: no built site; run `coursewiki build && mkdocs build` first" in result.output


def test_failure_messages_on_the_home_page_name_files_relative_to_the_course(tmp_path):
    from builder.write.pages import course_relative
    root = tmp_path / "home" / "ana" / "course"
    roots = [root, root]
    assert course_relative(f"{root}/sources/x/talk.mp4: has no audio track", roots) == \
        "sources/x/talk.mp4: has no audio track"
    # a pair folder linked from outside the course keeps only the pair folder and file name
    assert course_relative("/home/ana/videos/x/talk.mp4: is silent", roots) == "x/talk.mp4: is silent"
    # URLs and ratios are not paths
    assert course_relative("http://127.0.0.1:8080/v1 refused; 3/4 done", roots) == \
        "http://127.0.0.1:8080/v1 refused; 3/4 done"
