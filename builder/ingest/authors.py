"""Authors and affiliations from the lines between a paper's title and its abstract.

What holds across templates: a person's name is two to five capitalised words (with particles such as
"van den"); the marks printed after a name (affiliation numbers, equal-contribution stars) are
superscripts, and where the text layer runs two names together ("Kwon1,∗Zhuohan Li") the superscript
is what parts them; an affiliation line starts with its superscript number instead. E-mail lines,
"Editor: ...", "Member, IEEE", report numbers and warnings are not names. A line that is not all
names is not an author line: better an empty field than an invented author. A Chinese name is a
common surname and one or two given-name characters ("刘洋", "欧阳明"); a line of nothing else is
an author line, and institutions end in 大学, 学院, 研究所, 公司, ...
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .pdf_layout import PIECE_BREAK, Line

AFFILIATION_WORDS = re.compile(
    r"\b(Univ|Universi[dt]\w*|Institut\w*|Lab|Labs|Laborato\w*|Inc|Ltd|Co\.|College|School|"
    r"Politecnico|Polytechnic|Hochschule|[EÉ]cole|Escuela|Centro|Facult\w*|Fakult\w*|Observato\w*|"
    r"Department|Dept|Division|Center|Centre|Technology|Technologies|Polytechnique|Research|Researcher|Brain|"
    r"Google|Microsoft|Meta|OpenAI|DeepMind|Facebook|Amazon|IBM|NVIDIA|Corporation|Academy|Hospital|"
    r"Foundation|Biohub|AI|Faculty|Group|Company|Sciences?|Engineering|Language|USA|China|Switzerland|Canada|"
    r"UK|Germany|France|RIKEN|Paradigm)\b"
    r"|大学|学院|研究所|研究院|研究中心|实验室|科学院|公司|集团|医院|中心|学校")
NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’.-]*(?:\s+(?:[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’.-]*|de|da|van|von|der|den|di|du|la|le|del))+$")
# Words that never stand in a person's name but do stand where names are printed.
NOT_NAME_WORDS = re.compile(
    r"\b(Report|Technical|Editor|Member|Fellow|IEEE|Abstract|Preprint|Draft|Version|Paper|Conference|"
    r"Journal|Proceedings|Volume|Warning|Note|Submitted|Revised|Published|Accepted|Received|Keywords|"
    r"Contents|Introduction|Correspondence|Corresponding|Equal|Contribution|Work|Done|Team)\b")
MARKS = re.compile(r"[\*∗†‡§¶⇤⇧‖#♠♣♥♦⋆★✝✉]+|\d+(?:,\d+)*$")
IEEE_GRADE = re.compile(r",?\s*(?:(?:Senior|Student|Life)\s+)?(?:Member|Fellow),?\s+IEEE\b")
NOT_PEOPLE = re.compile(r"@|https?://|www\.|^(?:Editor|Warning|Keywords|Submitted|Received)\b", re.I)
PARTS = re.compile(r"\s*(?:,|;|\band\b|&|\s{3,})\s*")
CAPITAL_PARTS = re.compile(r"\s*(?:,|;|\b(?:and|AND)\b|&|\s{3,})\s*")   # a line of names in capitals
PARTICLES = {"de", "da", "van", "von", "der", "den", "di", "du", "la", "le", "del"}
# The surnames of nearly every Chinese name (the most common 400 single ones, and the compound
# ones): what tells a name from a word of two to four characters ("刘洋" from "摘要" or "引言").
CJK_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
CJK_COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                                   "司徒", "令狐", "夏侯", "端木", "西门", "南宫", "独孤", "澹台", "轩辕", "呼延", "万俟"})
CJK_NOT_NAMES = frozenset({"关键词", "摘要", "作者", "通讯作者", "引言", "前言", "单位"})
CJK = re.compile(r"[\u4e00-\u9fff]")


def authors_and_affiliations(lines: list[Line]) -> tuple[list[str], list[str], str]:
    """Authors, affiliations and the rule that found the authors, read row by row, left to right."""
    authors: list[str] = []
    affiliations: list[str] = []
    name_sizes: dict[str, float] = {}
    ordered = rows_left_to_right(lines)
    joined: set[int] = set()
    last_affiliation: Line | None = None   # the line just read, when it gave an affiliation
    for i, line in enumerate(ordered):
        after, last_affiliation = last_affiliation, None
        if id(line) in joined:
            continue
        text = line.plain.strip()
        if not text or NOT_PEOPLE.search(text):
            continue
        names = None if _starts_with_superscript(line) else names_in(line)
        if (names is None and i + 1 < len(ordered) and not _starts_with_superscript(line)
                and _continues(line, ordered[i + 1])):
            with_next = _joined(line, ordered[i + 1])
            names = names_in(with_next)
            if names is not None:
                joined.add(id(ordered[i + 1]))
                line = with_next
        if names is not None:
            authors.extend(n for n in names if n not in authors)
            name_sizes.update((n, line.size) for n in names)
            continue
        if (pair := _name_then_affiliation(line)) is not None:
            name, affiliation = pair
            if name not in authors:
                authors.append(name)
            name_sizes[name] = line.size
            affiliations.extend(a for a in _split_on_listed(affiliation, affiliations) if a not in affiliations)
            continue
        found = _affiliations_in(line)
        goes_on = not found and after is not None and _affiliation_goes_on(after, line)
        if goes_on:
            affiliations[-1] = f"{affiliations[-1]}, {text.strip(' ,;')}"   # "..., Taipei," / "Taiwan"
        for one in found:
            affiliations.extend(a for a in _split_on_listed(one, affiliations) if a not in affiliations)
        last_affiliation = line if found or goes_on else None
    if authors:
        # one template sets every name of its author block in one size: a "name" in smaller type
        # than most names is a line of someone's affiliation that no word marked ("Aalto Yliopisto"
        # under an IEEE author's name, in the affiliations' 10 pt against the names' 11 pt); a line
        # made larger by a symbol in it (an ORCID mark) changes nothing
        sizes = Counter(name_sizes.values())
        usual = max(sizes, key=lambda size: (sizes[size], size))
        authors = [n for n in authors if name_sizes[n] >= usual - 0.5]
        return authors, affiliations, "name lines between title and abstract"
    organisation = _organisation_as_author(lines)
    if organisation:
        return [organisation], [a for a in affiliations if a != organisation], "organisation named under the title"
    return [], affiliations, ""


def _continues(line: Line, following: Line) -> bool:
    """Whether `following` may end a name `line` breaks off ("..., and Li" / "Qiang1,3" in LNCS):
    the next row, in the same type, right under it, after a line that lists names (two one-word
    lines, "Stanford" / "California", make no name)."""
    return (bool(PARTS.search(line.plain.strip())) and abs(following.size - line.size) <= 0.3
            and 0 < following.y0 - line.y0 < 2 * line.size)


def _joined(line: Line, following: Line) -> Line:
    return replace(line, text=f"{line.text} {following.text}", plain=f"{line.plain} {following.plain}",
                   marked=f"{line.marked or line.plain} {following.marked or following.plain}")


def rows_left_to_right(lines: list[Line]) -> list[Line]:
    """Group lines whose tops are within half a line of each other into rows (names with
    footnote marks sit a point or two lower or higher), then read each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda l: l.y0):
        if rows and abs(line.y0 - rows[-1][0].y0) < 0.6 * line.size:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda l: l.x0)]


def names_in(line: Line) -> list[str] | None:
    """The names on an author line, or None when the line is not a list of names."""
    if CJK.search(line.plain):
        return _chinese_names(line)
    text = IEEE_GRADE.sub("", line.plain)
    if AFFILIATION_WORDS.search(text) or NOT_NAME_WORDS.search(text):
        return None
    names = []
    in_capitals = not re.search(r"[a-z]", text) and len(re.findall(r"[A-Z]{2,}", text)) >= 2
    for piece in IEEE_GRADE.sub("", line.marked or line.plain).split(PIECE_BREAK):
        for part in (CAPITAL_PARTS if in_capitals else PARTS).split(piece):
            part = MARKS.sub("", part).strip(" ,")
            if not part:
                continue
            if not NAME.match(part) or len(part.split()) > 5:
                return None
            part = re.sub(r"\s+", " ", part)
            names.append(_name_case(part) if in_capitals else part)
    return names or None


def _chinese_names(line: Line) -> list[str] | None:
    """"刘洋1，陈静1,2，欧阳明3*" or "张伟  李娜  王强": names parted by commas, 、 or spaces, each
    with its superscript marks; None when any part is not a name or the line names a place."""
    if AFFILIATION_WORDS.search(line.plain) or re.match(r"\s*\d", line.plain):
        return None
    names = []
    for part in re.split(rf"[\s,，、;；{PIECE_BREAK}]+", line.marked or line.plain):
        part = MARKS.sub("", re.sub(r"[\d,*∗†‡§¶#✉]+$", "", part))
        if not part:
            continue
        if not chinese_name(part):
            return None
        names.append(part)
    return names or None


def chinese_name(word: str) -> bool:
    """A surname of `CJK_SURNAMES` and one or two characters more, or a compound surname and one or
    two more: a Chinese name is two to four characters, nearly always three or two."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", word) or word in CJK_NOT_NAMES:
        return False
    if word[:2] in CJK_COMPOUND_SURNAMES:
        return len(word) >= 3
    return word[0] in CJK_SURNAMES and len(word) <= 3


def _name_then_affiliation(line: Line) -> tuple[str, str] | None:
    """A name in capitals, then a comma and its affiliation in ordinary type, on one line ("MATEUS
    OLIVEIRA SANTOS, Universidade de São Paulo, Brazil" in ACM's journals). The change of type is
    the evidence: "Mountain View, California, USA", all in one type, is an address."""
    head, comma, tail = line.plain.partition(",")
    head = MARKS.sub("", head).strip()
    if not comma or re.search(r"[a-z]", head) or not re.search(r"[a-z]", tail) or not AFFILIATION_WORDS.search(tail):
        return None
    name = _name_case(re.sub(r"\s+", " ", head))
    if not NAME.match(name) or len(name.split()) > 5 or AFFILIATION_WORDS.search(name) or NOT_NAME_WORDS.search(name):
        return None
    return name, tail.strip(" ,;")


def _name_case(name: str) -> str:
    """A name printed in capitals (amsart's "RAFAEL MENDOZA AND ELEANOR WHITFIELD") as names are
    written: "Rafael Mendoza", "Jean-Pierre van der Berg", "Daniel O'Connor"."""
    def capitalised(part: str) -> str:
        part = part[:1] + part[1:].lower()
        return re.sub(r"^([A-Z]['’])([a-z])", lambda m: m[1] + m[2].upper(), part)
    words = name.split()
    return " ".join(word.lower() if i and word.lower() in PARTICLES
                    else "-".join(capitalised(part) for part in word.split("-"))
                    for i, word in enumerate(words))


def _starts_with_superscript(line: Line) -> bool:
    """"1Department of ..." or "2Stanford University": an affiliation, whatever its words."""
    return line.marked.startswith(PIECE_BREAK) or bool(re.match(r"^\d", line.text) and not re.match(r"^\d", line.plain))


def _affiliations_in(line: Line) -> list[str]:
    """The affiliations on a line, without their footnote numbers and marks. Where the PDF shows
    which numbers were superscripts, only those are removed ("34Paradigm" is "3" + "4Paradigm")."""
    if not AFFILIATION_WORDS.search(line.plain):
        return []
    numbered = _starts_with_superscript(line) or line.text != line.plain  # superscripts were left out
    out = []
    for piece in line.pieces:
        for part in re.split(r"\s*[;†‡§¶⇤∗*]\s*|\s{3,}", piece):
            if not numbered:
                part = re.sub(r"^[(（]?\d+[.、]?\s*", "", part)   # "1 Department", "(1. 北京大学"
            part = re.sub(r"\s+and$", "", part.strip(" ,;&")).strip(" ,")   # "..., Finland and" 2"Institute ..."
            if part.endswith((")", "）")) and part.count(")") + part.count("）") > part.count("(") + part.count("（"):
                part = part[:-1].strip(" ,;")   # the list's closing parenthesis, "..., 深圳 518129)"
            if part and (numbered or AFFILIATION_WORDS.search(part)):
                out.append(part)
    return out


def footnote_affiliations(lines: list[Line], page_height: float, body_size: float) -> list[str]:
    """Affiliations printed as page 1's numbered footnotes ("1Department of Computer Science,
    University of Ibadan, Nigeria", under ICML's author row): small type in the page's lower half,
    each line opening with its superscript number."""
    found: list[str] = []
    last: Line | None = None   # the footnote line read just before, when it gave affiliations
    for line in lines:
        if last is not None and _footnote_goes_on(last, line):
            tail = re.sub(r"\s+", " ", line.plain).strip(" .,;")
            joint = ", " if last.plain.rstrip().endswith(",") else " "   # "..., Menntavegur 1," / "Reykjavik"
            found[-1] = f"{found[-1]}{joint}{tail}"
            last = None
            continue
        last = None
        if line.y0 > 0.5 * page_height and line.size < body_size - 0.5 and _starts_with_superscript(line) \
                and AFFILIATION_WORDS.search(line.plain):
            last = line
            # read by its superscript numbers, not by its word gaps: a footnote is set justified, and
            # wide gaps part an author grid's columns. Where the superscripts are not told from the
            # text, a number after a full stop parts them ("..., UK. 2Google, ..."): "London EC4A
            # 3TW" holds a number too.
            parts = [part for part in _parts_at_superscripts(line) if part.strip(" .,;")]
            if len(parts) < 2:
                text = re.sub(r"^\d{1,2}", "", re.sub(r"\s+", " ", line.text).strip())
                parts = re.split(r"(?<=[.;])\s*\d{1,2}(?=[A-Z])", text)
            for affiliation in parts:
                affiliation = re.sub(r"\s+", " ", affiliation).strip(" .,;")
                if affiliation and affiliation not in found:
                    found.append(affiliation)
    return found


# What follows an affiliation in page 1's footnotes and is no part of it
_NOT_AN_ADDRESS = re.compile(r"^\W*[*∗†‡§¶]|Proceedings|Copyright|Correspondence|Preprint|review|contribut|equal|©|@"
                             r"|https?://", re.I)


def _footnote_goes_on(line: Line, following: Line) -> bool:
    """An affiliation footnote wrapped onto the next line ("..., University of Iceland," /
    "Reykjavik, Iceland"): the next row, in the same type, from the same left edge, with no number
    of its own or mark of another note ("*These authors contributed equally"), a few words."""
    return (_row_under(line, following) and len(following.plain.split()) <= 10
            and not _NOT_AN_ADDRESS.search(following.text))


def _parts_at_superscripts(line: Line) -> list[str]:
    """The line's text parted where a superscript number was left out of it: `text` holds the
    numbers, `plain` does not ("...University of Ibadan, Nigeria ²Department of ...")."""
    import difflib
    opcodes = difflib.SequenceMatcher(None, line.plain, line.text, autojunk=False).get_opcodes()
    cuts = [i1 for tag, i1, _, j1, j2 in opcodes if tag == "insert" and re.fullmatch(r"\s*\d{1,2}\s*", line.text[j1:j2])]
    bounds = [0, *cuts, len(line.plain)]
    return [line.plain[start:end] for start, end in zip(bounds, bounds[1:])]


def _affiliation_goes_on(line: Line, following: Line) -> bool:
    """An affiliation line that ends in a comma goes on in the next row, in the same type, right
    under it ("..., Academia Sinica, Taipei," / "Taiwan"), when that row names no place of its own."""
    return (line.plain.rstrip().endswith(",") and _row_under(line, following)
            and len(following.plain.split()) <= 6 and not re.search(r"@|\d{4,}", following.plain))


def _row_under(line: Line, following: Line) -> bool:
    """`following` could go on from `line`: the next row, in the same type, from the same left
    edge, with no superscript number of its own."""
    return (not _starts_with_superscript(following) and abs(following.size - line.size) <= 0.3
            and 0 < following.y0 - line.y0 < 2 * line.size and abs(following.x0 - line.x0) <= 2 * line.size)


def _split_on_listed(affiliation: str, listed: list[str]) -> list[str]:
    """"Imperial College London and École Polytechnique ..." names two places when the part after
    "and" is already listed on its own; "Department of Computer Science and Technology" stays whole."""
    for other in listed:
        if affiliation.endswith(f" and {other}"):
            return [affiliation[: -len(other) - 5].strip(" ,"), other]
    return [affiliation]


def _organisation_as_author(lines: list[Line]) -> str | None:
    """A company report may name only the organisation under its title ("DeepSeek-AI", then an e-mail
    line). Taken only when it is the one short line there, so a stray line is never made an author."""
    kept = [l for l in lines if l.plain.strip() and "@" not in l.plain]
    if len(kept) != 1:
        return None
    text = MARKS.sub("", kept[0].plain).strip()
    if 1 <= len(text.split()) <= 3 and re.match(r"^[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*$", text) and not re.search(r"\d", text):
        return text
    return None
