"""Page 1 and sections of one made-up paper set in eight LaTeX classes (nine PDFs) (tests/templates):
the title and every author exactly, no affiliation taken for a person, no venue or year the page
does not print, the keywords whole, and the sections in reading order."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.ingest.paper import ingest_paper

TEMPLATES = Path(__file__).parent / "templates"
TITLE = "Confidence-Weighted Distillation for Learning with Noisy Labels"
TITLE_IN_SENTENCE_CASE = "Confidence-weighted distillation for learning with noisy labels"
SECTIONS = ["Introduction", "Related Work", "Method", "Experiments", "Conclusion"]
KEYWORDS = ["label noise", "knowledge distillation", "robust training"]


def numbered(after: str = " ", references: str | None = "References") -> list[str]:
    """The sections as a class numbers them: "1 Introduction" or "1. Introduction", then the references."""
    return [f"{n}{after}{s}" for n, s in enumerate(SECTIONS, 1)] + ([references] if references else [])


ROMAN = [f"{n}. {s}" for n, s in zip(["I", "II", "III", "IV", "V"], SECTIONS)] + ["References"]   # IEEE's
EXPECTED = {
    "ieee": dict(title=TITLE, authors=["Wen-Hsuan Lin", "Marcus Oyelaran-Smith", "Sofia Castellanos"],
                 sections=ROMAN, keywords=KEYWORDS, venue=None, year=None),
    "ieeej": dict(title=TITLE, authors=["Tomasz Wiśniewski", "Ana Beatriz Carvalho", "Oluwaseun Adeyemi"],
                  sections=ROMAN, keywords=["Label noise", "knowledge distillation", "robust training", "deep learning"],
                  venue="IEEE Transactions on Pattern Analysis and Machine Intelligence", year=2024),
    "lncs": dict(title="Confidence-Weighted Distillation: Learning with Noisy Labels from a Cautious Teacher",
                 authors=["Hannah Weiß", "Rajesh Kumar Venkataraman", "Li Qiang"],
                 sections=numbered(), keywords=["Label noise", "Knowledge distillation", "Robust training"],
                 venue=None, year=None),
    "els": dict(title=TITLE_IN_SENTENCE_CASE, authors=["Pierre-Antoine Dubois", "Yuki Tanaka", "Elena Petrova"],
                sections=numbered(". "), keywords=KEYWORDS, venue=None),
    "revtex": dict(title=TITLE, authors=["Nadia Haddad", "Kwame Mensah", "Ingrid Solberg"],
                   sections=[s.upper() for s in SECTIONS], venue=None, year=None),
    "amsart": dict(title=TITLE, authors=["Rafael Mendoza", "Eleanor Whitfield"], sections=numbered(". "),
                   keywords=KEYWORDS, venue=None),
    "mnras": dict(title=TITLE_IN_SENTENCE_CASE, authors=["Françoise Moreau", "Hiroshi Nakamura", "Aisha Bello"],
                  sections=[s.upper() for s in numbered()],
                  keywords=["methods: data analysis", "methods: statistical"], venue="MNRAS", year=2024),
    "nature": dict(title=TITLE_IN_SENTENCE_CASE, authors=["Ingrid Halvorsen", "Tomás Reyes", "Yusuf Demir"],
                   sections=numbered(references=None), venue=None, year=None),
    "jmlr": dict(title=TITLE, authors=["Samira El-Amrani", "Jonas Lindqvist", "Priya Raghunathan"],
                 sections=numbered(". "), keywords=KEYWORDS, venue="Proceedings of Machine Learning Research", year=2024),
    "acm": dict(title=TITLE, authors=["Mateus Oliveira Santos", "Katarzyna Nowak", "Daniel O’Connor"],
                sections=[s.upper() for s in numbered()], keywords=KEYWORDS, venue="ACM Trans. Priv. Sec.", year=2024),
    "cas": dict(title=TITLE_IN_SENTENCE_CASE, authors=["Thi Minh Anh Nguyen", "Lukas Brandstätter", "Amara Okonkwo"],
                sections=numbered(". "), keywords=KEYWORDS, venue=None, year=None),
    "oup": dict(title=TITLE_IN_SENTENCE_CASE, authors=["Sebastián Ortega Ruiz", "Mei-Ling Chou", "Henrik Aaltonen"],
                sections=numbered(". "), keywords=KEYWORDS, venue="Bioinformatics", year=2024),
    # ICML's look: the author row, then affiliations and the proceedings line as page 1's footnote
    "icml": dict(title=TITLE, authors=["Olusegun Bakare", "Ingrid Thorsdottir", "Wei-Jie Huang"],
                 sections=numbered(), venue="International Conference on Machine Learning", year=2024),
    # a review copy: anonymous, "Under review as a conference paper at ICLR 2025" (no venue yet), line numbers
    "review": dict(title=TITLE, authors=None, sections=numbered(), venue=None, year=None),
    "plain": dict(title=TITLE, authors=["Giulia Romano", "Dmitri Volkov", "Chen Xiaoming"], sections=numbered(),
                  venue=None, year=None),
}


@pytest.fixture(scope="module")
def papers():
    return {name: ingest_paper(TEMPLATES / f"{name}.pdf") for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_template_gives_the_title_and_every_author_and_no_one_else(papers, name):
    meta, want = papers[name].meta, EXPECTED[name]
    assert meta.value("title") == want["title"]
    assert meta.value("authors") == want["authors"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_template_gives_no_venue_or_year_the_page_does_not_print(papers, name):
    meta, want = papers[name].meta, EXPECTED[name]
    for field in ("venue", "year"):
        if field in want:
            assert meta.value(field) == want[field], field


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_template_gives_its_sections_in_reading_order_and_reads_their_sentences(papers, name):
    paper = papers[name]
    assert [s.heading for s in paper.sections if s.level == 1] == EXPECTED[name]["sections"]
    opening = "Learning from data with noisy annotations is a recurring problem in practice."
    assert any(p.text == opening for p in paper.passages)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if "keywords" in EXPECTED[n]))
def test_a_keyword_list_runs_on_over_its_lines(papers, name):
    assert papers[name].meta.value("keywords") == EXPECTED[name]["keywords"]


def _line(text: str, x: float, y: float, size: float = 10):
    """A line of a page-1 author block, as the layout reader gives it."""
    from builder.ingest.pdf_layout import Line
    return Line(text, text, 1, x, y, x + 120, y + size, size, False, 0)


def test_a_name_in_smaller_type_than_the_other_names_is_an_affiliation_line():
    """IEEE's author block: each name in 11 pt over its affiliation lines in 10 pt; an institution
    whose words mark no institution ("Aalto Yliopisto") is still no person."""
    from builder.ingest.authors import authors_and_affiliations
    block = [_line("Wen-Hsuan Lin", 100, 120, 11), _line("Marcus Oyelaran-Smith", 250, 120, 11),
             _line("Sofia Castellanos", 420, 120, 11), _line("National Taiwan University", 90, 134, 10),
             _line("School of Informatics", 250, 134, 10), _line("Aalto Yliopisto", 420, 134, 10)]
    authors, affiliations, _ = authors_and_affiliations(block)
    assert authors == ["Wen-Hsuan Lin", "Marcus Oyelaran-Smith", "Sofia Castellanos"]
    assert "National Taiwan University" in affiliations


def test_a_name_in_capitals_before_its_affiliation_on_one_line_is_the_author():
    """ACM's journals print "NAME IN CAPITALS, Institution, Country"; an address in one type is no one."""
    from builder.ingest.authors import authors_and_affiliations
    block = [_line("MATEUS OLIVEIRA SANTOS, Universidade de São Paulo, Brazil", 46, 124, 10.9),
             _line("DANIEL O’CONNOR, Trinity College Dublin, Ireland", 46, 137, 10.9),
             _line("Mountain View, California, USA", 46, 150, 10.9),
             _line("NEW YORK, NY, USA", 46, 163, 10.9)]
    authors, affiliations, _ = authors_and_affiliations(block)
    assert authors == ["Mateus Oliveira Santos", "Daniel O’Connor"]
    assert affiliations[:2] == ["Universidade de São Paulo, Brazil", "Trinity College Dublin, Ireland"]


def test_two_one_word_lines_under_a_name_make_no_name():
    from builder.ingest.authors import authors_and_affiliations
    lines = [_line("Alice Smith", 100, 100), _line("Stanford", 100, 114), _line("California", 100, 128)]
    authors, _, _ = authors_and_affiliations(lines)
    assert authors == ["Alice Smith"]


def test_a_keyword_list_is_metadata_not_a_sentence_of_the_paper():
    """tdnn's "Index Terms: time delay neural networks, ..." was quoted in its report as a sentence;
    rope prints "Keywords" with no colon before its list."""
    from conftest import parsed_paper
    tdnn, rope = parsed_paper("tdnn.pdf"), parsed_paper("rope.pdf")
    assert tdnn.meta.value("keywords") == ["time delay neural networks", "acoustic modeling",
                                           "recurrent neural networks"]
    assert rope.meta.value("keywords")[:2] == ["Pre-trained Language Models", "Position Information Encoding"]
    for paper in (tdnn, rope):
        assert not [p.text for p in paper.passages if p.text.lower().startswith(("index terms", "keywords"))]



ABSTRACT = ["Deep networks memorise noisy labels.",
            "We propose confidence-weighted distillation, which trains a student on a teacher’s soft predictions "
            "weighted by the teacher’s confidence, and show consistent gains on two benchmarks with real label noise."]


def test_an_abstract_set_in_bold_without_a_heading_is_the_papers_first_sentences(papers):
    """nature.cls prints the abstract as a bold paragraph with no heading, double-spaced in its
    preprint style, so that each of its lines is a block of its own in the PDF."""
    assert [p.text for p in papers["nature"].passages[:2]] == ABSTRACT


@pytest.mark.parametrize("name", ["acm", "revtex", "cas", "oup", "review"])
def test_an_abstract_is_the_papers_first_sentences_whole(papers, name):
    """ACM's journals and revtex print the abstract under the authors with no heading, a size
    below the body; Elsevier's CAS in a box right of the keywords' box, under "A B S T R A C T";
    a review copy with its line numbers between the abstract's lines."""
    def plain(text):   # the CAS PDF made here prints straight apostrophes
        return text.replace("’", "'")
    assert plain(papers[name].meta.value("abstract")) == plain(" ".join(ABSTRACT))
    assert [(plain(p.text), p.section) for p in papers[name].passages[:2]] == [(plain(s), "Abstract") for s in ABSTRACT]


def test_an_affiliation_that_runs_on_to_the_next_line_is_read_whole(papers):
    """Oxford's "1Department ..., Finland and 2Institute ..., Academia Sinica, Taipei," / "Taiwan"."""
    assert papers["oup"].meta.value("affiliations") == [
        "Department of Computer Science, University of Helsinki, 00014, Finland",
        "Institute of Information Science, Academia Sinica, Taipei, Taiwan"]
    # a line of the box beside the affiliations is not their continuation (Elsevier's keywords)
    assert papers["cas"].meta.value("affiliations")[-1].endswith("Linz, 4040, Austria")


def test_affiliations_printed_as_page_ones_numbered_footnotes_are_read(papers):
    """ICML prints them under the first column, one numbered footnote each; Nature (alphago.pdf)
    two on one line, parted by their numbers after a full stop."""
    from conftest import parsed_paper
    assert papers["icml"].meta.value("affiliations") == [
        "Department of Computer Science, University of Ibadan, Nigeria",
        "Department of Computer Science, University of Iceland, Reykjavik, Iceland"]
    assert parsed_paper("alphago.pdf").meta.value("affiliations") == [
        "Google DeepMind, 5 New Street Square, London EC4A 3TW, UK",
        "Google, 1600 Amphitheatre Parkway, Mountain View, California 94043, USA"]


def test_footnote_affiliations_part_at_their_numbers_and_run_on_to_the_next_line():
    """Two affiliations on one footnote line with no full stop between them were read as one, with
    the second's number in it; one wrapped onto the next line lost its end (footnotes.pdf, made by
    make_footnotes.py). The correspondence line after them is no part of any."""
    paper = ingest_paper(TEMPLATES / "footnotes.pdf")
    assert paper.meta.value("authors") == ["Adaeze Okafor", "Kwame Mensah", "Gunnar Sigurdsson"]
    assert paper.meta.value("affiliations") == [
        "Department of Computer Science, University of Ibadan, Nigeria", "Google Research, Accra, Ghana",
        "Department of Computer Science, University of Iceland, Menntavegur 1, Reykjavik, Iceland"]


def test_a_paper_in_chinese_gives_its_sections_sentences_and_keywords():
    """A paper set in Chinese gave its title alone: headings wanted a capital after the number,
    sentences wanted spaces and capitals, and lines were joined with a space (zh.pdf, make_zh.py)."""
    paper = ingest_paper(TEMPLATES / "zh.pdf")
    assert paper.meta.value("title") == "基于置信度加权蒸馏的噪声标签学习"
    assert paper.meta.value("authors") == ["张伟", "李娜", "王强"]
    assert paper.meta.value("affiliations") == ["清华大学计算机科学与技术系,北京 100084"]
    assert paper.meta.value("keywords") == ["标签噪声", "知识蒸馏", "鲁棒训练"]
    assert [s.heading for s in paper.sections] == ["1 引言", "2 相关工作", "3 方法", "4 实验", "5 结论"]
    texts = [(p.section, p.text) for p in paper.passages]
    assert texts[:2] == [("Abstract", "深度网络会记住带噪声的标签。"),
                         ("Abstract", "我们提出置信度加权蒸馏方法,用教师模型的置信度对其软预测加权来训练学生模型,"
                                      "并在两个含有真实标签噪声的基准上取得了一致的提升。")]
    assert ("1 引言", "众包工人意见不一,专家也会犯错,自动标注流程会把错误从一个阶段传到下一个阶段。") in texts
    assert ("4 实验", "置信度加权蒸馏在 CIFAR-10N 上把测试准确率提高了 2.1 个百分点,在 Clothing1M 上提高了 1.4 个百分点。") \
        in texts
    assert len(texts) == 10


def test_a_chinese_journals_authors_and_numbered_affiliations_are_read():
    """Superscript numbers after each name, a compound surname, affiliations numbered "(1. ...; 2. ...)"
    over two lines, 摘　要 and 关键词 as labels in the text, the journal's running head, sections
    numbered 一、二、三、 (zh2.pdf, make_zh.py). Chinese names, journal heads and such numbers were not
    read before: the fields were left empty, and with no heading found the body was lost."""
    paper = ingest_paper(TEMPLATES / "zh2.pdf")
    assert paper.meta.value("title") == "面向中文文本分类的层次注意力网络"
    assert paper.meta.value("authors") == ["刘洋", "陈静", "欧阳明"]
    assert paper.meta.value("affiliations") == ["北京大学 信息科学技术学院,北京 100871",
                                                "中国科学院 计算技术研究所,北京 100190", "华为技术有限公司,深圳 518129"]
    assert paper.meta.value("keywords") == ["文本分类", "注意力机制", "中文分词"]
    assert (paper.meta.value("venue"), paper.meta.value("year")) == ("计算机学报", 2022)
    assert [s.heading for s in paper.sections] == ["一、引言", "二、方法", "三、实验", "四、结论"]
    assert [s.level for s in paper.sections] == [1, 1, 1, 1]
    assert not any("中图分类号" in p.text for p in paper.passages)


def test_a_chinese_name_is_a_surname_and_one_or_two_characters():
    from builder.ingest.authors import chinese_name
    assert all(map(chinese_name, ["刘洋", "陈静", "欧阳明", "司马光", "王小明"]))
    assert not any(map(chinese_name, ["摘要", "引言", "关键词", "欧阳", "方法论研究", "王"]))


def test_ligatures_of_a_tex_font_without_a_unicode_map_are_letters_again():
    """The CAS PDF made here embeds its fonts without a Unicode map: "fi" came out as T1's slot 0x1C."""
    from builder.ingest.pdf_layout import fix_glyphs
    assert fix_glyphs("con\x1cdence, re\x1dect, di\x1berent, ba\x1fe, e\x1eciency") == \
        "confidence, reflect, different, baffle, efficiency"
    assert fix_glyphs("e\x0bect, \x0cnd") == "effect, find"   # OT1's slots, next to a letter
    assert fix_glyphs("\x0c 1") == "\x0c 1"                    # not next to one: left alone


def test_without_a_heading_on_page_one_its_body_is_read_from_the_first_line_of_prose(monkeypatch):
    """Page 1 before its first heading is the title block; with no heading found on page 1 (revtex's
    headings unread, as before this reader knew them), its body was lost whole."""
    import builder.ingest.paper as paper_stage
    monkeypatch.setattr(paper_stage, "_bold_capitals_headings", lambda pages, known, body_size: {})
    paper = paper_stage.ingest_paper(TEMPLATES / "revtex.pdf")
    assert paper.sections == []
    body = [p for p in paper.passages if p.section != "Abstract"]
    assert body[0].text == "Learning from data with noisy annotations is a recurring problem in practice."
    assert body[0].page_no == 1
    assert not any("Nadia Haddad" in p.text or "Dated" in p.text for p in paper.passages)


def test_each_affiliation_of_the_mnras_author_block_is_read(papers):
    assert papers["mnras"].meta.value("affiliations") == [
        "Observatoire de Paris, PSL Research University, 75014 Paris, France",
        "National Astronomical Observatory of Japan, Mitaka, Tokyo 181-8588, Japan",
        "University of Lagos, Akoka, Lagos, Nigeria"]
