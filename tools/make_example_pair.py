"""Regenerate the example pair shipped in ``sources/example/``.

Why this script exists
----------------------
coursewiki turns pairs of (research paper PDF, talk video) into a course
wiki.  So that the main command works on a fresh checkout, the repository
ships one small example pair.  We cannot redistribute a real paper or a real
recorded talk, so both are synthesised here from text written for this
project:

* ``paper.pdf``  - a 4-page, single-column, US-letter "research paper" on
  Direct Preference Optimization with fictional example authors, rendered
  with PyMuPDF's built-in Base-14 fonts, plus one raster figure (Pillow)
  so that figure extraction has something to find.
* ``talk.mp4``   - a ~100 second "talk" by the same fictional author: one
  slide per part (Pillow) and speech synthesised with espeak-ng, encoded
  with PyAV as H.264 + AAC at a low frame rate to keep the file small.
  Part 5 of the talk deliberately contains advice and an anecdote that are
  NOT in the paper, so talk-only content can be tested.
* ``pair.yml``   - minimal per-pair overrides (language, tags).

The narration texts in ``TALK_PARTS`` are the ground truth for what is
said in the video; the paper text lives in ``PAPER`` below.

Requirements (only for regenerating; the generated files are committed):

* espeak-ng      - Debian package: ``apt-get install -y espeak-ng``
* PyAV (``av``)  - ``pip install av`` (bundles FFmpeg with libx264 and aac)
* Pillow, numpy, PyMuPDF (``pymupdf``)

Usage::

    python tools/make_example_pair.py            # writes sources/example/*
    python tools/make_example_pair.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import io
import math
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sources" / "example"

# ---------------------------------------------------------------------------
# Paper content (original text written for this example; all fictional)
# ---------------------------------------------------------------------------

TITLE = (
    "Learning from Preferences Without a Reward Model: "
    "A Short Tutorial on Direct Preference Optimization"
)
AUTHORS = ["Ada Lindqvist", "Rahul Menon", "Mei Chen"]
AFFILIATION = "Coursewiki Example Lab  -  fictional authors for demonstration only"
FOOTER = (
    "Example paper shipped with coursewiki, 2026. Authors, affiliation and "
    "experimental numbers are illustrative."
)
KEYWORDS = "direct preference optimization, RLHF, alignment, language models"

ABSTRACT = (
    "Aligning a language model with human preferences usually involves training "
    "a separate reward model and then optimizing the language model with "
    "reinforcement learning. In this paper we give a short, self-contained "
    "tutorial on Direct Preference Optimization (DPO), a method that removes the "
    "explicit reward model and trains the policy directly on pairs of preferred "
    "and rejected responses. We explain the background needed to follow the "
    "method, including Transformer language models, supervised fine-tuning, the "
    "Bradley-Terry model of pairwise preferences, and reinforcement learning from "
    "human feedback with proximal policy optimization. We then derive the DPO "
    "objective in plain language and report a small illustrative experiment. We "
    "find that DPO reaches a higher win rate than a reward-model baseline while "
    "using less compute, and we conclude that it is a sensible default for "
    "practitioners who want a simple alignment pipeline."
)

# Body: list of (kind, payload).  kinds: h1, h2, p, eq, figure, table
PAPER = [
    ("h1", "1  Introduction"),
    ("p",
     "Large language models are trained to predict the next token on very large "
     "text corpora. This pre-training gives them broad knowledge, but it does not "
     "make them follow instructions or respect the preferences of the people who "
     "use them. A second stage, usually called alignment, is needed to turn a "
     "capable text predictor into a helpful assistant."),
    ("p",
     "The most widely used alignment recipe is reinforcement learning from human "
     "feedback (RLHF) [4, 6]. Annotators compare two responses to the same prompt "
     "and mark the better one. A reward model is trained to predict these "
     "judgements, and the language model is then optimized against the reward "
     "model with a reinforcement learning algorithm. The recipe works well, but "
     "it is complex: it needs several large models in memory at the same time, "
     "it requires sampling from the model during training, and it is sensitive "
     "to many hyperparameters."),
    ("p",
     "Direct Preference Optimization (DPO) [5] offers a simpler path. It shows "
     "that the reward model can be eliminated, so that the policy can be trained "
     "with an ordinary classification-style loss on the preference pairs "
     "themselves. In this paper we present DPO as a short tutorial for newcomers. "
     "Our contributions are threefold. First, we summarize the background "
     "concepts in one place. Second, we explain the DPO loss step by step, "
     "without heavy notation. Third, we report a small, clearly illustrative "
     "experiment that compares DPO with a reward-model baseline."),
    ("h1", "2  Background"),
    ("h2", "2.1  Transformer Language Models"),
    ("p",
     "Modern language models are based on the Transformer architecture [3]. A "
     "Transformer processes a sequence of tokens with stacked layers of "
     "self-attention and feed-forward blocks. A decoder-only Transformer assigns "
     "a probability to each possible next token given all previous tokens, so the "
     "probability of a whole response is the product of the probabilities of its "
     "tokens. We write p(y | x) for the probability that the model produces "
     "response y given prompt x. In this paper the word policy simply means such "
     "a language model, viewed as a strategy for producing responses."),
    ("h2", "2.2  Supervised Fine-Tuning"),
    ("p",
     "Supervised fine-tuning (SFT) is the first alignment step. The pre-trained "
     "model is trained further on a curated set of prompts paired with "
     "high-quality demonstration responses, using the usual next-token loss. The "
     "SFT model already follows instructions reasonably well, and it serves both "
     "as the starting point and as the reference model for the later preference "
     "stage."),
    ("h2", "2.3  Reward Models and the Bradley-Terry Model"),
    ("p",
     "Preference data consist of triples: a prompt x, a chosen response y_w and a "
     "rejected response y_l. The Bradley-Terry model [1] is a classical way to "
     "turn such pairwise comparisons into scores. It assumes that each response "
     "has a hidden reward R(x, y) and that the probability of preferring y_w over "
     "y_l is the logistic sigmoid of the reward difference:"),
    ("eq", ["P(y_w preferred over y_l) = sigmoid( R(x, y_w) - R(x, y_l) )"], "(1)"),
    ("p",
     "In RLHF, the reward model is a neural network, often initialized from the "
     "SFT model, that is trained to maximize the likelihood of the observed "
     "preferences under Equation (1)."),
    ("h2", "2.4  RLHF with PPO and a KL Penalty"),
    ("p",
     "Once a reward model is available, the policy is optimized to produce "
     "responses with high reward. The standard algorithm is proximal policy "
     "optimization (PPO) [2], which updates the policy in small, clipped steps to "
     "keep training stable. A purely reward-maximizing policy quickly learns to "
     "exploit weaknesses of the reward model, producing odd text that scores well "
     "but reads badly. To prevent this, the objective adds a penalty on the "
     "Kullback-Leibler (KL) divergence between the policy and the reference SFT "
     "model. The KL divergence measures how far one probability distribution is "
     "from another, and a strength parameter, called beta, sets how much drift is "
     "tolerated. The full pipeline therefore involves a policy, a reference "
     "model, a reward model and a value network, and it needs fresh samples from "
     "the policy at every step."),
    ("h1", "3  Method"),
    ("p",
     "The key observation behind DPO is that the KL-regularized objective of "
     "Section 2.4 has a known optimal solution. For any reward function, the best "
     "policy reweights the reference model by the exponential of the reward "
     "divided by beta. This relation can be turned around: the reward can be "
     "written in terms of the optimal policy and the reference model. In other "
     "words, every policy implicitly defines a reward, equal to beta times the "
     "log ratio between the policy probability and the reference probability of "
     "a response."),
    ("p",
     "If we substitute this implicit reward into the Bradley-Terry model of "
     "Equation (1), an unknown normalizing term cancels, because both responses "
     "share the same prompt. What remains is a loss that depends only on the "
     "policy, the frozen reference model and the preference pairs. Writing r(y) "
     "for the log ratio between policy and reference, the DPO loss for one "
     "example is:"),
    ("eq", ["r(y) = log p(y | x) - log p_ref(y | x)",
            "L_DPO = - log sigmoid( beta * ( r(y_w) - r(y_l) ) )"], "(2)"),
    ("p",
     "In words, the loss increases the margin by which the chosen response is "
     "favored over the rejected one, with both measured relative to the "
     "reference model. Examples that the policy already ranks correctly with a "
     "large margin contribute small gradients, while examples that it ranks "
     "wrongly contribute large gradients. The parameter beta plays the same role "
     "as the KL strength in RLHF: a larger beta keeps the policy closer to the "
     "reference model."),
    ("p",
     "Training with DPO looks like ordinary supervised learning. For each batch we "
     "compute the log-probabilities of the chosen and rejected responses under "
     "the policy and under the reference model, evaluate Equation (2), and take a "
     "gradient step. No sampling, no reward model and no value network are "
     "required. Figure 1 summarizes the data flow."),
    ("figure",
     "Figure 1: Data flow in Direct Preference Optimization. Preference pairs and "
     "a frozen reference model feed a single classification-style loss that "
     "updates the policy directly; no separate reward model is trained."),
    ("h1", "4  Experiments"),
    ("p",
     "We ran a small experiment to illustrate the behavior of DPO. The numbers "
     "below come from a toy setting and are meant for teaching only; they should "
     "not be read as a benchmark result. We started from a 160-million-parameter "
     "decoder-only model that had been fine-tuned on short instruction data. We "
     "built 5,000 synthetic preference pairs for a short-answer helpfulness task "
     "and held out 500 prompts for evaluation."),
    ("p",
     "We compared three systems: the SFT model itself, an RLHF baseline that "
     "trains a reward model and then runs PPO, and DPO trained on the same pairs. "
     "For both the RLHF baseline and DPO, beta was chosen from a small sweep on "
     "held-out pairs. Quality was measured as the win rate against the SFT model, "
     "judged by a larger model on the held-out prompts. Table 1 lists the "
     "results."),
    ("table", {
        "header": ["System", "Win rate vs. SFT", "Training time"],
        "rows": [
            ["SFT (reference model)", "50%", "n/a"],
            ["RLHF (reward model + PPO)", "55%", "3.1 GPU-hours"],
            ["DPO (this tutorial)", "61%", "1.2 GPU-hours"],
        ],
        "caption": ("Table 1: Illustrative toy results. Win rate is measured "
                    "against the SFT model on 500 held-out prompts."),
    }),
    ("p",
     "We find that DPO reaches a win rate of 61% against the SFT model, compared "
     "with 55% for the RLHF baseline. DPO also needed less than half of the "
     "training time, because it never samples from the policy during training. "
     "We also observed that DPO training curves were smoother across three "
     "random seeds, while the PPO runs needed two restarts after the reward "
     "collapsed. These results agree with the trend reported in the original DPO "
     "paper [5], but the small scale means they should be treated as an "
     "illustration rather than as evidence."),
    ("h1", "5  Conclusion"),
    ("p",
     "In this paper we presented a short tutorial on Direct Preference "
     "Optimization. We reviewed Transformer language models, supervised "
     "fine-tuning, the Bradley-Terry preference model, and RLHF with PPO and a KL "
     "penalty. We then showed how DPO replaces the reward model and the "
     "reinforcement learning loop with a single loss on preference pairs. In a "
     "small illustrative experiment, DPO achieved a higher win rate than the "
     "reward-model baseline at lower cost. We conclude that DPO is a simple and "
     "effective default for preference-based alignment. Its main limitation is "
     "its reliance on a fixed, offline set of preference pairs, and future work "
     "could study online variants that collect new comparisons during training."),
]

REFERENCES = [
    "[1] R. A. Bradley and M. E. Terry. Rank analysis of incomplete block designs: "
    "I. The method of paired comparisons. Biometrika, 39(3/4):324-345, 1952.",
    "[2] J. Schulman, F. Wolski, P. Dhariwal, A. Radford, and O. Klimov. Proximal "
    "policy optimization algorithms. arXiv preprint arXiv:1707.06347, 2017.",
    "[3] A. Vaswani, N. Shazeer, N. Parmar, J. Uszkoreit, L. Jones, A. N. Gomez, "
    "L. Kaiser, and I. Polosukhin. Attention is all you need. In Advances in "
    "Neural Information Processing Systems (NeurIPS), 2017.",
    "[4] L. Ouyang, J. Wu, X. Jiang, et al. Training language models to follow "
    "instructions with human feedback. In Advances in Neural Information "
    "Processing Systems (NeurIPS), 2022.",
    "[5] R. Rafailov, A. Sharma, E. Mitchell, S. Ermon, C. D. Manning, and C. Finn. "
    "Direct preference optimization: Your language model is secretly a reward "
    "model. In Advances in Neural Information Processing Systems (NeurIPS), 2023.",
    "[6] P. F. Christiano, J. Leike, T. Brown, M. Martic, S. Legg, and D. Amodei. "
    "Deep reinforcement learning from human preferences. In Advances in Neural "
    "Information Processing Systems (NeurIPS), 2017.",
]

# ---------------------------------------------------------------------------
# Talk content: ground truth narration, one slide per part
# ---------------------------------------------------------------------------

TALK_PARTS = [
    {
        "title": "Why preferences?",
        "bullets": ["Teach a model what people prefer",
                    "A short tutorial on DPO",
                    "No reinforcement learning needed"],
        "color": (32, 64, 128),
        "text": (
            "Hello everyone. In this talk I will explain direct preference "
            "optimization, a simple way to teach a language model from human "
            "preferences. Our goal was to write a short tutorial that makes the "
            "idea easy to follow, without the heavy machinery of reinforcement "
            "learning."
        ),
    },
    {
        "title": "Background: RLHF",
        "bullets": ["People compare two answers",
                    "Train a reward model",
                    "Optimize the policy with PPO"],
        "color": (120, 40, 40),
        "text": (
            "First, some background. The classic recipe is called reinforcement "
            "learning from human feedback. People compare a pair of answers and "
            "pick the better one. We train a reward model on those comparisons, and "
            "then improve the language model with proximal policy "
            "optimization. This works, but it needs several models and careful "
            "tuning."
        ),
    },
    {
        "title": "The DPO loss",
        "bullets": ["Use the comparisons directly",
                    "Chosen up, rejected down",
                    "Beta keeps us near the reference"],
        "color": (30, 100, 60),
        "text": (
            "Direct preference optimization does not need a reward model and "
            "learns from the comparisons directly. The training objective raises "
            "the probability of the chosen answer and lowers the rejected answer, "
            "both measured against a "
            "frozen reference model. A single number called beta controls how "
            "far the model may drift from that reference."
        ),
    },
    {
        "title": "Results",
        "bullets": ["DPO: 61% win rate",
                    "Reward model + PPO: 55%",
                    "Faster and more stable"],
        "color": (100, 60, 130),
        "text": (
            "In our small toy experiment, the model trained with direct "
            "preference optimization had a win rate of sixty one percent against "
            "the starting model. The reinforcement learning baseline reached fifty "
            "five percent. Training was also faster and more stable. We conclude "
            "that the direct method is a strong and simple default."
        ),
    },
    {
        "title": "Tips from practice",
        "bullets": ["Not in the paper!",
                    "Start with beta around 0.1",
                    "Check your data labels first"],
        "color": (150, 100, 20),
        "text": (
            "Finally, a tip that is not in the paper. Start with a small beta of "
            "about zero point one, and watch the reward of the chosen answers "
            "during training. If it keeps falling, lower the learning rate. And "
            "a short story: our first run failed because the chosen and rejected "
            "answers were swapped. So always check your data first. Thank you "
            "for listening."
        ),
    },
]

PAIR_YML = """\
# Optional overrides for this pair; every key is optional.
language: en
tags: [alignment, preference optimization]
"""

# ---------------------------------------------------------------------------
# Paper rendering
# ---------------------------------------------------------------------------

PAGE_W, PAGE_H = 612, 792  # US letter in points
MARGIN_X = 72
TOP = 72
BOTTOM = PAGE_H - 78  # leave room for footer / page number
TEXT_W = PAGE_W - 2 * MARGIN_X

BODY_FONT, BODY_SIZE, BODY_LEAD = "tiro", 10, 12.6
BOLD_BODY_FONT = "tibo"
ITALIC_FONT = "tiit"
HEAD_FONT = "hebo"
MONO_FONT = "cour"


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    import pymupdf

    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if pymupdf.get_text_length(trial, fontname=font, fontsize=size) <= width:
            cur = trial
        else:
            if cur:
                lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


def _font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    """A TrueType font for slides/figure; Pillow's bundled font as fallback."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for cand in (Path("/usr/share/fonts/truetype/dejavu") / name, Path(name)):
        try:
            return ImageFont.truetype(str(cand), size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def make_figure_png() -> bytes:
    """Figure 1: boxes and arrows, drawn as a raster image."""
    W, H = 1500, 520
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    f_big, f_small = _font(38, bold=True), _font(27)

    def box(x0, y0, x1, y1, title, sub, fill, dashed=False):
        if dashed:
            for x in range(x0, x1, 24):
                d.line([(x, y0), (min(x + 12, x1), y0)], fill="black", width=4)
                d.line([(x, y1), (min(x + 12, x1), y1)], fill="black", width=4)
            for y in range(y0, y1, 24):
                d.line([(x0, y), (x0, min(y + 12, y1))], fill="black", width=4)
                d.line([(x1, y), (x1, min(y + 12, y1))], fill="black", width=4)
            d.rectangle([x0 + 3, y0 + 3, x1 - 3, y1 - 3], fill=fill)
        else:
            d.rounded_rectangle([x0, y0, x1, y1], radius=22, fill=fill,
                                outline="black", width=4)
        cx = (x0 + x1) / 2
        d.text((cx, (y0 + y1) / 2 - 22), title, font=f_big, fill="black",
               anchor="mm")
        for i, line in enumerate(sub):
            d.text((cx, (y0 + y1) / 2 + 24 + 32 * i), line, font=f_small,
                   fill=(40, 40, 40), anchor="mm")

    def arrow(x0, y0, x1, y1):
        d.line([(x0, y0), (x1, y1)], fill="black", width=6)
        ang = math.atan2(y1 - y0, x1 - x0)
        a, L = math.radians(28), 26
        p1 = (x1 - L * math.cos(ang - a), y1 - L * math.sin(ang - a))
        p2 = (x1 - L * math.cos(ang + a), y1 - L * math.sin(ang + a))
        d.polygon([(x1, y1), p1, p2], fill="black")

    y0, y1 = 40, 250
    box(30, y0, 450, y1, "Preference data", ["prompt x,", "chosen y_w, rejected y_l"],
        (214, 230, 250))
    box(560, y0, 940, y1, "DPO loss", ["-log sigmoid(beta *", "(r(y_w) - r(y_l)))"],
        (250, 228, 200))
    box(1050, y0, 1470, y1, "Policy", ["updated by", "gradient descent"],
        (210, 240, 215))
    box(530, 330, 970, 490, "Reference model", ["frozen copy of SFT model"],
        (235, 235, 235), dashed=True)
    arrow(450, 145, 556, 145)
    arrow(940, 145, 1046, 145)
    arrow(680, 330, 680, 254)
    # feedback: the policy's log-probabilities go back into the loss
    d.line([(1260, 250), (1260, 290), (820, 290)], fill=(90, 90, 90), width=4)
    arrow(820, 290, 820, 254)
    d.text((1275, 290), "policy log-probs", font=f_small, fill=(90, 90, 90),
           anchor="lm")
    buf = io.BytesIO()
    img.convert("P", palette=Image.ADAPTIVE, colors=64).save(buf, "PNG",
                                                             optimize=True)
    return buf.getvalue()


class _Flow:
    """Minimal top-to-bottom text flow with automatic page breaks."""

    def __init__(self, doc):
        self.doc = doc
        self.page = None
        self.y = 0.0
        self.new_page()

    def new_page(self):
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.y = TOP

    def need(self, h: float):
        if self.y + h > BOTTOM:
            self.new_page()

    def line(self, text, font=BODY_FONT, size=BODY_SIZE, lead=BODY_LEAD, x=None,
             center=False, color=(0, 0, 0)):
        import pymupdf

        self.need(lead)
        if center:
            w = pymupdf.get_text_length(text, fontname=font, fontsize=size)
            x = (PAGE_W - w) / 2
        elif x is None:
            x = MARGIN_X
        self.y += lead
        self.page.insert_text((x, self.y - (lead - size) / 2 - 1), text,
                              fontname=font, fontsize=size, color=color)

    def paragraph(self, text, font=BODY_FONT, size=BODY_SIZE, lead=BODY_LEAD,
                  indent=0.0, width=TEXT_W, after=5.0, first_indent=0.0):
        lines = _wrap(text, width - first_indent, font, size)
        # re-wrap the rest at full width (first line may be indented)
        if first_indent and len(lines) > 1:
            rest = " ".join(lines[1:])
            lines = lines[:1] + _wrap(rest, width, font, size)
        # avoid a single orphan line at the bottom of a page
        if len(lines) > 1 and self.y + 2 * lead > BOTTOM:
            self.new_page()
        for i, ln in enumerate(lines):
            self.line(ln, font, size, lead,
                      x=MARGIN_X + indent + (first_indent if i == 0 else 0))
        self.y += after

    def space(self, h):
        self.y += h


def make_paper_pdf(path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    fl = _Flow(doc)

    # --- title block (page 1) ---
    fl.space(6)
    for ln in _wrap(TITLE, TEXT_W - 20, HEAD_FONT, 17):
        fl.line(ln, HEAD_FONT, 17, 21, center=True)
    fl.space(12)
    fl.line(",   ".join(AUTHORS), "helv", 11, 14, center=True)
    fl.line(AFFILIATION, "heit", 9, 12, center=True, color=(0.25, 0.25, 0.25))
    fl.space(18)
    fl.line("Abstract", HEAD_FONT, 11, 14, center=True)
    fl.space(3)
    fl.paragraph(ABSTRACT, BODY_FONT, 9.5, 11.8, indent=36, width=TEXT_W - 72,
                 after=4)
    fl.line("Keywords: " + KEYWORDS, ITALIC_FONT, 9, 11.5, x=MARGIN_X + 36)
    fl.space(10)

    fig_png = make_figure_png()
    first_p_in_section = True
    for kind, *payload in PAPER:
        if kind == "h1":
            fl.need(16 + 3 * BODY_LEAD)  # keep heading with text
            fl.space(6)
            fl.line(payload[0], HEAD_FONT, 12, 16)
            fl.space(3)
            first_p_in_section = True
        elif kind == "h2":
            fl.need(14 + 3 * BODY_LEAD)
            fl.space(2)
            fl.line(payload[0], HEAD_FONT, 10.5, 14)
            fl.space(2)
            first_p_in_section = True
        elif kind == "p":
            fl.paragraph(payload[0],
                         first_indent=0 if first_p_in_section else 14)
            first_p_in_section = False
        elif kind == "eq":
            lines, num = payload
            fl.need(len(lines) * 13 + 8)
            fl.space(2)
            for i, ln in enumerate(lines):
                fl.line(ln, MONO_FONT, 9, 13, x=MARGIN_X + 40)
                if i == len(lines) - 1:
                    fl.page.insert_text((PAGE_W - MARGIN_X - 16, fl.y - 3), num,
                                        fontname=BODY_FONT, fontsize=BODY_SIZE)
            fl.space(6)
            first_p_in_section = True
        elif kind == "figure":
            fig_w = TEXT_W - 30
            fig_h = fig_w * 520 / 1500
            cap = _wrap(payload[0], TEXT_W - 40, BODY_FONT, 9)
            fl.need(fig_h + 14 + len(cap) * 11.5 + 6)
            fl.space(6)
            x0 = (PAGE_W - fig_w) / 2
            fl.page.insert_image(pymupdf.Rect(x0, fl.y, x0 + fig_w, fl.y + fig_h),
                                 stream=fig_png)
            fl.y += fig_h + 6
            for ln in cap:
                fl.line(ln, BODY_FONT, 9, 11.5, x=MARGIN_X + 20)
            fl.space(10)
            first_p_in_section = True
        elif kind == "table":
            t = payload[0]
            cols = [MARGIN_X + 60, MARGIN_X + 250, MARGIN_X + 360]
            rows = 1 + len(t["rows"])
            cap = _wrap(t["caption"], TEXT_W - 40, BODY_FONT, 9)
            fl.need(rows * 14 + 20 + len(cap) * 11.5)
            fl.space(4)
            xr = (cols[0] - 8, PAGE_W - MARGIN_X - 40)
            fl.page.draw_line((xr[0], fl.y), (xr[1], fl.y), width=0.8)
            for r, row in enumerate([t["header"]] + t["rows"]):
                fl.y += 14
                font = BOLD_BODY_FONT if r == 0 else BODY_FONT
                for x, cell in zip(cols, row):
                    fl.page.insert_text((x, fl.y - 4), cell, fontname=font,
                                        fontsize=9.5)
                if r == 0:
                    fl.page.draw_line((xr[0], fl.y), (xr[1], fl.y), width=0.5)
            fl.page.draw_line((xr[0], fl.y + 1), (xr[1], fl.y + 1), width=0.8)
            fl.space(6)
            for ln in cap:
                fl.line(ln, BODY_FONT, 9, 11.5, x=MARGIN_X + 20)
            fl.space(8)
            first_p_in_section = True

    fl.need(16 + 3 * 11.5)
    fl.space(6)
    fl.line("References", HEAD_FONT, 12, 16)
    fl.space(3)
    for ref in REFERENCES:
        label, rest = ref.split(" ", 1)
        lines = _wrap(rest, TEXT_W - 20, BODY_FONT, 9)
        fl.need(len(lines) * 11.2)
        top = fl.y
        for ln in lines:
            fl.line(ln, BODY_FONT, 9, 11.2, x=MARGIN_X + 20)
        fl.page.insert_text((MARGIN_X, top + 11.2 - (11.2 - 9) / 2 - 1), label,
                            fontname=BODY_FONT, fontsize=9)
        fl.space(3)

    # --- footer on page 1, page numbers on every page ---
    p1 = doc[0]
    fy = PAGE_H - 62
    p1.draw_line((MARGIN_X, fy), (MARGIN_X + 150, fy), width=0.5)
    for i, ln in enumerate(_wrap(FOOTER, TEXT_W, ITALIC_FONT, 8)):
        p1.insert_text((MARGIN_X, fy + 10 + 10 * i), ln, fontname=ITALIC_FONT,
                       fontsize=8)
    for i, page in enumerate(doc):
        num = str(i + 1)
        w = pymupdf.get_text_length(num, fontname=BODY_FONT, fontsize=10)
        page.insert_text(((PAGE_W - w) / 2, PAGE_H - 30), num,
                         fontname=BODY_FONT, fontsize=10)

    doc.set_metadata({
        "title": TITLE,
        "author": ", ".join(AUTHORS),
        "subject": "Example paper for coursewiki (fictional authors, illustrative results)",
        "keywords": KEYWORDS,
        "creator": "coursewiki tools/make_example_pair.py",
        "producer": "PyMuPDF",
        "creationDate": "D:20260101000000Z",
        "modDate": "D:20260101000000Z",
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path), garbage=4, deflate=True, no_new_id=True)
    doc.close()


# ---------------------------------------------------------------------------
# Talk rendering
# ---------------------------------------------------------------------------

SR = 22050          # audio sample rate (espeak-ng native rate)
FPS = 5             # video frame rate; SR / FPS must be an integer
VID_W, VID_H = 640, 360
LEAD_IN = 0.3       # seconds of silence before the first part
GAP = 0.5           # seconds of silence between parts
TAIL = 0.5          # seconds of silence after the last part
VOICE, SPEED = "en-us", 165
# Respellings used only for synthesis (the narration text stays the ground
# truth): espeak-ng's "beta" sounds like "made" to a small Whisper model.
PRONOUNCE = {"beta": "bate uh"}


def tts(text: str) -> np.ndarray:
    """Synthesize `text` with espeak-ng; returns int16 mono at SR."""
    exe = shutil.which("espeak-ng")
    if not exe:
        sys.exit("espeak-ng not found: install it with `apt-get install -y espeak-ng`")
    for word, say in PRONOUNCE.items():
        text = re.sub(rf"\b{word}\b", say, text)
    with tempfile.TemporaryDirectory() as td:
        wav_path = Path(td) / "part.wav"
        subprocess.run([exe, "-v", VOICE, "-s", str(SPEED), "-w", str(wav_path),
                        text], check=True)
        with wave.open(str(wav_path)) as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2, "unexpected wav"
            rate = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    if rate != SR:  # simple linear resample (espeak-ng uses 22050 by default)
        t_new = np.arange(int(len(pcm) * SR / rate)) * rate / SR
        pcm = np.interp(t_new, np.arange(len(pcm)), pcm).astype(np.int16)
    return pcm


def make_slide(part: dict, index: int, total: int) -> Image.Image:
    img = Image.new("RGB", (VID_W, VID_H), part["color"])
    d = ImageDraw.Draw(img)
    d.text((40, 50), part["title"], font=_font(40, bold=True), fill="white")
    d.line([(40, 105), (VID_W - 40, 105)], fill=(255, 255, 255), width=3)
    fb = _font(24)
    for i, b in enumerate(part["bullets"]):
        y = 140 + 50 * i
        d.ellipse([44, y + 9, 56, y + 21], fill="white")
        d.text((70, y), b, font=fb, fill="white")
    d.text((40, VID_H - 32), "Direct Preference Optimization  -  Ada Lindqvist",
           font=_font(15), fill=(230, 230, 230))
    d.text((VID_W - 40, VID_H - 32), f"{index + 1}/{total}", font=_font(15),
           fill=(230, 230, 230), anchor="ra")
    return img


def make_talk_mp4(path: Path) -> list[float]:
    """Render the talk; returns the start time (s) of each part's speech."""
    import av

    silence = lambda sec: np.zeros(int(round(sec * SR)), dtype=np.int16)
    chunks, starts, slide_bounds = [silence(LEAD_IN)], [], []
    pos = len(chunks[0])
    for i, part in enumerate(TALK_PARTS):
        speech = tts(part["text"])
        starts.append(pos / SR)
        slide_start = 0 if i == 0 else pos - int(GAP * SR / 2)
        slide_bounds.append(slide_start)
        chunks.append(speech)
        pos += len(speech)
        pad = silence(GAP if i < len(TALK_PARTS) - 1 else TAIL)
        chunks.append(pad)
        pos += len(pad)
    audio = np.concatenate(chunks)
    spf = SR // FPS                       # audio samples per video frame
    n_frames = math.ceil(len(audio) / spf)
    audio = np.concatenate([audio, np.zeros(n_frames * spf - len(audio), np.int16)])

    slides = [make_slide(p, i, len(TALK_PARTS)) for i, p in enumerate(TALK_PARTS)]

    path.parent.mkdir(parents=True, exist_ok=True)
    out = av.open(str(path), mode="w")
    vs = out.add_stream("libx264", rate=FPS)
    vs.width, vs.height, vs.pix_fmt = VID_W, VID_H, "yuv420p"
    vs.codec_context.time_base = Fraction(1, FPS)
    vs.options = {"crf": "30", "preset": "medium", "tune": "stillimage",
                  "g": str(FPS * 10)}
    as_ = out.add_stream("aac", rate=SR)
    as_.codec_context.layout = "mono"
    as_.codec_context.bit_rate = 32000
    as_.codec_context.time_base = Fraction(1, SR)

    # interleave: write video frame i, then the audio that covers it
    frame_size = 1024
    audio_f = audio.astype(np.float32) / 32768.0
    apos = 0
    for i in range(n_frames):
        sample_at = i * spf
        k = max(j for j, b in enumerate(slide_bounds) if b <= sample_at)
        vf = av.VideoFrame.from_image(slides[k]).reformat(format="yuv420p")
        vf.pts = i
        vf.time_base = Fraction(1, FPS)
        for pkt in vs.encode(vf):
            out.mux(pkt)
        while apos < (i + 1) * spf:
            chunk = audio_f[apos:apos + frame_size]
            af = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp",
                                            layout="mono")
            af.sample_rate = SR
            af.pts = apos
            af.time_base = Fraction(1, SR)
            for pkt in as_.encode(af):
                out.mux(pkt)
            apos += len(chunk)
    for pkt in vs.encode():
        out.mux(pkt)
    for pkt in as_.encode():
        out.mux(pkt)
    out.close()
    return starts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output folder (default: sources/example)")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    make_paper_pdf(out / "paper.pdf")
    starts = make_talk_mp4(out / "talk.mp4")
    (out / "pair.yml").write_text(PAIR_YML, encoding="utf-8")

    for name in ("paper.pdf", "talk.mp4", "pair.yml"):
        print(f"{out / name}: {(out / name).stat().st_size} bytes")
    for i, (s, part) in enumerate(zip(starts, TALK_PARTS), 1):
        print(f"part {i} starts at {s:6.2f}s  {part['title']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
