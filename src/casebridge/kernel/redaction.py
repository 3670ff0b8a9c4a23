"""Taking a deleted person's names out of text already written elsewhere (pure).

DOMAIN.md §1: a deletion the CCF orders is carried out; a record that named the deleted person
(an alert in an inbox, a hit notice) keeps its place (the event happened) but not the name.
"""

import re
from collections.abc import Iterable

MIN_NAME = 3  # shorter strings would blank ordinary words, not names


def redacted(text: str, names: Iterable[str], replacement: str) -> str:
    """`text` with every one of `names` in it (any case, longest first) replaced."""
    wanted = sorted({n.strip() for n in names if len(n.strip()) >= MIN_NAME}, key=len, reverse=True)
    if not wanted:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE)
    return pattern.sub(replacement, text)
