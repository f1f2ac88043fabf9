"""Moved to `builder.check.validate`; this name stays so existing imports keep working."""
from ..check.validate import *  # noqa: F401,F403
from ..check.validate import (DEFAULT_MIN_SUPPORTED, Validation, cited_claims, record_support,  # noqa: F401
                              unsupported_line, validate_markdown, validation_line)
