"""Every word a reading report says in its own voice, in English and in Chinese.

The report's quotes stay in the language they were written or spoken in (an English paper's
sentences in English, a Chinese talk's as spoken): only our headings, labels and the short
sentences around the quotes follow the report's language. Kept in one table so that a Chinese
report never falls back to an English label one writer forgot, and so that the checks can tell
our labels from the claims they must weigh.
"""
from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language": "en",
        "title": "Reading report: {title}",
        "basic": "1. Basic information",
        "source": "Source",
        "Title": "Title", "Authors": "Authors", "Affiliations": "Affiliations", "Venue": "Venue", "Year": "Year",
        "Field": "Field", "Keywords": "Keywords", "Paper": "Paper", "Talk": "Talk",
        "pages": "({n} pages)",
        "talk notes": "talk notes",
        "watch": "Watch the talk",
        "missing": "Not stated in the PDF, so left empty rather than guessed: {fields}.",
        "summary": "2. Core summary",
        "Research goal": "Research goal", "Method": "Method", "Main findings": "Main findings",
        "Conclusions": "Conclusions",
        "tour": "Section by section",
        "tour intro": "The most central sentences of each part of the paper, in reading order.",
        "techniques": "3. Key techniques",
        "no terms": "No course glossary term is used often enough in this paper to explain here.",
        "definition": "**Definition** ({link}): {definition}",
        "course glossary": "course glossary",
        "in paper": "**In the paper:**",
        "in talk": "**In the talk:**",
        "more terms": "**More course glossary terms this paper uses:** ",
        "list sep": ", ",
        "talk": "4. Video supplementary points",
        "withheld": "Nothing from the talk here: it is in {language}, which the speech model {model} cannot "
                    "transcribe, so no transcript was made from it (see the [talk notes](talk.md)).",
        "no talk": "This pair has no talk transcript.",
        "follows": "The talk closely follows the paper: no talk sentence was found that the paper does not cover.",
        "adds": "What the talk adds, by chapter: talk sentences that no passage of the paper supports "
                "(greetings, signposts and unclear speech left out).",
        "takeaways": "5. Summary and takeaways for a beginner",
        "about": "**What the paper is about:**",
        "found": "**What it found:**",
        "learn": "**Learn these first:** {names}; each has a definition in the course glossary.",
        "watch chapters": "**Watch the talk:** {n} chapters, {duration} in all; the [talk notes](talk.md) link each "
                          "one to the paper section it explains.",
        "related": "Related pages",
        # cross-references (crossrefs.py)
        "in this paper": "**In this paper** ({how}{where}):",
        "explained at": "· explained in the talk at {time}",
        "sections explained": "**Paper sections the talk explains:**",
        "named terms": "Terms this paper names",
        "named intro": "Not in the curated glossary: the paper's own names, quoted where it introduces them, each "
                       "with its entry in the course glossary.",
        "most used": "**Terms this paper uses most** (course glossary entries, quoted where the paper first uses "
                     "them): ",
        "named elsewhere": "**Named by other papers of this course, used here too:** ",
        "its own section": "its own section", "its own paragraph": "its own paragraph", "defined": "defined",
        "named": "named", "spelled out": "spelled out",
        # a part the LLM wrote nothing valid for (llm_writer.py)
        "fallback": "*Every sentence the language model wrote for this part was unsupported by its evidence, so "
                    "this part is the extractive text (quoted sentences); the dropped sentences are listed under "
                    "the validation details.*",
    },
    "zh": {
        "language": "zh",
        "title": "阅读报告：{title}",
        "basic": "1. 论文基本信息",
        "source": "出处",
        "Title": "标题", "Authors": "作者", "Affiliations": "机构", "Venue": "发表于", "Year": "年份",
        "Field": "领域", "Keywords": "关键词", "Paper": "论文", "Talk": "讲座",
        "pages": "（共 {n} 页）",
        "talk notes": "讲座笔记",
        "watch": "观看讲座",
        "missing": "PDF 中没有写明以下信息，因此留空，不作猜测：{fields}。",
        "summary": "2. 核心内容摘要",
        "Research goal": "研究目标", "Method": "研究方法", "Main findings": "主要发现", "Conclusions": "结论",
        "tour": "逐节导读",
        "tour intro": "论文每一部分最核心的句子，按阅读顺序引用原文。",
        "techniques": "3. 关键技术解析",
        "no terms": "本文没有足够常用的课程术语可在此解析。",
        "definition": "**定义**（{link}）：{definition}",
        "course glossary": "课程术语表",
        "in paper": "**论文原文：**",
        "in talk": "**讲座中：**",
        "more terms": "**本文用到的其他课程术语：**",
        "list sep": "、",
        "talk": "4. 视频补充要点",
        "withheld": "这里没有讲座内容：讲座语言为 {language}，语音模型 {model} 无法识别，因此没有生成转写"
                    "（见[讲座笔记](talk.md)）。",
        "no talk": "这组材料没有讲座转写。",
        "follows": "讲座紧扣论文：没有找到论文未涉及的讲座内容。",
        "adds": "讲座补充的内容，按章节列出：论文中没有任何段落支持的讲座原话（问候、过渡语和听不清的语音已略去）。",
        "takeaways": "5. 总结与入门要点",
        "about": "**论文讲什么：**",
        "found": "**主要发现：**",
        "learn": "**建议先学：**{names}；每个术语在课程术语表中都有定义。",
        "watch chapters": "**观看讲座：**共 {n} 个章节，时长 {duration}；[讲座笔记](talk.md)把每个章节链接到它讲解的论文章节。",
        "related": "相关页面",
        "in this paper": "**本文中**（{how}{where}）：",
        "explained at": "· 讲座讲解于 {time}",
        "sections explained": "**讲座讲解的论文章节：**",
        "named terms": "本文命名的术语",
        "named intro": "课程精选术语表中没有的术语：论文自己起的名字，引用其首次介绍的原句，并链接到课程术语表中的条目。",
        "most used": "**本文最常用的术语**（课程术语表条目，引用论文首次使用处）：",
        "named elsewhere": "**本课程其他论文命名、本文也用到的术语：**",
        "its own section": "专门一节", "its own paragraph": "专门一段", "defined": "定义", "named": "命名",
        "spelled out": "给出全称",
        "fallback": "*语言模型为这一部分写的句子都没有得到证据支持，因此这里改用抽取式文本（引用原句）；被删去的句子列在验证详情中。*",
    },
}


def report_words(language: str | None) -> dict[str, str]:
    """The table for a report language ("zh", "zh-CN", "en"); English for any other."""
    return WORDS.get((language or "en").split("-")[0].lower(), WORDS["en"])


def list_sep(language: str | None) -> str:
    return report_words(language)["list sep"]


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")
