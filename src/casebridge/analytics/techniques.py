"""Modus operandi: MITRE ATT&CK techniques suggested for a case narrative (pure; scikit-learn).

Learns from the ATT&CK texts the package ships (`data/attack/procedures.csv.gz`, written by
`bench/attack_procedures.py`; MITRE's licence beside it): every technique's description and the
procedure examples of `uses` relationships, real sentences saying what a group or a piece of
software did, with the actor's name replaced so the model learns the behaviour. A linear model
(SGD, modified Huber loss) over word uni- and bi-gram TF-IDF, chosen on a validation fold of the
training data (bench/analytics.py).

Suggestions are at the technique level: a sub-technique (T1566.001) is folded into its parent
(T1566) for training and for suggesting. The narrative is split into sentences, each sentence is
scored, and each technique keeps its best sentence, shown as the reason.

Held out: the procedure examples whose relationship id hashes to bucket 0 of 5 (`held_out`) are
never trained or tuned on; the shipped model trains on the rest. The model is built lazily, once
per process.
"""

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

HOLD_OUT_BUCKETS = 5  # one procedure example in five is held out
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
MIN_SENTENCE = 12  # characters: shorter fragments carry no behaviour


@dataclass(frozen=True, slots=True)
class Example:
    technique_id: str  # as written in ATT&CK, sub-technique or not
    name: str
    text: str
    kind: str  # description or procedure
    relationship_id: str

    @property
    def parent(self) -> str:
        return parent_of(self.technique_id)


@dataclass(frozen=True, slots=True)
class Suggestion:
    technique_id: str  # parent technique, e.g. T1566
    name: str
    score: float  # the model's confidence for the best sentence, 0..1 (not a probability)
    sentence: str  # the sentence of the narrative that triggered it


def parent_of(technique_id: str) -> str:
    return technique_id.split(".", 1)[0]


def bucket(relationship_id: str) -> int:
    """A fixed, deterministic bucket of a procedure example (sha256 of its relationship id)."""
    return int(hashlib.sha256(relationship_id.encode()).hexdigest(), 16) % HOLD_OUT_BUCKETS


def held_out(example: Example) -> bool:
    """The evaluation set: never trained or tuned on."""
    return example.kind == "procedure" and bucket(example.relationship_id) == 0


def load_examples() -> list[Example]:
    """Every description and procedure example the package ships."""
    raw = resources.files("casebridge.data").joinpath("attack", "procedures.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return [
        Example(r["technique_id"], r["name"], r["text"], r["kind"], r["relationship_id"])
        for r in csv.DictReader(io.StringIO(text))
    ]


def parent_names(examples: Iterable[Example]) -> dict[str, str]:
    """Parent technique id -> its name (from its description row)."""
    names: dict[str, str] = {}
    for e in examples:
        if e.kind == "description" and "." not in e.technique_id:
            names[e.technique_id] = e.name
    return names


def sentences(narrative: str) -> list[str]:
    """The narrative's sentences worth scoring (the whole text when it has no stops)."""
    parts = [p.strip() for p in SENTENCE.split(narrative) if p.strip()]
    kept = [p for p in parts if len(p) >= MIN_SENTENCE]
    return kept or ([narrative.strip()] if narrative.strip() else [])


class TechniqueModel:
    """Word TF-IDF and a linear classifier over parent techniques."""

    def __init__(self, examples: Sequence[Example], *, sub_techniques: bool = False) -> None:
        labels = [e.technique_id if sub_techniques else e.parent for e in examples]
        self._names = {lbl: e.name for lbl, e in zip(labels, examples, strict=True)}
        self._names.update(parent_names(examples) if not sub_techniques else {})
        self._vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        matrix = self._vectoriser.fit_transform([e.text for e in examples])
        self._classifier = SGDClassifier(
            loss="modified_huber", alpha=5e-5, max_iter=8, tol=None, random_state=0
        )
        self._classifier.fit(matrix, labels)
        self.classes: list[str] = [str(c) for c in self._classifier.classes_]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per class (`classes`): higher is likelier."""
        found = np.asarray(self._classifier.decision_function(self._vectoriser.transform(texts)))
        return found if found.ndim == 2 else np.column_stack([-found, found])  # noqa: PLR2004

    def rank(self, texts: Sequence[str], k: int) -> list[list[str]]:
        """The top-k classes of each text, best first."""
        order = np.argsort(-self.scores(texts), axis=1)[:, :k]
        return [[self.classes[i] for i in row] for row in order]

    def name(self, technique_id: str) -> str:
        return self._names.get(technique_id, technique_id)

    def suggest(
        self, narrative: str, k: int = 5, exclude: frozenset[str] = frozenset()
    ) -> list[Suggestion]:
        """Top-k techniques for a narrative, each with the sentence that scored it best;
        `exclude` (e.g. techniques an analyst rejected for this case) are never suggested."""
        parts = sentences(narrative)
        if not parts:
            return []
        scores = self.scores(parts)
        best_row = scores.argmax(axis=0)
        best = scores.max(axis=0)
        found = []
        for column in np.argsort(-best):
            technique = self.classes[column]
            if technique in exclude:
                continue
            confidence = float(np.clip((best[column] + 1.0) / 2.0, 0.0, 1.0))
            found.append(
                Suggestion(
                    technique,
                    self.name(technique),
                    round(confidence, 3),
                    parts[int(best_row[column])],
                )
            )
            if len(found) == k:
                break
        return found


@cache
def shipped_model() -> TechniqueModel:
    """The model trained on everything shipped except the held-out examples (once per process)."""
    return TechniqueModel([e for e in load_examples() if not held_out(e)])
