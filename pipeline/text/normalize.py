"""Text clean-up shared by the ASR scoring and the tokenizer: Unicode form and markers.

Kept apart from :mod:`pipeline.text.tokenize` so that the ``asr`` stage, which needs only these,
does not rerun when the tokenizer changes.
"""

from __future__ import annotations

import re
import unicodedata

#: A bracketed non-verbal marker, e.g. ``[LAUGHTER]``, ``[BREATHING]``, ``[GARBAGE]``.
MARKER_RE = re.compile(r"\[[A-Za-z][A-Za-z _-]*\]")


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space (no other change)."""
    return " ".join(unicodedata.normalize("NFC", text).split())
