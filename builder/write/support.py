"""Moved to `builder.check.support`; this name stays so existing imports keep working."""
from ..check.support import *  # noqa: F401,F403
from ..check.support import (CANDIDATES, MIN_OVERLAP, MIN_SIMILARITY, TALK_WINDOW_S, Claim, Cue, Evidence,  # noqa: F401
                             SupportChecker, Verdict, build_evidence, content_words, cues_of_segments, is_cjk,
                             normalise, numbers_in, paper_evidence, parse_vtt, read_page_texts, read_vtt)
