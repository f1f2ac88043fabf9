"""Every word coursewiki says in its own voice on the site, in English and in Chinese.

Quotes stay in the language they were written or spoken in (an English paper's sentences in
English, a Chinese talk's as spoken): only our headings, labels and the short sentences around
the quotes follow the language, which is the report's (`language`) on a reading report and the
interface's (`theme.language`) on the other pages. Kept in one table so that a Chinese page never
falls back to an English label one writer forgot, and so that the checks can tell our labels
from the claims they must weigh.
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
        "one page": "(1 page)",
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
        # the talk notes (pages.py)
        "talk title": "Talk notes: {title}",
        "talk line": "Duration {duration} · transcribed offline with {model} · [report](report.md) · "
                     "[paper](paper.pdf){watch}",
        "watch on": " · [watch on {site}]({url})",
        "chapters": "Chapters",
        "off paper": "!!! warning \"This talk does not seem to be about the paper\"\n    What it says and what the "
                     "paper says are too far apart for a talk about it, so no chapter is matched to a section of the "
                     "paper and nothing it says is listed as adding to the paper. Check that the pair holds the right "
                     "video.",
        "explains": " · explains paper {section}, {page}",
        "close call": " (a close call)",
        "slide alt": "The slide at {time}",
        "keyframe alt": "Keyframe at {time}",
        "slide shows": "The slide at {time} shows {figure} ({page})",
        "new slide": "New slide at {time}",
        "adds here": "**What the talk adds here** (not in the paper):",
        "full transcript": "Full transcript",
        "on the slide": "*On the slide:*",
        "subtitles": "Transcript",
        "talk embed": "The talk on {site}",
        # the glossary (pages.py, crossrefs.py)
        "glossary title": "Glossary",
        "glossary intro": "The terms of this course: the curated ones its papers and talks use, defined in our own "
                          "words in English and Chinese, and the terms its papers name themselves, quoted from the "
                          "paper that names them. Each lists every place it appears in the course's papers and talks.",
        "also called": "*Also called:* ",
        "term source": "*Source:* ",
        "related terms": "*Related:* ",
        "listed": "listed as related in the course glossary",
        "together": "used together in {count} sentences of {papers}",
        "alike": "similar definitions ({score})",
        "reason sep": "; ",
        "defined on": "defined on {page} (“{sentence}”)",
        "also pages": "also {pages}",
        "paper pages": "paper {pages}",
        "talk times": "talk {times}",
        "other terms": "Other course terms",
        "other terms intro": "{n} more entries of the curated glossary, which no paper or talk of this course uses.",
        "show terms": "Show the {n} terms",
        "named in": "*Named in* {paper}:",
        "more pages": " and {n} more pages",
        # the navigation (course_nav.py)
        "nav report": "Report", "nav talk": "Talk notes", "week": "Week {n}", "other papers": "Other papers",
        # the home page and the tags page
        "papers one": "1 paper with its talk. ",
        "papers many": "{n} papers with their talks. ",
        "index intro": "Each has a reading report whose every sentence links to the PDF page or talk moment it comes "
                       "from, and talk notes with chapters and a transcript; the [glossary](glossary.md) links them "
                       "all, and the [tags](tags.md) group them.",
        "not built": "Not built",
        "not built intro": "These pairs could not be built; run `coursewiki build` to see why.",
        "reading report": "reading report",
        "tags": "Tags: ",
        "thumbnail": "Talk keyframe",
        "tags title": "Tags",
        "tags intro": "Each paper's tags (from its `pair.yml`), with the reports that carry them.",
        # related reports (site.py)
        "read next": "Read next",
        "both use": "both use {names}",
        "more terms count": " and {n} more glossary terms",
        "topic similarity": "topic similarity {score}",
        "tooltip page": "(p. {page} of {paper})",
        # the validation line a report shows about itself (check/validate.py)
        "validation": "Validation: {anchors} source anchors ({pages} to PDF pages, {times} to talk times) and {links} "
                      "glossary links; {status}.",
        "all resolve": "all resolve",
        "do not resolve": "{n} do not resolve",
        "cited": " Cited sentences: {cited}, supported by their evidence: {supported}.",
        # the student's section (student_notes.py)
        "my notes": "## My notes { #my-notes }\n\n"
                    "*This section is yours: write here, and coursewiki keeps it when it rebuilds the page.*\n",
    },
    "zh": {
        "language": "zh",
        "title": "阅读报告：{title}",
        "basic": "1. 论文基本信息",
        "source": "出处",
        "Title": "标题", "Authors": "作者", "Affiliations": "机构", "Venue": "发表于", "Year": "年份",
        "Field": "领域", "Keywords": "关键词", "Paper": "论文", "Talk": "讲座",
        "pages": "（共 {n} 页）",
        "one page": "（共 1 页）",
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
        # 讲座笔记
        "talk title": "讲座笔记：{title}",
        "talk line": "时长 {duration} · 由 {model} 离线转写 · [阅读报告](report.md) · [论文](paper.pdf){watch}",
        "watch on": " · [在 {site} 观看]({url})",
        "chapters": "章节",
        "off paper": "!!! warning \"这个讲座似乎不是在讲这篇论文\"\n    讲座所讲的内容与论文相距太远，不像是在讲这篇论文，"
                     "所以没有把章节对应到论文的小节，也没有列出讲座补充的内容。请检查这组材料里的视频是否放对了。",
        "explains": " · 讲解论文 {section}，{page}",
        "close call": "（把握不大）",
        "slide alt": "{time} 的幻灯片",
        "keyframe alt": "{time} 的关键帧",
        "slide shows": "{time} 的幻灯片展示了 {figure}（{page}）",
        "new slide": "{time} 的新幻灯片",
        "adds here": "**讲座在这里补充的内容**（论文中没有）：",
        "full transcript": "完整文字稿",
        "on the slide": "*幻灯片上：*",
        "subtitles": "文字稿",
        "talk embed": "{site} 上的讲座",
        # 术语表
        "glossary title": "术语表",
        "glossary intro": "本课程的术语：课程论文和讲座用到的精选术语（用我们自己的话以中英文定义），以及论文自己命名的术语"
                          "（引用命名它的论文原句）。每个术语都列出它在课程论文和讲座中出现的每一处。",
        "also called": "*又称：*",
        "term source": "*出处：*",
        "related terms": "*相关术语：*",
        "listed": "课程术语表列为相关",
        "together": "在 {papers} 中有 {count} 句同时使用",
        "alike": "定义相近（{score}）",
        "reason sep": "；",
        "defined on": "定义于 {page}（“{sentence}”）",
        "also pages": "另见 {pages}",
        "paper pages": "论文 {pages}",
        "talk times": "讲座 {times}",
        "other terms": "其他课程术语",
        "other terms intro": "精选术语表中还有 {n} 个条目，本课程的论文和讲座都没有用到。",
        "show terms": "显示这 {n} 个术语",
        "named in": "*命名于* {paper}：",
        "more pages": " 等另外 {n} 页",
        # 导航
        "nav report": "阅读报告", "nav talk": "讲座笔记", "week": "第 {n} 周", "other papers": "其他论文",
        # 首页与标签页
        "papers one": "1 篇论文及其讲座。",
        "papers many": "{n} 篇论文及其讲座。",
        "index intro": "每篇都有阅读报告（每句话都链接到它出自的 PDF 页面或讲座时刻）和讲座笔记（分章节，附文字稿）；"
                       "[术语表](glossary.md)把它们连在一起，[标签](tags.md)把它们分组。",
        "not built": "未能构建",
        "not built intro": "以下材料未能构建；运行 `coursewiki build` 查看原因。",
        "reading report": "阅读报告",
        "tags": "标签：",
        "thumbnail": "讲座关键帧",
        "tags title": "标签",
        "tags intro": "每篇论文的标签（来自其 `pair.yml`）以及带有该标签的报告。",
        # 相关报告
        "read next": "延伸阅读",
        "both use": "都用到 {names}",
        "more terms count": " 等另外 {n} 个术语",
        "topic similarity": "主题相似度 {score}",
        "tooltip page": "（{paper} 第 {page} 页）",
        # 报告的验证行
        "validation": "验证：{anchors} 个出处锚点（PDF 页码 {pages} 个，讲座时间 {times} 个），术语表链接 {links} 个；{status}。",
        "all resolve": "全部有效",
        "do not resolve": "{n} 个无效",
        "cited": "带引用的句子 {cited} 句，其中 {supported} 句得到证据支持。",
        # 学生自己的部分
        "my notes": "## 我的笔记 { #my-notes }\n\n*这一部分归你：写在这里，coursewiki 重新生成页面时会保留它。*\n",
    },
}


def words_for(language: str | None) -> dict[str, str]:
    """The table for a report language ("zh", "zh-CN", "en"); English for any other."""
    return WORDS.get((language or "en").split("-")[0].lower(), WORDS["en"])


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")
