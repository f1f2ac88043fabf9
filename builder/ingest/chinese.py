"""Chinese as whisper writes it, made fit for notes: Simplified characters and Chinese punctuation.

Whisper's Chinese comes in Traditional or Simplified characters, often with ASCII commas and
question marks, sometimes without punctuation at all, and with a stray U+FFFD where a character's
bytes were split across two tokens. A Simplified prompt with Chinese punctuation steers it toward
both (`PROMPT`); what still comes out Traditional is converted (zhconv, MediaWiki's tables).
"""
from __future__ import annotations

import re

# Given to whisper as its initial prompt for Chinese: Simplified characters, full punctuation.
PROMPT = "以下是普通话的句子，使用简体中文，并加上标点符号。"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_FULLWIDTH = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", ".": "。"}
_ASCII_AFTER_CJK = re.compile(f"(?<=[{_CJK}])([,?!:;.])(?![0-9A-Za-z])")


def is_chinese(language: str | None) -> bool:
    return bool(language) and language.lower().replace("_", "-").split("-")[0] in ("zh", "cmn", "yue", "chinese")


def keeps_traditional(language: str | None) -> bool:
    """zh-TW, zh-HK, zh-Hant: the talk's own script is Traditional, so it is kept."""
    parts = (language or "").lower().replace("_", "-").split("-")
    return any(p in ("tw", "hk", "mo", "hant") for p in parts[1:])


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def cjk_count(text: str) -> int:
    """Chinese characters in `text`: what a Chinese sentence's length is measured in."""
    return len(_CJK_CHAR.findall(text))


# Whisper spells a full-width comma as two byte tokens (EF BC, then 8C) and sometimes picks the
# wrong last byte, then keeps doing so for a while: "１" or "（" where commas belong. A full-width
# digit or letter alone between Chinese characters, seen there at least twice, is such a comma,
# and so is a bracket alone between Chinese characters when the brackets do not pair up.
_LONE = re.compile(f"(?<=[{_CJK}])([\uff10-\uff19\uff21-\uff3a\uff41-\uff5a（）])(?=[{_CJK}])")

_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def mend_commas(text: str) -> str:
    """`text` with misspelt commas put right; the length stays, so word offsets hold."""
    counts: dict[str, int] = {}
    for match in _LONE.finditer(text):
        counts[match[1]] = counts.get(match[1], 0) + 1
    brackets_pair = text.count("（") == text.count("）")
    wrong = {c for c, n in counts.items() if (n >= 2 and c not in "（）") or (c in "（）" and not brackets_pair)}
    text = _LONE.sub(lambda m: "，" if m[1] in wrong else m[1], text) if wrong else text
    return _SPACE.sub("，", text)   # whisper's pause between Chinese words, where a comma belongs


def tidy(text: str, traditional: bool = False) -> str:
    """One piece of whisper's Chinese output in Simplified characters (unless `traditional`) with
    Chinese punctuation after Chinese characters; English terms and numbers are left as they are."""
    text = text.replace("\ufffd", "")
    if not has_cjk(text):
        return text
    if not traditional:
        import zhconv
        text = zhconv.convert(text, "zh-hans")
    return _ASCII_AFTER_CJK.sub(lambda m: _FULLWIDTH[m.group(1)], text)


def tidy_words(raws: list[str], traditional: bool = False) -> list[str]:
    """`tidy` for whisper's words in order: a comma or question mark that is a word of its own, or
    starts a word after a Chinese character, becomes full-width ("，", "？")."""
    out: list[str] = []
    for raw in raws:
        text = tidy(raw, traditional)
        stripped = text.lstrip()
        if stripped in _FULLWIDTH and out or stripped[:1] in _FULLWIDTH and out and has_cjk(out[-1].rstrip()[-1:]) \
                and not (len(stripped) > 1 and stripped[1].isalnum() and stripped[1].isascii()):
            text = _FULLWIDTH[stripped[0]] + stripped[1:]
        out.append(text)
    mended = mend_commas("".join(out))
    cuts = [0]
    for text in out:
        cuts.append(cuts[-1] + len(text))
    return [mended[a:b] for a, b in zip(cuts, cuts[1:])]


def words(text: str) -> list[str]:
    """Word units of Chinese text (jieba); Latin words and numbers stay whole."""
    import logging
    import jieba
    jieba.setLogLevel(logging.WARNING)
    return [w for w in (t.strip() for t in jieba.lcut(text)) if w]


def echoes_prompt(text: str) -> bool:
    """A line that is `PROMPT` read back (whisper does so over silence), whole or in part."""
    clauses = [c for c in re.split(r"[，。]", PROMPT) if c]
    bare = re.sub(r"[\s，。,.！？!?]", "", text)
    return bool(bare) and (bare in PROMPT.replace("，", "").replace("。", "")
                           or sum(c in bare for c in clauses) >= 2)
