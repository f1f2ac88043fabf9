"""A course reads well: one navigation section per pair named by its short title, under its week or
group, in the home page's order; the course's own pages and its own nav are kept."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder.mkdocs_plugin import site_nav
from builder.models import PairConfig
from builder.pipeline import build_course
from builder.write.course_nav import arranged, nav_entries, short_title

from conftest import mkdocs_build


def stand_in(slug: str, title: str | None, year: int | None = None, **config) -> SimpleNamespace:
    """What the arrangement reads of a PairResult: the folder, pair.yml, the title and year."""
    meta = {"title": title, "year": year}
    return SimpleNamespace(source=SimpleNamespace(slug=slug, config=PairConfig(**config)),
                           paper=SimpleNamespace(meta=SimpleNamespace(value=meta.get)))


def test_short_title_is_the_title_before_its_colon_or_what_pair_yml_says():
    assert short_title(stand_in("dpo", "Direct Preference Optimization: Your Language Model is Secretly a "
                                       "Reward Model")) == "Direct Preference Optimization"
    assert short_title(stand_in("zh", "思维链：大模型的推理")) == "思维链"
    assert short_title(stand_in("att", "Attention Is All You Need")) == "Attention Is All You Need"
    assert short_title(stand_in("att", "Attention Is All You Need", short_title="  Transformer ")) == "Transformer"
    assert short_title(stand_in("untitled", None)) == "untitled"
    long_head = "A " + "very " * 20 + "long first part: and a second"
    assert short_title(stand_in("long", long_head)) == long_head  # a colon that deep is inside the title


def test_weeks_come_in_number_order_then_groups_then_the_rest_newest_first_within_each():
    results = [stand_in("old", "Old", 2017), stand_in("w10", "Ten", 2020, week=10),
               stand_in("w2b", "Two B", 2019, week=2), stand_in("w2a", "Two A", 2023, week="2"),
               stand_in("rl", "RL", 2021, group="Reinforcement"), stand_in("new", "New", 2024),
               stand_in("both", "Both", 2022, week=2, group="Alignment")]
    headings = arranged(results)
    assert [(h.title, [r.source.slug for r in h.pairs]) for h in headings] == [
        ("Week 2", ["w2a", "w2b"]), ("Week 2: Alignment", ["both"]), ("Week 10", ["w10"]),
        ("Reinforcement", ["rl"]), ("Other papers", ["new", "old"])]


def test_a_course_without_weeks_or_groups_is_one_flat_list_of_sections():
    nav = nav_entries(arranged([stand_in("a", "Alpha: one", 2020), stand_in("b", "Beta", 2021)]))
    assert nav == [{"Beta": [{"Report": "b/report.md"}, {"Talk notes": "b/talk.md"}]},
                   {"Alpha": [{"Report": "a/report.md"}, {"Talk notes": "a/talk.md"}]}]


def test_two_pairs_with_one_short_title_are_told_apart_by_their_full_titles():
    nav = nav_entries(arranged([stand_in("a", "Attention: in vision", 2020), stand_in("b", "Attention: in speech", 2020),
                                stand_in("c", "Same", 2019), stand_in("d", "Same", 2019)]))
    names = [next(iter(entry)) for entry in nav]
    assert names == ["Attention: in vision", "Attention: in speech", "Same (c)", "Same (d)"]


def test_a_chinese_interface_gets_chinese_labels():
    nav = nav_entries(arranged([stand_in("dpo", "DPO: x", 2023, week=3)], "zh"), "zh")
    assert nav == [{"第 3 周": [{"DPO": [{"阅读报告": "dpo/report.md"}, {"讲座笔记": "dpo/talk.md"}]}]}]


def test_site_nav_puts_home_first_drops_missing_pages_and_keeps_the_courses_own():
    pairs = [{"Week 1": [{"DPO": [{"Report": "dpo/report.md"}, {"Talk notes": "dpo/talk.md"}]}]},
             {"Gone": [{"Report": "gone/report.md"}]}]
    pages = ["dpo/report.md", "dpo/talk.md", "glossary.md", "index.md", "my-notes.md", "old/report.md", "tags.md"]
    assert site_nav(pairs, pages) == ["index.md", pairs[0], "glossary.md", "tags.md", "my-notes.md",
                                      {"Old": ["old/report.md"]}]


@pytest.fixture(scope="module")
def arranged_site(real_course, tmp_path_factory, bare_env, shared_cache):
    """The two-pair real course with weeks and a short title in pair.yml and a page of the
    student's own, built and published with `mkdocs build`."""
    from builder.config import CourseSettings
    root = tmp_path_factory.mktemp("arranged") / "course"
    shutil.copytree(real_course[0], root, symlinks=True)
    (root / "sources" / "dpo" / "pair.yml").write_text("tags: [alignment]\nweek: 2\nshort_title: DPO\n")
    (root / "sources" / "tdnn" / "pair.yml").write_text("week: 1\n")
    (root / "content" / "my-notes.md").write_text("# My notes\n\nWhat I learnt.\n")
    summary = build_course(CourseSettings.for_root(root, cache_dir=shared_cache))
    assert summary.built == ["dpo", "tdnn"] and not summary.ran("talk") and not summary.ran("analysis")
    done = mkdocs_build(root, bare_env)
    assert done.returncode == 0, done.stderr
    return root


def nav_labels(page: Path) -> list[str]:
    """The labels of the site's navigation on a page, in order, without the page's own table of
    contents (Material nests it inside the navigation at the current page)."""
    html = page.read_text(encoding="utf-8")
    html = html[html.index("md-nav--primary"):]
    while "md-nav--secondary" in html:  # cut out each table of contents, nested <nav>s and all
        start = html.rindex("<nav", 0, html.index("md-nav--secondary"))
        depth, at = 0, start
        for tag in re.finditer(r"<nav\b|</nav>", html[start:]):
            depth += 1 if tag.group() == "<nav" else -1
            if depth == 0:
                at = start + tag.end()
                break
        html = html[:start] + html[at:]
    return [re.sub(r"\s+", " ", label).strip()
            for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', html, re.S)]


def test_navigation_has_one_section_per_pair_by_short_title_under_its_week(arranged_site):
    labels = nav_labels(arranged_site / "site" / "index.html")
    tdnn = "A time delay neural network architecture for efficient modeling of long temporal contexts"
    wanted = ["Week 1", tdnn, "Report", "Talk notes", "Week 2", "DPO", "Report", "Talk notes", "Glossary", "Tags",
              "My notes"]
    found = [label for label in labels if label in wanted]
    assert found[:len(wanted)] == wanted, labels
    assert not any(label.startswith(("Reading report", "Talk notes:")) for label in labels)
    assert not any(label in ("Dpo", "Tdnn") for label in labels)  # no sections named after folders


def test_home_page_lists_the_pairs_under_the_same_headings_in_the_same_order(arranged_site):
    index = (arranged_site / "content" / "index.md").read_text(encoding="utf-8")
    marks = [index.index("## Week 1"), index.index("(tdnn/report.md)"), index.index("## Week 2"),
             index.index("(dpo/report.md)")]
    assert marks == sorted(marks)


def test_a_nav_written_in_mkdocs_yml_is_the_courses_own(arranged_site, tmp_path, bare_env):
    root = tmp_path / "course"
    shutil.copytree(arranged_site, root, symlinks=True)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav:\n  - index.md\n  - Papers:\n    - Reading DPO: dpo/report.md\n")
    done = mkdocs_build(root, bare_env)
    assert done.returncode == 0, done.stderr
    labels = nav_labels(root / "site" / "index.html")
    assert "Reading DPO" in labels and "Week 1" not in labels and "DPO" not in labels
