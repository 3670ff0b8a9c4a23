"""Text similarity between case narratives (pure; scikit-learn).

TF-IDF over words and over character n-grams (3 to 5, within word boundaries), the two
cosine similarities averaged: words carry the topic, character n-grams survive inflection,
typos and names written differently. The optional `[ml]` extra may add sentence embeddings
elsewhere; this is the default that needs nothing downloaded.
"""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=1
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    return words, chars


def pairwise(texts: Sequence[str]) -> NDArray[np.float64]:
    """The symmetric matrix of similarities in [0, 1] between every two texts (1 on the
    diagonal). Empty texts are similar to nothing."""
    if not texts:
        return np.zeros((0, 0))
    cleaned = [t if t.strip() else "" for t in texts]
    if not any(cleaned):
        return np.eye(len(texts))
    words, chars = _vectorisers()
    try:
        by_words = cosine_similarity(words.fit_transform(cleaned))
    except ValueError:  # every text was stop words only
        by_words = np.zeros((len(texts), len(texts)))
    by_chars = cosine_similarity(chars.fit_transform(cleaned))
    matrix = np.asarray((by_words + by_chars) / 2.0, dtype=np.float64)
    np.fill_diagonal(matrix, 1.0)
    return matrix
