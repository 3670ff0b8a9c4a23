"""Campaigns: cases clustered by shared infrastructure and similar narratives (pure; networkx).

The graph's nodes are cases; two cases are linked when they share an indicator value (weight 1
per value shared) or when their narratives' similarity (`similarity.pairwise`) reaches the
threshold (weight: the similarity). Communities are found by greedy modularity maximisation;
each community of two cases or more is a campaign.

The caller passes only the cases the viewer sees in full, and only their sightings: a case the
viewer may not see is absent, and its indicators and links never show (DOMAIN.md §4-5).

Ids are stable: a campaign's id is the UUIDv5 of its sorted member case ids, so the same cases
give the same id on every run (and a campaign that gains or loses a case is a new campaign).
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray

NAMESPACE = uuid.UUID("6f6b9a52-5f0e-4c53-9a77-2f1c1b3c0a19")
TEXT_THRESHOLD = 0.35


@dataclass(frozen=True, slots=True)
class Member:
    """A case the viewer sees in full."""

    id: uuid.UUID
    reference: str
    title: str
    country: str
    category: str


@dataclass(frozen=True, slots=True)
class Campaign:
    id: uuid.UUID
    cases: tuple[Member, ...]
    countries: tuple[str, ...]
    shared: tuple[tuple[str, str, int], ...]  # (kind, value, cases sharing it), most shared first
    categories: tuple[str, ...]
    similar_pairs: int  # pairs of member cases linked by narrative similarity


def campaign_id(case_ids: Sequence[uuid.UUID]) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ",".join(sorted(str(c) for c in case_ids)))


def _graph(
    members: Sequence[Member],
    sightings: Sequence[tuple[uuid.UUID, str, str]],
    similarity: NDArray[np.float64],
    threshold: float,
) -> tuple["nx.Graph[uuid.UUID]", dict[tuple[str, str], set[uuid.UUID]]]:
    graph: nx.Graph[uuid.UUID] = nx.Graph()
    graph.add_nodes_from(m.id for m in members)
    holders: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    for case_id, kind, value in sightings:
        if case_id in graph:
            holders[(kind, value)].add(case_id)
    for cases in holders.values():
        ordered = sorted(cases)
        for i, one in enumerate(ordered):
            for other in ordered[i + 1 :]:
                weight = graph.get_edge_data(one, other, {"weight": 0.0})["weight"]
                graph.add_edge(one, other, weight=weight + 1.0, text=False)
    for i, member in enumerate(members):
        for j in range(i + 1, len(members)):
            score = float(similarity[i, j])
            if score >= threshold:
                peer = members[j].id
                weight = graph.get_edge_data(member.id, peer, {"weight": 0.0})["weight"]
                graph.add_edge(member.id, peer, weight=weight + score, text=True)
    return graph, holders


def cluster(
    members: Sequence[Member],
    sightings: Sequence[tuple[uuid.UUID, str, str]],
    similarity: NDArray[np.float64],
    threshold: float = TEXT_THRESHOLD,
) -> list[Campaign]:
    """Campaigns among `members` (similarity is their pairwise matrix, in the same order),
    largest first."""
    graph, holders = _graph(members, sightings, similarity, threshold)
    if graph.number_of_edges() == 0:
        return []
    by_id = {m.id: m for m in members}
    found = []
    for community in nx.community.greedy_modularity_communities(graph, weight="weight"):
        if len(community) < 2:  # noqa: PLR2004 - a campaign links two cases at least
            continue
        inside = graph.subgraph(community)
        if inside.number_of_edges() == 0:
            continue
        cases = tuple(sorted((by_id[c] for c in community), key=lambda m: m.reference))
        shared = sorted(
            (
                (kind, value, len(holding & community))
                for (kind, value), holding in holders.items()
                if len(holding & community) > 1
            ),
            key=lambda s: (-s[2], s[0], s[1]),
        )
        found.append(
            Campaign(
                id=campaign_id([c.id for c in cases]),
                cases=cases,
                countries=tuple(sorted({c.country for c in cases})),
                shared=tuple(shared),
                categories=tuple(sorted({c.category for c in cases})),
                similar_pairs=sum(1 for _, _, data in inside.edges(data=True) if data["text"]),
            )
        )
    return sorted(found, key=lambda c: (-len(c.cases), str(c.id)))
