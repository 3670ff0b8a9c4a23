"""Category suggestion: the incident class (Reference Security Incident Taxonomy, DOMAIN.md §9)
and, where it applies, the kind of cyber-enabled crime, from a case's narrative and the types of
its indicators (pure; scikit-learn).

A logistic regression over word TF-IDF, trained on the short labelled narratives written for it
(`data/analytics/categories.csv`); each indicator type adds a token (`indicator_btc_wallet`), so
wallets lean to fraud and hashes to malicious code. The explanation is the words whose weight
times presence pushed hardest towards the suggested class.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from casebridge.cases.taxonomy import FraudType, IncidentClass

DRIVERS = 5  # words shown as the reason


@dataclass(frozen=True, slots=True)
class Labelled:
    narrative: str
    incident_class: IncidentClass
    fraud_type: FraudType | None


@dataclass(frozen=True, slots=True)
class Guess:
    label: str
    probability: float
    drivers: tuple[str, ...]  # the words that drove it, strongest first


@dataclass(frozen=True, slots=True)
class CategorySuggestion:
    incident_class: Guess
    fraud_type: Guess | None  # None when no kind of fraud stands out


def text_of(narrative: str, indicator_types: Iterable[str] = ()) -> str:
    return " ".join([narrative, *(f"indicator_{t}" for t in sorted(set(indicator_types)))])


def load_training() -> list[Labelled]:
    raw = resources.files("casebridge.data").joinpath("analytics", "categories.csv").read_text()
    return [
        Labelled(
            r["narrative"],
            IncidentClass(r["incident_class"]),
            FraudType(r["fraud_type"]) if r["fraud_type"] else None,
        )
        for r in csv.DictReader(io.StringIO(raw))
    ]


class _Linear:
    def __init__(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        self._vectoriser = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, min_df=1, stop_words="english"
        )
        matrix = self._vectoriser.fit_transform(texts)
        self._model = LogisticRegression(C=10.0, max_iter=2000)
        self._model.fit(matrix, labels)
        self._terms = self._vectoriser.get_feature_names_out()

    def guess(self, text: str) -> Guess:
        row = self._vectoriser.transform([text])
        probabilities = self._model.predict_proba(row)[0]
        best = int(np.argmax(probabilities))
        if len(self._model.classes_) > 2:  # noqa: PLR2004 - one row of weights per class
            coefficients = self._model.coef_[best]
        else:  # binary: one row, for the second class
            coefficients = self._model.coef_[0] * (1 if best == 1 else -1)
        contributions = row.multiply(coefficients).toarray()[0]
        order = [i for i in np.argsort(-contributions) if contributions[i] > 0][:DRIVERS]
        return Guess(
            str(self._model.classes_[best]),
            round(float(probabilities[best]), 3),
            tuple(str(self._terms[i]) for i in order),
        )


class CategoryModel:
    def __init__(self, training: Sequence[Labelled]) -> None:
        self._classes = _Linear(
            [text_of(t.narrative) for t in training], [t.incident_class.value for t in training]
        )
        frauds = [t for t in training if t.fraud_type is not None]
        self._frauds = _Linear(
            [text_of(t.narrative) for t in frauds],
            [t.fraud_type.value for t in frauds if t.fraud_type is not None],
        )

    def suggest(
        self, narrative: str, indicator_types: Iterable[str] = (), *, fraud_floor: float = 0.12
    ) -> CategorySuggestion:
        text = text_of(narrative, indicator_types)
        incident = self._classes.guess(text)
        fraud = self._frauds.guess(text)
        return CategorySuggestion(
            incident, fraud if fraud.probability >= fraud_floor and fraud.drivers else None
        )


@cache
def shipped_model() -> CategoryModel:
    return CategoryModel(load_training())
