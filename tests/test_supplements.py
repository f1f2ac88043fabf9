"""What the talk adds, on generated transcripts: sentences cut from whisper words, filler and
garbled speech left out, and a sentence reported only when the paper does not support it."""
from __future__ import annotations

import numpy as np

from builder.analyse.supplements import find_supplements, is_filler, own_voice, sentence_pieces, talk_sentences
from builder.models import Chapter, Segment, Word

DIM = 32


def _segment(start_s: float, text: str, probability: float = 0.95) -> Segment:
    words = [Word(start_s + 0.3 * k, start_s + 0.3 * k + 0.25, w, probability) for k, w in enumerate(text.split())]
    return Segment(start_s, words[-1].end_s, text, words)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_sentences_are_cut_at_sentence_ends_not_at_segment_ends():
    segments = [_segment(0.0, "The model reads the input. It then"), _segment(3.0, "writes the output step by step.")]
    sentences = talk_sentences(segments)
    assert [s.text for s in sentences] == ["The model reads the input.", "It then writes the output step by step."]
    assert sentences[1].start_s == segments[0].words[5].start_s
    assert sentences[0].probability == 0.95


def test_a_comma_with_a_pause_after_it_ends_a_sentence_and_is_shown_as_a_full_stop():
    """Whisper sometimes writes a speaker's full stops as commas; the pause after them is still there."""
    words = [Word(0.0, 0.3, "the", 0.9), Word(0.3, 0.6, "skip-gram", 0.9), Word(0.6, 0.9, "model,", 0.9),
             Word(1.6, 1.9, "if", 0.9), Word(1.9, 2.2, "you,", 0.9), Word(2.4, 2.7, "download", 0.9),
             Word(2.7, 3.0, "it,", 0.9)]
    sentences = talk_sentences([Segment(0.0, 3.0, "the skip-gram model, if you, download it,", words)])
    # a short pause: one sentence; the one after the pause opens with a capital
    assert [s.text for s in sentences] == ["the skip-gram model.", "If you, download it,"]
    assert sentences[1].start_s == 1.6


def test_a_segment_is_cut_into_its_sentences_for_chapters_but_never_joined_to_the_next():
    """Pieces for chapters: the sentences inside each segment, a full stop or a comma with a pause
    ending one; a sentence spread over two segments stays two pieces, each within its segment."""
    first = [Word(0.0, 0.3, "Attention", 0.9), Word(0.3, 0.6, "works.", 0.9), Word(0.7, 1.0, "It", 0.9),
             Word(1.0, 1.3, "scales,", 0.9), Word(2.0, 2.3, "then", 0.9), Word(2.3, 2.6, "the", 0.9)]
    second = [Word(3.0, 3.3, "decoder", 0.9), Word(3.3, 3.6, "reads.", 0.9)]
    pieces = sentence_pieces([Segment(0.0, 2.6, "Attention works. It scales, then the", first),
                              Segment(3.0, 3.6, "decoder reads.", second), Segment(4.0, 5.0, "No words here.", [])])
    assert [(p.start_s, p.end_s, p.text) for p in pieces] == [
        (0.0, 0.6, "Attention works."), (0.7, 1.3, "It scales."), (2.0, 2.6, "Then the"),
        (3.0, 3.6, "decoder reads."), (4.0, 5.0, "No words here.")]
    assert [len(p.words) for p in pieces] == [2, 2, 2, 2, 0]


def test_hyphenated_words_whisper_splits_are_joined_again():
    segments = [Segment(0.0, 2.0, "a follow -up paper.", [Word(0.0, 0.3, "a", 0.9), Word(0.3, 0.6, "follow", 0.9),
                                                          Word(0.6, 0.9, "-up", 0.9), Word(0.9, 1.2, "paper.", 0.9)])]
    assert talk_sentences(segments)[0].text == "a follow-up paper."


def test_greetings_thanks_and_signposts_are_filler():
    for text in ("Good morning everyone, and welcome to the seminar.", "Thank you, I am happy to take questions.",
                 "Let me recall the usual pipeline.", "To wrap up, a summary of the talk.", "Here is the central idea."):
        assert is_filler(text), text
    assert not is_filler("Offline preference data goes stale, so fresh pairs are sampled from the current model.")
    assert not is_filler("And so my fellow Americans, ask not what your country can do for you, ask what you can do "
                         "for your country.")   # plain words, but a long sentence is never filler


def test_the_speakers_own_voice_is_told_from_signposting():
    assert own_voice("In my experience the attention maps are fun to plot.")
    assert own_voice("Later work trained much larger models with this loss.")
    assert not own_voice("The mask hides every later position from the decoder.")   # a place, not a time
    assert own_voice("It has since spread to images and speech.")
    assert not own_voice("Let me go back to the background for a moment.")
    assert not own_voice("Today I want to tell you about a model.")
    assert not own_voice("Here is the plan for today.")                 # the talk's plan, not the paper's era
    assert not own_voice("Hi everyone, welcome to today's lecture.")
    assert own_voice("Nearly every model of today uses this layer.")
    assert not own_voice("The authors compare three kinds of layers.")
    assert not own_voice("The input also includes an i-vector, which tells the network about the speaker.")


def test_what_happened_after_the_paper_came_out_is_the_speakers_own_voice():
    assert own_voice("Several groups reproduced the zero setting within weeks, on math problems.")
    assert own_voice("When this model came out in January, it topped the app store charts.")
    assert own_voice("这个模型刚发布的时候，很多人都在讨论它。")
    assert not own_voice("The results came out better than the baseline on every task.")
    assert not own_voice("Within each block the weights are shared.")


def test_what_the_field_made_of_the_paper_and_a_practitioners_caution_are_the_speakers_own_voice():
    """Phrases that say what came after the paper, how it was received, what it leaves out, or a
    caution from practice: over the 20 shared papers' 6,209 sentences, these phrases add one match
    ("A variety of newer models also pursue this approach"), so a talk that explains the paper
    rarely says them."""
    for remark in ("Offline preference data can go stale, so several follow up methods generate fresh pairs.",
                   "Subsequent work showed the same effect in speech.",
                   "Newer models drop this component entirely.",
                   "Since its publication, the recipe has been applied to code models.",
                   "It was quickly adopted by other labs.",
                   "It has become the standard recipe for chat models.",
                   "Several open source reproductions found smaller gains.",
                   "A common mistake is to forget the reference model.",
                   "A good rule of thumb is to start with a small learning rate.",
                   "In hindsight, the choice of dataset mattered more than the loss.",
                   "One caveat is the cost of the labels.",
                   "The paper doesn't discuss what happens with very long inputs.",
                   "The authors never tried larger batches.",
                   "Practitioners usually tune this value by hand.",
                   "In class we saw a simpler version of this argument.",
                   # as whisper writes them: "it's" for "its", a short word of the phrase misheard
                   "Since it's release, it has become one of the default ways to serve open models.",
                   "A rule and thumb from deployments is that the gains are largest for mixed lengths.",
                   "一个常见的错误是忘了参考模型。",
                   "语音识别工具包里的解码器，至今还用差不多的方式组织它们的假设。",
                   "大约十年之后，基于短语的模型统治了这个领域。",
                   "Decoders in speech toolkits work this way to this day.",
                   "事后看来，数据集的选择比损失函数更重要。"):
        assert own_voice(remark), remark
    for explanation in ("The next layer follows up on the output of the attention.",
                        "Subsequent layers refine the representation.",
                        "The model is a faithful reproduction of the original sentence.",
                        "The authors compare against a newer baseline."):
        assert not own_voice(explanation), explanation
    # the talk's own plan, in Chinese as in English ("the plan for today")
    assert not own_voice("先看一下今天的安排。")
    assert not own_voice("今天读的论文是机器翻译的统计方法。")


def test_advice_practice_and_the_course_are_the_speakers_own_voice():
    assert own_voice("Watch the log probability of the chosen answers during training.")
    assert own_voice("So always check your data first.")
    assert own_voice("Use a small beta at first.")
    assert not own_voice("Lower layers capture local features.")
    assert own_voice("Most libraries use a different scaling by default.")
    assert own_voice("You will need this calculation for the second homework.")
    assert own_voice("Before going on, let me tell you about our own project.")
    assert own_voice("做作业的时候你会需要这个推导。")
    assert not own_voice("The authors watch the loss during training.")
    assert not own_voice("Our method keeps the reference model frozen.")
    assert not own_voice("We fit a reward model to the preferences.")


def test_a_lecturers_asides_on_the_period_the_field_since_and_the_class_are_the_speakers_own_voice():
    assert own_voice("A recurrent translation system of that period could take weeks to train.")
    assert own_voice("Rotary embeddings replaced both options in most recent language models.")
    assert own_voice("Detection toolkits adopted these backbones almost immediately.")
    assert own_voice("Students often mix up the two masks, so keep them apart in your notes.")
    assert own_voice("For the exercise, implement attention in twenty lines of numpy.")
    assert own_voice("那个年代的循环网络要训练好几周。")
    assert own_voice("同学们经常把这两种掩码搞混。")
    assert not own_voice("The decoder attends to the most relevant positions.")
    assert not own_voice("The model is trained with a period of warmup steps.")


def test_a_first_word_whisper_is_less_sure_of_still_carries_the_speakers_voice():
    """Whisper gives a sentence's first word a lower probability than the rest (median 0.75 against
    0.95 on the scripted talks): "Later" at 0.5 is heard; a word of the middle at 0.5 is not."""
    def sentence(words_and_p):
        words = [Word(0.3 * k, 0.3 * k + 0.25, w, p) for k, (w, p) in enumerate(words_and_p)]
        return talk_sentences([Segment(0.0, words[-1].end_s, " ".join(w for w, _ in words_and_p), words)])[0]
    first = sentence([("Later", 0.5), ("work", 0.9), ("showed", 0.9), ("that", 0.9), ("this", 0.9), ("fails.", 0.9)])
    assert own_voice(first.heard_text)
    middle = sentence([("The", 0.9), ("gain", 0.9), ("was", 0.9), ("later", 0.5), ("shown", 0.9), ("twice.", 0.9)])
    assert not own_voice(middle.heard_text)
    unsure = sentence([("I", 0.1), ("mumble", 0.9), ("fizzle", 0.9), ("quantum.", 0.9)])
    assert not own_voice(unsure.heard_text)


def _case(rng):
    """A paper of four topics; the talk explains three of them, adds two remarks and one filler line."""
    topics = _unit(rng.normal(size=(4, DIM)))
    passages = [f"passage {t}-{k} about topic{t} words{t} terms{t}" for t in range(4) for k in range(5)]
    passage_vectors = _unit(np.repeat(topics, 5, axis=0) + 0.3 * rng.normal(size=(20, DIM)) / np.sqrt(DIM))
    lines = [  # (text, vector, probability)
        ("Good morning everyone, welcome to the lecture.", rng.normal(size=DIM), 0.95),
        ("The method explains topic0 with words0 and terms0 clearly.", topics[0], 0.95),
        ("In my own runs the learning rate had to be much lower.", rng.normal(size=DIM), 0.95),
        ("Results on topic1 improve words1 across terms1 benchmarks.", topics[1], 0.95),
        ("Hundreds of teams adopted the recipe within a few weeks of release.", rng.normal(size=DIM), 0.95),
        ("Grumble mumble vector fizzle topic nine quantum spaghetti.", rng.normal(size=DIM), 0.3),
        ("Ablations on topic2 show words2 matter for terms2 overall.", topics[2], 0.95),
    ]
    segments = [_segment(10.0 * i, text, p) for i, (text, _, p) in enumerate(lines)]
    vectors = _unit(np.array([v + 0.1 * rng.normal(size=DIM) / np.sqrt(DIM) for _, v, _ in lines]))
    chapters = [Chapter(0, 0.0, 35.0, "first", []), Chapter(1, 35.0, 80.0, "second", [])]
    return segments, vectors, passages, passage_vectors, chapters


def test_remarks_the_paper_does_not_make_are_supplements_and_nothing_else_is():
    rng = np.random.default_rng(0)
    segments, vectors, passages, passage_vectors, chapters = _case(rng)
    sentences = talk_sentences(segments)
    found = find_supplements(chapters, sentences, vectors, passages, passage_vectors)
    assert [s.text for s in found] == ["In my own runs the learning rate had to be much lower.",
                                       "Hundreds of teams adopted the recipe within a few weeks of release."]
    assert [s.chapter_index for s in found] == [0, 1]
    assert all(s.best_score < 0.6 for s in found)


def test_a_transcript_without_word_probabilities_still_gets_supplements():
    rng = np.random.default_rng(1)
    segments, vectors, passages, passage_vectors, chapters = _case(rng)
    bare = [Segment(s.start_s, s.end_s, s.text, []) for s in segments]
    found = find_supplements(chapters, talk_sentences(bare), vectors, passages, passage_vectors)
    texts = [s.text for s in found]
    assert "In my own runs the learning rate had to be much lower." in texts
    assert "Good morning everyone, welcome to the lecture." not in texts


def test_after_the_speaker_says_a_tip_is_not_in_the_paper_the_rest_of_the_chapter_is_theirs():
    """The example talk's last slide ("Not in the paper!"), said aloud too: its tips carry no cue
    word and stay close to the paper's topic, so only the announcement marks them."""
    rng = np.random.default_rng(3)
    topics = _unit(rng.normal(size=(4, DIM)))
    passages = [f"passage {t}-{k} about topic{t} words{t} terms{t}" for t in range(4) for k in range(5)]
    passage_vectors = _unit(np.repeat(topics, 5, axis=0) + 0.3 * rng.normal(size=(20, DIM)) / np.sqrt(DIM))
    lines = [("The method explains topic0 with words0 and terms0 clearly.", topics[0]),
             ("Beta around a tenth usually behaves well for small models.", topics[1]),
             ("Results on topic2 improve words2 across terms2 benchmarks.", topics[2]),
             ("Finally, a tip that is not in the paper.", rng.normal(size=DIM)),
             ("Beta around a tenth usually behaves well for large models.", topics[1]),
             ("So always check your data first.", rng.normal(size=DIM)),
             ("That brings us to the end.", rng.normal(size=DIM)),
             ("Thank you for listening.", rng.normal(size=DIM))]
    segments = [_segment(10.0 * i, text) for i, (text, _) in enumerate(lines)]
    vectors = _unit(np.array([v + 0.1 * rng.normal(size=DIM) / np.sqrt(DIM) for _, v in lines]))
    chapters = [Chapter(0, 0.0, 30.0, "Method", []), Chapter(1, 30.0, 90.0, "Tips", [])]
    found = find_supplements(chapters, talk_sentences(segments), vectors, passages, passage_vectors)
    # a short tip there is no filler; the announcement, the closing signpost and the thanks are
    assert [s.text for s in found] == ["Beta around a tenth usually behaves well for large models.",
                                       "So always check your data first."]
    # "not in the paper's main table" says where, not whose
    told = [*segments[:3], _segment(30.0, "The ablation is not in the paper's main table but in its appendix."),
            segments[4]]
    found = find_supplements(chapters, talk_sentences(told), vectors[:5], passages, passage_vectors)
    assert "Beta around a tenth usually behaves well for large models." not in [s.text for s in found]
    # a slide that says so marks its chapter the same way
    quiet = segments[:3] + [segments[4]]
    slide = [chapters[0], Chapter(1, 30.0, 90.0, "Tips", [], slide_text="Not in the paper!\nStart with beta 0.1")]
    found = find_supplements(slide, talk_sentences(quiet), vectors[[0, 1, 2, 4]], passages, passage_vectors)
    assert [s.text for s in found] == ["Beta around a tenth usually behaves well for large models."]


def test_a_sentence_quoting_the_papers_figures_reports_the_paper_whatever_whisper_made_of_it():
    """"The reinforcement learning baseline reached 55%", heard as "... base I reached 55%": its
    "I" read as the speaker's voice. A lone round number is too common to tell."""
    from builder.analyse.supplements import _quotes_the_papers_figures
    printed = {"55%", "61%", "19", "22", "50", "2.5"}
    assert _quotes_the_papers_figures("The reinforcement learning base I reached 55%.", printed)
    assert _quotes_the_papers_figures("I was better for a while from 8 layers to 19 and 22.", printed)
    assert not _quotes_the_papers_figures("In my runs it reached 70% only.", printed)
    assert not _quotes_the_papers_figures("Today a net with 50 layers is still the default.", printed)


def test_a_figure_the_paper_prints_is_the_papers_also_rounded_and_with_whisper_spacing():
    """A speaker says "about 99%" for a printed 99.3%, and whisper writes it "99 %"; a decimal the
    paper never prints, rounded or not, stays the speaker's."""
    from builder.analyse.supplements import _quotes_the_papers_figures, printed_figures
    printed = printed_figures(["Guanaco reaches 99.3% of the performance level of ChatGPT.", "BLEU of 28.4."])
    assert _quotes_the_papers_figures("The largest Wokka reaches about 99 % of chat GPT score.", printed)
    assert _quotes_the_papers_figures("A BLEU of 28 on English German.", printed) is False   # one round number
    assert _quotes_the_papers_figures("It scored 28.4, about 99% of the best.", printed)
    assert not _quotes_the_papers_figures("In my runs it reached 97% at best.", printed)


def test_a_phrase_in_the_speakers_voice_counts_though_whisper_was_unsure_of_one_of_its_words():
    """"the honest answer" with "honest" unsure is still the speaker's; a lone "I" that whisper was
    unsure of is not ("base I reached", a mis-heard "baseline")."""
    from builder.analyse.supplements import voiced

    def sentence(words_and_p):
        words = [Word(0.3 * k, 0.3 * k + 0.25, w, p) for k, (w, p) in enumerate(words_and_p)]
        return talk_sentences([Segment(0.0, words[-1].end_s, " ".join(w for w, _ in words_and_p), words)])[0]
    phrase = sentence([("And", 0.9), ("the", 0.9), ("honest", 0.3), ("answer", 0.9), ("is", 0.9), ("memory.", 0.9)])
    assert voiced(phrase) and not own_voice(phrase.heard_text)
    took = sentence([("Training", 0.9), ("took", 0.9), ("weeks", 0.9), ("at", 0.2), ("the", 0.9), ("time.", 0.9)])
    assert voiced(took)
    lone = sentence([("The", 0.9), ("base", 0.9), ("I", 0.3), ("reached", 0.9), ("55%.", 0.9)])
    assert not voiced(lone)
