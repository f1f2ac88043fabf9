"""Ordered talk -> paper alignment on generated talks: each section is a topic direction in
embedding space, each chapter's sentences are noisy mixtures of its topic; openings and wrap-ups
are about nothing the paper says."""
from __future__ import annotations

import numpy as np

from builder.analyse.align import align_chapters, ordered_choice, sections_in_order
from builder.models import Chapter, Passage, Section, Segment

DIM = 64
SECTIONS = ["1 Introduction", "2 Background", "3 Method", "4 Experiments", "5 Conclusion"]


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _paper(rng, per_section: int = 8):
    topics = _unit(rng.normal(size=(len(SECTIONS), DIM)))
    passages, vectors = [], []
    for s, name in enumerate(SECTIONS):
        for k in range(per_section):
            passages.append(Passage(f"p{s}-{k}", f"sentence {k} of {name}", page_no=s + 1, section=name))
            vectors.append(topics[s] + 0.6 * rng.normal(size=DIM) / np.sqrt(DIM))
    return topics, passages, _unit(np.array(vectors))


# Words for the generated sentences: a chapter's sentences say as much as a real chapter's do (an
# opening of a few words is told apart by how little it says, see the tests at the end).
WORDS = ("gradient matrix kernel token encoder decoder sample dataset benchmark baseline layer weight reward "
         "policy corpus vector feature network loss margin entropy softmax attention memory label noise teacher "
         "student filter convolution residual shortcut quantization adapter expert router sparsity latency "
         "throughput cache block prompt answer preference likelihood prior posterior estimate variance").split()


def _sentence(number: int, words: int = 8) -> str:
    """The talk's sentence `number`: words of its own, and no draw from the talk's random vectors."""
    return " ".join(WORDS[(number * words + k) % len(WORDS)] for k in range(words))


def _talk(rng, topics, plan: list[int | None], sentences: int = 4, mix: float = 0.45, words: int = 8):
    """Chapters following `plan` (section index, or None: off-paper talk), 10 s per sentence."""
    segments, vectors, chapters = [], [], []
    t = 0.0
    for index, topic in enumerate(plan):
        start = t
        for _ in range(sentences):
            noise = rng.normal(size=DIM) / np.sqrt(DIM)
            vector = noise if topic is None else topics[topic] + mix * 2 * noise
            segments.append(Segment(t, t + 9.0, _sentence(len(segments), words), []))
            vectors.append(vector)
            t += 10.0
        chapters.append(Chapter(index, start, t, f"chapter {index}", []))
    return chapters, segments, _unit(np.array(vectors))


def _sections(names: list[str]) -> list[Section]:
    """Top-level sections "N Title", one page each."""
    return [Section(n.split()[0], n.split(" ", 1)[1], 1, i + 1, i + 1) for i, n in enumerate(names)]


def _aligned(plan, seed=0, **talk):
    rng = np.random.default_rng(seed)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, plan, **talk)
    sections = _sections(SECTIONS)
    found = {a.chapter_index: a for a in align_chapters(chapters, segments, vectors, passages, passage_vectors,
                                                         sections)}
    return [SECTIONS.index(found[i].section) if i in found else None for i in range(len(plan))], found


def test_a_talk_in_paper_order_gets_every_chapter_right():
    for seed in range(3):
        assert _aligned([0, 1, 2, 3, 4], seed)[0] == [0, 1, 2, 3, 4]


def test_opening_and_closing_about_nothing_in_the_paper_stay_unaligned():
    for seed in range(3):
        assert _aligned([None, 0, 2, 3, None], seed)[0] == [None, 0, 2, 3, None]


def test_a_clear_jump_back_to_an_earlier_section_is_followed():
    for seed in range(3):
        assert _aligned([0, 2, 3, 1, 4], seed)[0] == [0, 2, 3, 1, 4]


def test_two_chapters_may_explain_one_section():
    assert _aligned([0, 2, 2, 3], 1)[0] == [0, 2, 2, 3]


def test_confidence_is_lower_for_a_chapter_between_two_sections():
    rng = np.random.default_rng(4)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, [0, 1, 3])
    blend = _unit(topics[1] + topics[2])      # the middle chapter is half section 2, half section 3
    vectors[4:8] = _unit(blend + 0.2 * rng.normal(size=(4, DIM)) / np.sqrt(DIM))
    found = {a.chapter_index: a for a in align_chapters(chapters, segments, vectors, passages, passage_vectors)}
    assert 0 in found and 2 in found
    assert found.get(1) is None or found[1].confidence < min(found[0].confidence, found[2].confidence)


def test_going_back_costs_so_a_near_tie_keeps_the_paper_order():
    # chapter 2 fits section 0 barely better than section 2: the order wins
    fit = np.array([[0.8, 0.3, 0.3], [0.3, 0.8, 0.3], [0.62, 0.3, 0.6]])
    path, margins = ordered_choice(fit, none_fit=0.3, back_penalty=0.05)
    assert path == [0, 1, 2]
    # a clear preference for the earlier section is followed, with the back penalty paid
    fit[2] = [0.9, 0.3, 0.6]
    path, margins = ordered_choice(fit, none_fit=0.3, back_penalty=0.05)
    assert path == [0, 1, 0]
    assert abs(margins[2] - (0.9 - 0.05 - 0.6)) < 1e-9


def test_a_near_tie_with_the_section_just_explained_goes_to_the_next_section():
    # chapter 1 fits section 0 (which chapter 0 explained) a little better than section 1: staying
    # costs, so the talk moves on; with a clear preference it stays, paying the cost
    fit = np.array([[0.8, 0.3, 0.3], [0.62, 0.6, 0.3], [0.3, 0.3, 0.8]])
    path, margins = ordered_choice(fit, none_fit=0.3, back_penalty=0.05, stay_penalty=0.05)
    assert path == [0, 1, 2]
    assert ordered_choice(fit, none_fit=0.3, back_penalty=0.05)[0] == [0, 0, 2]
    fit[1] = [0.9, 0.6, 0.3]
    path, margins = ordered_choice(fit, none_fit=0.3, back_penalty=0.05, stay_penalty=0.05)
    assert path == [0, 0, 2]
    assert abs(margins[1] - (0.9 - 0.05 - 0.6)) < 1e-9


def test_going_back_costs_more_than_staying():
    # chapter 2 fits section 0 and section 1 alike: staying on 1 wins over going back to 0
    fit = np.array([[0.8, 0.3, 0.3], [0.3, 0.8, 0.3], [0.6, 0.6, 0.3]])
    path, _ = ordered_choice(fit, none_fit=0.3, back_penalty=0.05, stay_penalty=0.05)
    assert path == [0, 1, 1]


def test_no_section_wins_when_every_fit_is_low():
    path, _ = ordered_choice(np.array([[0.1, 0.12], [0.7, 0.2], [0.05, 0.1]]), none_fit=0.3, back_penalty=0.05)
    assert path == [None, 0, None]


def test_a_model_with_lower_and_closer_fits_chooses_the_same_sections():
    # USE Multilingual scores a Chinese talk against an English paper lower and closer together than
    # MiniLM scores an English one: thresholds in the talk's own spread make no difference of it
    fit = np.array([[0.20, 0.25, 0.22, 0.18],     # an opening that explains nothing
                    [0.55, 0.30, 0.28, 0.25],
                    [0.30, 0.58, 0.35, 0.28],
                    [0.28, 0.40, 0.52, 0.30],
                    [0.25, 0.28, 0.33, 0.50]])
    appendix = np.array([False, False, False, True])
    minilm = sections_in_order(fit, appendix)
    multilingual = sections_in_order(0.4 * fit + 0.05, appendix)
    assert [c for c, _ in minilm] == [None, 0, 1, 2, 3]
    assert minilm == multilingual


def test_a_chapter_that_fits_everything_alike_is_left_unaligned():
    fit = np.array([[0.60, 0.20, 0.20], [0.41, 0.40, 0.40], [0.20, 0.20, 0.60]])
    chosen = sections_in_order(fit, np.zeros(3, dtype=bool))
    assert chosen[0][0] == 0 and chosen[2][0] == 2
    assert chosen[1][0] is None or chosen[1][1] < min(chosen[0][1], chosen[2][1])


def test_a_chapter_with_only_slide_text_is_aligned_by_it():
    rng = np.random.default_rng(2)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, [0, 1, 2])
    chapters.append(Chapter(3, chapters[-1].end_s, chapters[-1].end_s + 5, "slide only", []))
    slide = {3: _unit(topics[3] + 0.1 * rng.normal(size=DIM) / np.sqrt(DIM))}
    found = {a.chapter_index: a for a in align_chapters(chapters, segments, vectors, passages, passage_vectors,
                                                         slide_vectors=slide)}
    assert found[3].section == SECTIONS[3]
    assert 1 <= found[3].page_no <= len(SECTIONS)


def _wrap_up_section(seed: int, title: str, source: str) -> str | None:
    """A talk in paper order whose last chapter mostly repeats its four topics and says a little of
    the Conclusion's own: it often fits another section better than the Conclusion."""
    rng = np.random.default_rng(seed)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, [0, 1, 2, 3])
    start = chapters[-1].end_s
    segments += [Segment(start + 10 * k, start + 10 * k + 9, "words", []) for k in range(4)]
    said = 0.85 * topics[:4].mean(axis=0) + 0.15 * topics[4]
    vectors = np.vstack([vectors, _unit(said[None, :] + 0.4 * rng.normal(size=(4, DIM)) / np.sqrt(DIM))])
    sections = _sections(SECTIONS)
    talk = chapters + [Chapter(4, start, start + 40, title, [], title_source=source)]
    found = {a.chapter_index: a for a in align_chapters(talk, segments, vectors, passages, passage_vectors, sections)}
    return found[4].section if 4 in found else None


def test_a_wrap_up_slide_titled_summary_goes_to_the_conclusion_it_fits_no_better_than_the_rest():
    seeds = range(4, 9)
    assert [_wrap_up_section(seed, "Summary", "slide") for seed in seeds] == ["5 Conclusion"] * 5
    assert [_wrap_up_section(seed, "总结", "slide") for seed in seeds] == ["5 Conclusion"] * 5   # a Chinese slide too
    # a phrase of the speech is no heading, nor a slide title that names no part of a paper
    assert sum(_wrap_up_section(seed, "Summary", "speech") == "5 Conclusion" for seed in seeds) <= 1
    assert sum(_wrap_up_section(seed, "Looking back", "slide") == "5 Conclusion" for seed in seeds) <= 1


def test_slide_titles_and_headings_name_the_parts_papers_share():
    from builder.analyse.align import parts_of
    assert parts_of("5. Results") == parts_of("Results") == {"results"}
    assert parts_of("Summary") == parts_of("6 Conclusions") == parts_of("Lessons") == {"conclusion"}
    assert parts_of("7 Concluding Remarks") == parts_of("Wrap-up") == parts_of("Recap") == {"conclusion"}
    assert parts_of("Wrapper methods") == parts_of("Recapitulating the data") == set()
    assert parts_of("2 Related literature") == parts_of("Back to earlier work") == {"related"}
    assert parts_of("实验结果") == {"experiments", "results"}
    assert parts_of("Background: RLHF") == parts_of("3 Preliminaries") == parts_of("2 背景") == {"background"}
    assert parts_of("3 Co-teaching meets noisy supervision") == parts_of("How they tested it") == set()


def test_a_results_slide_names_the_experiments_section_of_a_paper_with_no_results_section():
    from builder.analyse.align import same_part
    slide = [Chapter(0, 0.0, 10.0, "Results", [], title_source="slide")]
    assert same_part(slide, ["3 Method", "4 Experiments", "5 Conclusion"]).tolist() == [[0, 1, 0]]
    assert same_part(slide, ["4 Experimental Setup", "5 Results"]).tolist() == [[0, 1]]


def _plan_section(seed: int, title: str, source: str) -> str | None:
    """A talk whose second chapter lists the parts to come: its sentences speak of every section,
    a little more of the Introduction's subject (as a plan does), after an opening on the Introduction."""
    rng = np.random.default_rng(seed)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, [0, None, 1, 2, 3])
    members = [i for i, s in enumerate(segments) if chapters[1].start_s <= s.start_s < chapters[1].end_s]
    said = 0.5 * topics[0] + 0.5 * topics.mean(axis=0)
    vectors[members] = _unit(said[None, :] + 0.3 * rng.normal(size=(len(members), DIM)) / np.sqrt(DIM))
    chapters[1] = Chapter(1, chapters[1].start_s, chapters[1].end_s, title, [], title_source=source)
    found = {a.chapter_index: a for a in align_chapters(chapters, segments, vectors, passages, passage_vectors)}
    assert [found[i].section for i in (2, 3, 4)] == SECTIONS[1:4]
    return found[1].section if 1 in found else None


def test_a_slide_that_shows_the_talks_plan_explains_no_section():
    seeds = range(5)
    for title in ("Outline", "Today's agenda", "Plan for today", "提纲"):
        assert [_plan_section(seed, title, "slide") for seed in seeds] == [None] * 5, title
    # the same chapter under a slide that names its subject, or a phrase from the speech, is aligned
    assert sum(_plan_section(seed, "Outline of the method", "slide") is not None for seed in seeds) >= 4
    assert sum(_plan_section(seed, "Outline", "speech") is not None for seed in seeds) >= 4


def _return_section(seed: int, title: str, source: str) -> str | None:
    """A talk in paper order, then a chapter that goes back to "3 The Translation Model" while
    saying as much of the last section's subject (a tie the order alone settles forward)."""
    from dataclasses import replace
    rng = np.random.default_rng(seed)
    topics, passages, passage_vectors = _paper(rng)
    renamed = {"3 Method": "3 The Translation Model", "5 Conclusion": "5 Plans"}
    passages = [replace(p, section=renamed.get(p.section, p.section)) for p in passages]
    names = [renamed.get(n, n) for n in SECTIONS]
    sections = _sections(names)
    chapters, segments, vectors = _talk(rng, topics, [0, 1, 2, 3, 4])
    members = [i for i, s in enumerate(segments) if s.start_s >= chapters[-1].start_s]
    mixed = 0.5 * topics[2] + 0.5 * topics[4]
    segments += [replace(segments[i], start_s=segments[i].start_s + 50, end_s=segments[i].end_s + 50) for i in members]
    vectors = np.vstack([vectors, _unit(mixed[None, :] + 0.4 * rng.normal(size=(len(members), DIM)) / np.sqrt(DIM))])
    start = chapters[-1].end_s
    talk = chapters + [Chapter(5, start, start + 50, title, [], title_source=source)]
    found = {a.chapter_index: a for a in align_chapters(talk, segments, vectors, passages, passage_vectors, sections)}
    return found[5].section if 5 in found else None


def test_a_slide_title_that_holds_a_sections_whole_heading_names_that_section():
    seeds = range(6)
    assert [_return_section(seed, "Back to the translation model", "slide") for seed in seeds] == \
        ["3 The Translation Model"] * 6
    # the same words said, not shown, and a slide sharing one word of the heading, leave it to the fit
    assert sum(_return_section(seed, "Back to the translation model", "speech") == "3 The Translation Model"
               for seed in seeds) <= 4
    assert sum(_return_section(seed, "Back to the model", "slide") == "3 The Translation Model" for seed in seeds) <= 4


def test_a_subsections_heading_on_a_slide_names_its_top_level_section():
    from builder.analyse.align import titled_sections
    sections = [Section("3", "Model Architecture", 1, 2, 2), Section("3.1", "Encoder and Decoder Stacks", 2, 3, 3),
                Section("4", "Positional Encoding", 1, 5, 5)]
    names = ["3 Model Architecture", "4 Positional Encoding"]
    chapter = lambda title: Chapter(0, 0.0, 10.0, title, [], title_source="slide")   # noqa: E731
    assert titled_sections([chapter("Encoder and decoder stacks")], names, sections).tolist() == [[1, 0]]
    assert titled_sections([chapter("Positional encodings, revisited")], names, sections).tolist() == [[0, 1]]
    assert titled_sections([chapter("Encoding the input")], names, sections).tolist() == [[0, 0]]   # one word of two


def _opening_section(texts: list[str], seed: int) -> str | None:
    """A talk in paper order whose opening chapter's sentences fit the Introduction closely, saying `texts`."""
    from dataclasses import replace
    rng = np.random.default_rng(seed)
    topics, passages, passage_vectors = _paper(rng)
    chapters, segments, vectors = _talk(rng, topics, [0, 1, 2, 3], sentences=len(texts))
    segments[:len(texts)] = [replace(segment, text=text) for segment, text in zip(segments, texts)]
    found = {a.chapter_index: a for a in align_chapters(chapters, segments, vectors, passages, passage_vectors)}
    assert found[1].section == SECTIONS[1]
    return found[0].section if 0 in found else None


def test_an_opening_that_only_greets_and_names_the_topic_explains_no_section():
    """A greeting and the talk's topic in a few words fit the Introduction (or the Conclusion) by
    chance as well as by meaning; an opening that goes on to explain the motivation is aligned."""
    short = ["Hello everyone, and welcome back.", "Today we look at a paper about training large networks."]
    explained = short + [_sentence(n, 12) for n in range(3)]
    for seed in range(3):
        assert _opening_section(short, seed) is None
        assert _opening_section(explained, seed) == SECTIONS[0]
    # the same in Chinese: a greeting and the topic, then an explanation
    assert _opening_section(["大家好，欢迎回来。", "今天我们读一篇关于训练大型网络的论文。"], 0) is None
    assert _opening_section(["大家好，今天我们读一篇关于训练大型网络的论文。",
                             "模型越大，训练时需要的显存和通信就越多，作者想用稀疏的专家层降低计算量。",
                             "每个词只交给一个专家处理，路由器根据词的表示选择专家，并用辅助损失让负载均衡。",
                             "他们在语言建模和下游任务上比较了同样计算量的稠密模型，训练速度快了好几倍。"], 0) == SECTIONS[0]
