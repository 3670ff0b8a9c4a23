"""Text the platform can keep and give back: no NUL, no lone surrogates (issue 16 point 11).

PostgreSQL refuses a NUL character in text (the request used to end in a 500) while SQLite
stores it; a lone UTF-16 surrogate (JSON "\\ud800") cannot be encoded as UTF-8 at all. Both are
refused at the door, the same way on both databases. Pure, so models, services and importers
that do not read through Pydantic (MISP, STIX, CSV) can call it too.
"""

NUL = "\x00"


def why_unstorable(text: str) -> str | None:
    """Why `text` cannot be stored and given back, or None when it can."""
    if NUL in text:
        return "may not contain the NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "may not contain a lone surrogate (U+D800-U+DFFF)"
    return None


def first_unstorable(document: object, path: str = "") -> tuple[str, str] | None:
    """The first (path, reason) of a string, key or value, in a JSON-like document that cannot
    be stored; None when all can. Iterative, so a deep document cannot exhaust the stack."""
    pending: list[tuple[str, object]] = [(path, document)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            reason = why_unstorable(value)
            if reason:
                return where, reason
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{where}.{key}" if where else str(key)
                reason = why_unstorable(str(key))
                if reason:
                    return where or "(key)", f"a key {reason}"
                pending.append((inner, item))
        elif isinstance(value, list | tuple):
            pending.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None
