"""Campaigns on a small fixed graph (pure)."""

import uuid

import numpy as np

from casebridge.analytics.campaigns import Member, campaign_id, cluster

A, B, C, D, E = (uuid.UUID(int=n) for n in range(1, 6))
MEMBERS = [
    Member(A, "CB-A", "a", "FR", "fraud"),
    Member(B, "CB-B", "b", "DE", "fraud"),
    Member(C, "CB-C", "c", "NL", "fraud"),
    Member(D, "CB-D", "d", "FR", "malicious_code"),
    Member(E, "CB-E", "e", "DE", "malicious_code"),
]


def _similarity(pairs: dict[tuple[int, int], float]) -> np.ndarray:
    matrix = np.eye(len(MEMBERS))
    for (i, j), value in pairs.items():
        matrix[i, j] = matrix[j, i] = value
    return matrix


def test_shared_values_and_similar_narratives_make_two_campaigns() -> None:
    sightings = [
        (A, "domain", "evil.example"),
        (B, "domain", "evil.example"),
        (C, "ipv4", "203.0.113.9"),
        (B, "ipv4", "203.0.113.9"),
        (E, "ipv4", "198.51.100.1"),  # held by one case only: links nothing
    ]
    found = cluster(MEMBERS, sightings, _similarity({(3, 4): 0.8, (0, 3): 0.1}))
    assert [[m.reference for m in c.cases] for c in found] == [
        ["CB-A", "CB-B", "CB-C"],
        ["CB-D", "CB-E"],
    ]
    first, second = found
    assert first.countries == ("DE", "FR", "NL")
    assert set(first.shared) == {("domain", "evil.example", 2), ("ipv4", "203.0.113.9", 2)}
    assert first.similar_pairs == 0
    assert second.shared == ()
    assert second.similar_pairs == 1
    assert second.id == campaign_id([E, D])  # stable: the sorted member ids


def test_a_case_not_given_never_links_others() -> None:
    # B is not visible: A and C shared a value only with B, so no campaign forms.
    visible = [m for m in MEMBERS if m.id != B]
    sightings = [(A, "domain", "evil.example"), (B, "domain", "evil.example"), (C, "domain", "x")]
    assert cluster(visible, sightings, np.eye(len(visible))) == []


def test_similarity_below_the_threshold_links_nothing() -> None:
    assert cluster(MEMBERS, [], _similarity({(0, 1): 0.2})) == []
