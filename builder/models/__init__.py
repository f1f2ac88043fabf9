"""The typed records passed between pipeline stages, one module per stage's output.

Every record is a frozen dataclass, so a stage can be tested without a video or a site, the cache
can store it as JSON (`builder.records`), and nothing changes a record after it leaves the cache.
Stages import their records from the submodule (`from ..models.talk import Transcript`), so a
stage's cache version (`builder.stages`) depends only on the records it uses; this file only
re-exports them for the page writers and the tests.
"""
from .analysis import (Chapter, ChapterAlignment, PairAnalysis, SlideFigure, SlideFigures, SlideShot, Supplement,
                       TalkPoint, TermDefinition, TermUse)
from .frames import Keyframes, SlideImage
from .glossary import GlossaryTerm, NamedTerm, TermRelation
from .paper import Field, Figure, FigureSet, Paper, PaperMeta, Passage, Section
from .site import PairResult, RelatedLink
from .sources import PairConfig, PairFailure, PairSource
from .talk import Segment, Transcript, Word

__all__ = ["Chapter", "ChapterAlignment", "Field", "Figure", "FigureSet", "GlossaryTerm", "Keyframes", "NamedTerm", "PairAnalysis",
           "PairConfig", "PairFailure", "PairResult", "PairSource", "Paper", "PaperMeta", "Passage", "RelatedLink",
           "Section", "Segment", "SlideFigure", "SlideFigures", "SlideImage", "SlideShot", "TermRelation", "Supplement", "TalkPoint", "TermDefinition", "TermUse",
           "Transcript", "Word"]
