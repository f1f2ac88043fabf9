"""pair.yml wins over what the PDF says; the report then cites pair.yml as the source."""
from __future__ import annotations

from dataclasses import replace

from ..models.paper import Field, Paper
from ..models.sources import PairConfig

OVERRIDABLE = ("title", "authors", "affiliations", "venue", "year", "arxiv_id", "doi", "field_of_study",
               "keywords", "abstract")


def with_overrides(paper: Paper, config: PairConfig) -> Paper:
    """A new Paper with pair.yml's values; the cached one is left as the PDF says."""
    given = {name: getattr(config, name) for name in OVERRIDABLE if getattr(config, name) not in (None, [], "")}
    if not given:
        return paper
    meta = replace(paper.meta, **{name: Field(value, None, "pair.yml") for name, value in given.items()})
    return replace(paper, meta=meta, missing_fields=[m for m in paper.missing_fields if m not in given])
