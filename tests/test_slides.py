"""Slides read from the talk video: cuts at slide changes with builds and flashes merged, titles
and text by OCR, a camera video that has none, chapters cut and titled by the slides, slide text
on the talk page, and slides that show a paper figure linked to it. All on generated videos."""
from __future__ import annotations

from dataclasses import replace

import base64
import io

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from builder.analyse.chapters import MIN_CHAPTER_S, build_chapters, speech_title, split_chapters
from builder.analyse.supplements import sentence_pieces
from builder.analyse.glossary import TermMatcher, load_glossary
from builder.analyse.slide_figures import figures_on_slides
from builder.ingest.slide_text import OcrLine, same_text, title_and_body
from builder.ingest.slides import Slide, SlideTrack, read_slides
from builder.models import Figure, Segment, Word

from slide_video import Shown, SlideDesign, jpeg_of, write_video

WHITE = SlideDesign(background="white", ink="#202020")


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """Four slides: the second has a build (same slide, one more bullet), a 1-second flash sits
    between the second and third, and the third has the same background as the first two."""
    shown = [
        Shown(8, "Why preferences matter", ("People rank answers",)),
        Shown(8, "How the loss is derived", ("Start from the reward",), WHITE),
        Shown(7, "How the loss is derived", ("Start from the reward", "Change the variables"), WHITE),
        Shown(1, "Appendix B", ("skipped",), SlideDesign(background="#444444")),
        Shown(9, "Results on three tasks", ("Sentiment", "Summaries", "Dialogue"), WHITE),
        Shown(8, "Take-aways", ("Simple and stable",), SlideDesign(background="#1f6b3a")),
    ]
    path = tmp_path_factory.mktemp("lecture") / "talk.mp4"
    starts = write_video(path, shown)
    return read_slides(path), starts


def test_slide_changes_cut_but_a_build_and_a_flash_do_not(lecture):
    track, starts = lecture
    assert [s.title for s in track.slides] == ["Why preferences matter", "How the loss is derived",
                                               "Results on three tasks", "Take-aways"]
    real = [0.0, starts[1], starts[4], starts[5]]
    assert [s.start_s for s in track.slides] == pytest.approx(real, abs=1.0)
    assert track.slides[1].builds == 1
    assert track.slides[1].end_s == pytest.approx(starts[4], abs=1.0)  # the flash joined the slide before


def test_ocr_reads_the_body_of_the_fullest_build(lecture):
    track, _ = lecture
    assert track.slides[1].text.splitlines() == ["Start from the reward", "Change the variables"]
    assert track.slides[2].text.splitlines() == ["Sentiment", "Summaries", "Dialogue"]
    assert all(base64.b64decode(s.jpeg_base64)[:2] == b"\xff\xd8" for s in track.slides)


def test_slide_changes_between_sparse_keyframes_are_cut_where_they_happen(tmp_path):
    """Keyframes every 8 s and none at a slide change: the scan samples keyframes alone, so each
    change is found between two of them, and a build between them is still no new slide."""
    shown = [
        Shown(13, "Why preferences matter", ("People rank answers",)),
        Shown(6, "How the loss is derived", ("Start from the reward",), WHITE),
        Shown(7, "How the loss is derived", ("Start from the reward", "Change the variables"), WHITE),
        Shown(13, "Results on three tasks", ("Sentiment", "Summaries", "Dialogue"), WHITE),
        Shown(10, "Take-aways", ("Simple and stable",), SlideDesign(background="#1f6b3a")),
    ]
    path = tmp_path / "talk.mp4"
    starts = write_video(path, shown, keyframe_every_s=8)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        keyframes = [float(p.pts * p.time_base) for p in container.demux(stream) if p.is_keyframe]
    assert keyframes == pytest.approx([0, 8, 16, 24, 32, 40, 48])  # no keyframe at any change
    track = read_slides(path)
    assert [s.title for s in track.slides] == ["Why preferences matter", "How the loss is derived",
                                               "Results on three tasks", "Take-aways"]
    assert [s.start_s for s in track.slides] == pytest.approx([0.0, starts[1], starts[3], starts[4]], abs=1.0)
    assert track.slides[1].text.splitlines() == ["Start from the reward", "Change the variables"]


def test_a_camera_on_the_speaker_has_no_slides(tmp_path):
    path = tmp_path / "camera.mp4"
    write_video(path, [Shown(20, camera=True)])
    assert read_slides(path).slides == []


def test_an_audio_file_has_no_slides(tmp_path):
    from conftest import SPEECH
    assert read_slides(SPEECH / "jfk.flac").slides == []


def test_the_title_is_the_large_top_type_and_page_numbers_and_bullets_are_left_out():
    lines = [OcrLine("Low-rank adapters", (80, 90, 700, 140), 0.99),
             OcrLine("in 4-bit", (80, 150, 300, 200), 0.99),
             OcrLine("• NF4 data type", (110, 260, 500, 290), 0.98),
             OcrLine("Paged", (110, 320, 220, 350), 0.98), OcrLine("optimizers", (230, 321, 420, 350), 0.98),
             OcrLine("3/10", (80, 650, 130, 670), 0.9)]
    title, body = title_and_body(lines, 720)
    assert title == "Low-rank adapters in 4-bit"
    assert body.splitlines() == ["NF4 data type", "Paged optimizers"]
    assert title_and_body([OcrLine("直接 偏好 优化", (80, 90, 500, 150), 0.9)], 720) == ("直接偏好优化", "")
    assert same_text("Take-aways", "take-aways ") and not same_text("", "")


def test_a_chinese_slide_title_is_read(tmp_path):
    path = tmp_path / "zh.mp4"
    cjk = SlideDesign(cjk=True)
    write_video(path, [Shown(6, "直接偏好优化", ("不需要强化学习",), cjk),
                       Shown(6, "实验结果", ("摘要与对话",), SlideDesign(background="#7a2828", cjk=True))])
    assert [s.title for s in read_slides(path).slides] == ["直接偏好优化", "实验结果"]


def _segments(duration_s: float, step_s: float = 5.0, text: str = "we talk about the reward model here") -> list[Segment]:
    return [Segment(t, t + step_s - 0.5, text, []) for t in np.arange(0.0, duration_s, step_s)]


def test_chapters_are_cut_and_titled_by_the_slides():
    track = SlideTrack([Slide(0.0, 62.0, "Opening", "Who we are"), Slide(62.0, 130.0, "The method", "A loss"),
                        Slide(130.0, 200.0, "Results", "")])
    segments = _segments(200.0)
    vectors = np.random.default_rng(0).normal(size=(len(segments), 8)).astype(np.float32)
    chapters = build_chapters(segments, vectors, 200.0, TermMatcher(load_glossary()), track)
    assert [(c.start_s, c.title, c.title_source) for c in chapters] == [
        (0.0, "Opening", "slide"), (62.0, "The method", "slide"), (130.0, "Results", "slide")]
    assert chapters[1].slide_text == "The method\nA loss" and chapters[-1].end_s == 200.0


def test_a_long_stretch_without_a_slide_change_is_split_by_the_text():
    """Ten minutes on one camera shot between two slides: two topics said, so at least two parts,
    titled with what is said."""
    rng = np.random.default_rng(1)
    topic_a, topic_b = rng.normal(size=8), rng.normal(size=8)
    segments = (_segments(60.0, text="the opening slide") +
                [Segment(60.0 + t, 60.0 + t + 4.5, "the reward model scores answers", []) for t in np.arange(0, 300, 5)] +
                [Segment(360.0 + t, 360.0 + t + 4.5, "the partition function cancels out", []) for t in np.arange(0, 300, 5)] +
                [Segment(660.0 + t, 664.5 + t, "thanks", []) for t in np.arange(0, 40, 5)])
    vectors = np.stack([topic_a if "reward" in s.text else topic_b if "partition" in s.text else rng.normal(size=8)
                        for s in segments]) + rng.normal(scale=0.1, size=(len(segments), 8))
    track = SlideTrack([Slide(0.0, 60.0, "Opening", ""), Slide(60.0, 660.0, "", ""), Slide(660.0, 700.0, "Thanks", "")])
    chapters = build_chapters(segments, vectors.astype(np.float32), 700.0, TermMatcher(load_glossary()), track)
    middle = [c for c in chapters if 60.0 <= c.start_s < 660.0]
    assert len(middle) >= 2 and any(abs(c.start_s - 360.0) <= 5.0 for c in middle)
    assert all(c.title_source == "speech" for c in middle)
    assert {c.title for c in middle} >= {"Reward model", "Partition function"}
    assert chapters[0].title == "Opening" and chapters[-1].title == "Thanks"


def test_without_slides_chapters_come_from_the_text_with_a_phrase_as_title():
    segments = _segments(120.0, text="the reward model scores each answer")
    vectors = np.ones((len(segments), 8), dtype=np.float32)
    chapters = build_chapters(segments, vectors, 120.0, TermMatcher(load_glossary()), SlideTrack())
    assert all(c.title_source == "speech" and "," not in c.title for c in chapters)
    assert chapters[0].title == "Reward model"


def test_a_speech_title_is_a_phrase_the_paper_prints_not_a_misheard_run_of_words():
    """Whisper heard "long match causes" twice where the speaker said "long batch causes"; the
    phrase the paper prints, said as often, is the title; never a bare number."""
    said = ["A long match causes a spike.", "So the long match causes trouble.",
            "Unified memory moves the state out.", "With unified memory nothing crashes."]
    segments = [Segment(5.0 * i, 5.0 * i + 4.5, text, []) for i, text in enumerate(said * 4)]
    vectors = np.ones((len(segments), 8), dtype=np.float32)
    matcher = TermMatcher(load_glossary())
    assert build_chapters(segments, vectors, 80.0, matcher)[0].title == "Long match causes"
    paper = "Paged optimizers use NVIDIA unified memory to avoid memory spikes when a long batch comes."
    assert build_chapters(segments, vectors, 80.0, matcher, paper_text=paper)[0].title == "Unified memory"
    numbers = [Segment(5.0 * i, 5.0 * i + 4.5, "It has 100 layers and 100 more, 100 in all.", []) for i in range(4)]
    assert not build_chapters(numbers, np.ones((4, 8), dtype=np.float32), 20.0, matcher)[0].title.isdigit()


def test_a_speech_title_names_a_thing_never_a_piece_of_a_clause():
    """Real speeches said "comes back", "guess we're", "the enemy soon learned" and "at the age of
    eight, Alvin told" more often than anything else; none of them titles a chapter."""
    from builder.analyse.chapters import _names_a_thing
    for piece in ["comes back", "guess we're", "enemy soon learned", "eight alvin told", "told", "soon",
                  "thunderously", "everyone and welcome", "something"]:
        assert not _names_a_thing(piece), piece
    for name in ["law enforcement", "international sex trafficking", "global wealth tax", "BERT", "qlora",
                 "reward model", "enemy's wicked plans", "change of variables", "positional encoding"]:
        assert _names_a_thing(name), name
    said = ["And the answer that comes back is no.", "Again the answer comes back.",
            "The wealth tax is global.", "Nobody can collect the wealth tax."]
    segments = [Segment(5.0 * i, 5.0 * i + 4.5, text, []) for i, text in enumerate(said)]
    title = speech_title(said[:2], TermMatcher([]), [[0, 1], [2, 3]], segments)
    assert title == "Answer"


def test_a_title_phrase_is_read_within_a_clause_and_keeps_names_with_numbers_whole():
    """"MNIST、CIFAR-10和CIFAR-100" holds three names, not the phrase "MNIST CIFAR-10 CIFAR-100";
    "shock, horror and sorrow" is a list; "CIFAR-10" is one name, not "CIFAR-" and "10"."""
    from builder.analyse.chapters import _phrases
    said = {p for p, _ in _phrases("我们在MNIST、CIFAR-10和CIFAR-100上测试。", TermMatcher([]))}
    assert {"MNIST", "CIFAR-10", "CIFAR-100"} <= said and not any(" " in p for p in said if "CIFAR" in p)
    said = {p for p, _ in _phrases("We felt shock, horror and sorrow at GPT-4.", TermMatcher([]))}
    assert "shock horror" not in said and "GPT-4" in said


def test_a_chinese_speech_title_ends_in_a_noun():
    """不行 ("no good") and 所有 ("all") were said most in two chapters of a real classroom answer;
    a Chinese noun phrase ends in its noun (试错成本, "the cost of trial and error")."""
    from builder.analyse.chapters import _chinese_phrases
    naming = dict(_chinese_phrases("反正这五个点不行。把所有的错过一遍。它会降低你的试错成本。谢谢老师。"))
    assert not naming["不行"] and "所有" not in naming
    assert naming["试错成本"] and naming["老师"]
    said = ["反正这五个点不行。", "再写五个点，还是不行。", "它会降低你的试错成本。", "今天讲活动。", "活动很难通过。"]
    segments = [Segment(5.0 * i, 5.0 * i + 4.5, text, []) for i, text in enumerate(said)]
    assert speech_title(said[:3], TermMatcher([]), [[0, 1, 2], [3, 4]], segments) == "试错成本"


def test_a_titled_slide_shown_without_speech_still_opens_its_chapter():
    """A pause on a results slide: nothing is said while it is up, but it is what the viewer saw."""
    track = SlideTrack([Slide(0.0, 60.0, "Opening", ""), Slide(60.0, 80.0, "Results table", "Win rate 61%"),
                        Slide(80.0, 150.0, "Take-aways", "")])
    segments = _segments(60.0) + [Segment(t, t + 4.5, "simple and stable", []) for t in np.arange(80.0, 150.0, 5.0)]
    vectors = np.random.default_rng(2).normal(size=(len(segments), 8)).astype(np.float32)
    chapters = build_chapters(segments, vectors, 150.0, TermMatcher(load_glossary()), track)
    assert [(c.start_s, c.title) for c in chapters] == [(0.0, "Opening"), (60.0, "Results table"),
                                                         (80.0, "Take-aways")]
    assert chapters[1].points == [] and chapters[1].slide_text == "Results table\nWin rate 61%"


def _topic_talk(lengths_s: list[float], seed: int, spread: float = 0.6, dims: int = 32):
    """Sentences every 5 s, each topic a direction in embedding space with sentences scattered
    widely around it (real sentences of one topic are far from identical): starts, segments, vectors."""
    rng = np.random.default_rng(seed)
    segments, rows, starts, t = [], [], [], 0.0
    for length_s in lengths_s:
        starts.append(t)
        topic = rng.normal(size=dims)
        topic /= np.linalg.norm(topic)
        for _ in range(int(length_s // 5)):
            segments.append(Segment(t, t + 4.5, "words", []))
            noise = rng.normal(size=dims)
            rows.append(topic + spread * noise / np.linalg.norm(noise) * np.sqrt(dims) / 4)
            t += 5.0
    vectors = np.stack(rows)
    return starts, segments, (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32), t


@pytest.mark.parametrize("lengths_s", [[30, 60, 45, 90, 40], [120, 35, 50], [20, 40, 40, 40, 40, 40, 25]])
def test_without_slides_the_number_of_chapters_and_the_cuts_are_chosen_together(lengths_s):
    starts, segments, vectors, duration_s = _topic_talk(lengths_s, seed=len(lengths_s))
    chapters = split_chapters(segments, vectors, duration_s)
    assert [segments[c[0]].start_s for c in chapters] == starts


def test_a_talk_that_keeps_to_one_topic_stays_one_chapter():
    for seed in range(5):
        _, segments, vectors, duration_s = _topic_talk([240], seed=seed)
        assert len(split_chapters(segments, vectors, duration_s)) == 1


def test_chapters_follow_the_sentences_whichever_way_whisper_grouped_them_into_segments():
    """Whisper may run three sentences into one segment, across a change of topic: the chapters cut
    from the sentences inside its segments start where the topics do, as with a segment a sentence."""
    starts, sentences, vectors, duration_s = _topic_talk([60, 45, 75], seed=2)
    worded = [Segment(s.start_s, s.end_s, f"word {n}.", [Word(s.start_s, s.start_s + 2.0, "word"),
                                                            Word(s.start_s + 2.0, s.end_s, f"{n}.")])
              for n, s in enumerate(sentences)]
    grouped = [Segment(run[0].start_s, run[-1].end_s, " ".join(s.text for s in run), [w for s in run for w in s.words])
               for run in (worded[i:i + 3] for i in range(1, len(worded), 3))]
    grouped.insert(0, worded[0])     # runs of three; the topics change inside two of them (sentences 12 and 21)
    assert not any(s.start_s in starts[1:] for s in grouped)
    pieces = sentence_pieces(grouped)
    assert [(p.start_s, p.end_s, p.text) for p in pieces] == [(s.start_s, s.end_s, s.text) for s in worded]
    chapters = split_chapters(pieces, vectors, duration_s)
    assert [pieces[c[0]].start_s for c in chapters] == starts


def test_a_long_pause_places_the_cut_between_two_close_topics():
    """Two topics whose sentences are hard to tell apart by meaning alone; the speaker pauses
    2 s before the second, where sentences are otherwise 0.5 s apart."""
    starts, segments, vectors, duration_s = _topic_talk([60, 60], seed=1, spread=2.5)
    without = split_chapters(segments, vectors, duration_s)
    paused = [Segment(s.start_s + (1.5 if s.start_s >= starts[1] else 0.0), s.end_s + (1.5 if s.start_s >= starts[1] else 0.0),
                      s.text, []) for s in segments]
    chapters = split_chapters(paused, vectors, duration_s + 1.5)
    assert [paused[c[0]].start_s for c in chapters] == [0.0, starts[1] + 1.5]
    assert [segments[c[0]].start_s for c in without] != [0.0, starts[1]]


def test_a_sentence_opening_a_new_part_places_the_cut_between_two_close_topics():
    starts, segments, vectors, duration_s = _topic_talk([60, 60], seed=1, spread=2.5)
    opened = [Segment(s.start_s, s.end_s, "Now let us look at the results." if s.start_s == starts[1] else s.text, [])
              for s in segments]
    assert [segments[c[0]].start_s for c in split_chapters(segments, vectors, duration_s)] != [0.0, starts[1]]
    assert [opened[c[0]].start_s for c in split_chapters(opened, vectors, duration_s)] == [0.0, starts[1]]


def test_a_sentence_going_on_with_the_one_before_costs_a_cut_and_an_opening_earns_one():
    """The items of a list ("First, ..." opens it; "Second, ...", "The third is ..." go on) and a
    sentence begun with "But" stay with what came before; in Chinese too."""
    from builder.analyse.chapters import _opening_cues
    texts = ["We start here.", "First, the data.", "Second, the model.", "The third is the loss.",
             "But it is slow.", "Now the results.", "接下来看实验。", "其次是模型。", "第二个原因是内存。", "The loss is small."]
    cues = _opening_cues([Segment(float(i), i + 0.5, text, []) for i, text in enumerate(texts)])
    assert [float(np.sign(c)) for c in cues[:-1]] == [0, 1, -1, -1, -1, 1, 1, -1, -1, 0]


def test_text_cut_chapters_are_never_shorter_than_the_minimum():
    starts, segments, vectors, duration_s = _topic_talk([30, 5, 60, 50], seed=7)   # a 5-s aside
    chapters = split_chapters(segments, vectors, duration_s)
    assert all(segments[c[-1]].end_s - segments[c[0]].start_s >= MIN_CHAPTER_S for c in chapters)


def _short(texts: list[str], at_s: float, seed: int) -> tuple[list[Segment], np.ndarray]:
    """Set phrases (a greeting, the thanks): short sentences, 3 s apart, close to each other."""
    _, _, vectors, _ = _topic_talk([5.0 * len(texts)], seed=seed, spread=0.2)
    return [Segment(at_s + 3.0 * i, at_s + 3.0 * i + 2.5, text, []) for i, text in enumerate(texts)], vectors


def _after(segments: list[Segment], by_s: float) -> list[Segment]:
    return [replace(s, start_s=s.start_s + by_s, end_s=s.end_s + by_s) for s in segments]


def test_a_short_opening_and_closing_are_chapters_of_their_own():
    """A greeting before the first topic and the thanks after the last last less than the minimum
    chapter length, yet they belong to neither topic: set phrases close to each other, a pause
    after the greeting and before the thanks."""
    for seed in range(3):
        opening, opening_vectors = _short(["Good morning.", "Welcome back.", "Today we read a paper."], 0.0, seed)
        _, body, body_vectors, body_s = _topic_talk([60, 60], seed=seed + 10)
        closing, closing_vectors = _short(["That is all for today.", "Thank you.", "See you next week."],
                                          11.0 + body_s + 1.5, seed + 20)
        segments = opening + _after(body, 11.0) + closing
        chapters = split_chapters(segments, np.vstack([opening_vectors, body_vectors, closing_vectors]),
                                  closing[-1].end_s)
        assert [segments[c[0]].start_s for c in chapters] == [0.0, 11.0, 71.0, closing[0].start_s]


def test_a_short_stretch_inside_the_talk_is_no_chapter():
    """The same set phrases and pauses halfway through are no chapter: only an opening and a
    closing may be shorter than the minimum."""
    _, body, body_vectors, body_s = _topic_talk([60, 60], seed=10)
    first = [s for s in body if s.start_s < 60.0]
    aside, aside_vectors = _short(["That is all for this part.", "Thank you.", "Bear with me."], 61.5, 0)
    segments = first + aside + _after(body[len(first):], 11.5)
    chapters = split_chapters(segments, np.vstack([body_vectors[:len(first)], aside_vectors, body_vectors[len(first):]]),
                              segments[-1].end_s)
    assert len(chapters) >= 2
    assert all(segments[c[-1]].end_s - segments[c[0]].start_s >= MIN_CHAPTER_S for c in chapters)


def _plot(seed: int) -> Image.Image:
    """A figure like a paper's: axes, two curves and a legend box on white."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (600, 400), "white")
    d = ImageDraw.Draw(image)
    d.line((60, 20, 60, 360, 580, 360), fill="black", width=3)
    for colour in ("#1f77b4", "#d62728"):
        ys = 300 - np.cumsum(rng.normal(0, 12, 26))
        d.line([(60 + 20 * i, float(np.clip(y, 30, 350))) for i, y in enumerate(ys)], fill=colour, width=4)
    d.rectangle((420, 40, 570, 110), outline="black", width=2)
    return image


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_slide_showing_a_paper_figure_is_linked_to_it():
    from slide_video import draw_slide
    plots = [_plot(1), _plot(2), _plot(3)]
    figures = [Figure(f"Figure {n + 1}", "A plot.", n + 2, f"assets/figure-{n + 1}.png") for n in range(3)]
    slides = [Slide(0.0, 30.0, "Results", "", base64.b64encode(jpeg_of(
                  draw_slide(Shown(1, "Results", ("Win rate",), figure=plots[1])).resize((480, 270)))).decode()),
              Slide(30.0, 60.0, "Take-aways", "", base64.b64encode(jpeg_of(
                  draw_slide(Shown(1, "Take-aways", ("Simple", "Stable"))).resize((480, 270)))).decode())]
    links = figures_on_slides(SlideTrack(slides), figures, [_png(p) for p in plots])
    assert [(f.start_s, f.label, f.image, f.page_no) for f in links] == [(0.0, "Figure 2", "assets/figure-2.png", 3)]


def test_the_talk_page_shows_slide_text_escaped_and_the_figure_link():
    from pathlib import Path
    from builder.models import (Chapter, PairAnalysis, PairConfig, PairResult, PairSource, Paper, PaperMeta,
                                SlideFigure, TalkPoint, Transcript)
    from builder.write.pages import write_talk
    chapters = [Chapter(0, 0.0, 60.0, "Results <b>now</b>", [TalkPoint(1.0, "We won.")], keyframe="assets/chapter-1.jpg",
                        title_source="slide", slide_text="Results <b>now</b>\nWin rate 61% <script>alert(1)</script>\n"
                                                         "Summaries",
                        figures=[SlideFigure(2.0, "Figure 2", "assets/figure-2.png", 7, 0.9)])]
    paper = Paper("paper.pdf", 9, PaperMeta(), [], [], [], [], [])
    source = PairSource("x", Path("sources/x"), Path("paper.pdf"), Path("talk.mp4"), PairConfig())
    transcript = Transcript("talk.mp4", 60.0, "en", "tiny.en", [Segment(1.0, 3.0, "We won.", [])])
    talk = write_talk(PairResult(source, paper, transcript, PairAnalysis([], chapters, [], [], [])), "talk.mp4",
                      "talk.vtt", {})
    assert "### 1. Results &lt;b&gt;now&lt;/b&gt;" in talk
    assert "![The slide at 00:00](assets/chapter-1.jpg)" in talk
    assert "> Win rate 61% &lt;script&gt;alert(1)&lt;/script&gt;  \n> Summaries  " in talk
    assert "<script>" not in talk and "<b>" not in talk
    assert "- The slide at [00:02](talk.mp4#t=2) shows [Figure 2](assets/figure-2.png) ([p.&nbsp;7](paper.pdf#page=7))" in talk


@pytest.fixture(scope="module")
def slide_course(tmp_path_factory, shared_cache):
    """The TDNN paper with a 22-second talk (the JFK speech, then 11 s of a lecture) over two slides, the second
    showing the paper's first extracted figure; built twice."""
    from builder.config import CourseSettings
    from builder.ingest.figures import figures_of
    from builder.ingest.talk import load_audio
    from builder.pipeline import build_course
    from conftest import PAPERS, SPEECH, course_root, make_pair
    root = course_root(tmp_path_factory.mktemp("slidecourse"))
    folder = make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    (folder / "talk.flac").unlink()
    label, png = next((f.label, p) for f, p in figures_of(PAPERS / "tdnn.pdf") if f.label.startswith("Figure"))
    figure = Image.open(io.BytesIO(png)).convert("RGB")
    speech = load_audio(SPEECH / "jfk.flac")
    seconds = len(speech) / 16000
    # a different stretch of speech on the second slide: the same words twice would be read as a whisper loop
    lecture = load_audio(SPEECH / "real" / "talk_political_economy.flac")[:len(speech)]
    write_video(folder / "talk.mp4", [Shown(seconds, "Ask not what your country", ("Can do for you",)),
                                      Shown(seconds, "What the figure shows", (), WHITE, figure=figure)],
                audio=np.concatenate([speech, lecture]))
    settings = CourseSettings.for_root(root, cache_dir=shared_cache)
    first = build_course(settings)
    second = build_course(settings)
    return root, first, second, label


def test_a_slide_talk_builds_chapters_titled_by_its_slides(slide_course):
    root, first, second, label = slide_course
    assert first.failed == [] and second.failed == []
    talk = (root / "content" / "tdnn" / "talk.md").read_text(encoding="utf-8")
    assert "### 1. Ask not what your country" in talk and "### 2. What the figure shows" in talk
    assert "> Can do for you  " in talk
    second_chapter = talk.split("### 2.", 1)[1]
    assert f" shows [{label}](assets/" in second_chapter and "- The slide at [00:1" in second_chapter
    assert [r.ran for r in second.runs if r.stage == "slides"] == [False]
