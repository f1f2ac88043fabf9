"""tools/make_example_pair.py renders an example paper that the paper stage reads back as written."""
from __future__ import annotations

import importlib.util
import re

from builder.ingest.figures import figures_of
from builder.ingest.paper import ingest_paper
from conftest import REPO


def _tool():
    spec = importlib.util.spec_from_file_location("make_example_pair", REPO / "tools" / "make_example_pair.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_paper_renders_and_reads_back_with_its_title_sections_and_figure(tmp_path):
    tool = _tool()
    pdf = tmp_path / "paper.pdf"
    tool.make_paper_pdf(pdf)
    paper = ingest_paper(pdf)
    assert re.sub(r"\s+", " ", paper.meta.value("title")) == re.sub(r"\s+", " ", tool.TITLE)
    assert paper.page_count == 4 and len(paper.page_texts) == 4
    assert len(paper.sections) >= 4 and len(paper.passages) > 20
    assert [f.label for f, _ in figures_of(pdf)][:1] == ["Figure 1"]
    assert paper.meta.abstract is not None and "missing" not in paper.missing_fields
    shipped = ingest_paper(REPO / "sources" / "example" / "paper.pdf")
    assert [p.text for p in paper.passages] == [p.text for p in shipped.passages]  # the shipped pair is this tool's
