"""Related-case ranking on small fixed narratives: the closest story first, shared indicators
and matched persons lift a case, the reasons name the shared words."""

from casebridge.analytics.related import Candidate, rank, reciprocal_rank

TARGET = "Ransomware encrypted the hospital file servers and the gang demanded a bitcoin ransom."
CANDIDATES = [
    Candidate("romance", "A romance scam on dating sites took the savings of elderly victims."),
    Candidate("clinic", "The clinic's file servers were encrypted by ransomware; bitcoin ransom."),
    Candidate("ddos", "A flood of traffic took the bank's website down for three days."),
    Candidate("school", "Ransomware hit a school; the attackers asked for a ransom in bitcoin."),
]


def test_the_closest_narrative_ranks_first_and_unrelated_ones_last() -> None:
    ranked = rank(TARGET, CANDIDATES)
    keys = [r.key for r in ranked]
    assert keys[:2] == ["clinic", "school"]
    assert "romance" not in keys[:2]
    assert "encrypted" in ranked[0].shared_terms
    assert "bitcoin ransom" in ranked[0].shared_terms


def test_shared_indicators_and_matched_persons_lift_a_case() -> None:
    lifted = [
        *CANDIDATES[:3],
        Candidate("school", CANDIDATES[3].narrative, ("185.220.101.7",), ("VOLKOV, Dmitri",)),
    ]
    ranked = rank(TARGET, lifted)
    assert ranked[0].key == "school"
    assert ranked[0].shared_values == ("185.220.101.7",)
    assert ranked[0].matched_names == ("VOLKOV, Dmitri",)
    plain = {r.key: r.score for r in rank(TARGET, CANDIDATES)}
    assert ranked[0].score > plain["school"]


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"b": True}) == 0.5
    assert reciprocal_rank(["a"], {"z": True}) == 0.0
    assert rank(TARGET, []) == []
