"""The link graph: cases joined by the values they share, and the networks it reveals.

Pure: the service hands in sightings already filtered by the access policy, so a node or edge
here never stands for anything the reader may not know of. A case the reader may only discover
appears as "held by <country>'s NCB", with no id; hot and warning-listed values make no edges
(they would join everything to everything).

Networks are the connected components of cases (two cases are joined when they share a value),
split into communities by Louvain modularity when large; networkx does the graph work.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from casebridge.intel.ports import SightingRow, ValueRow
from casebridge.kernel.policy import Access

LARGE_COMPONENT = 12  # cases; a larger component is split into communities
KEY_VALUES = 10  # shared values listed per network


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    type: str  # "case", "held_elsewhere" or an indicator kind
    label: str
    country: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    type: str  # "holds", or the role of a derived value ("host", "registered_domain")


@dataclass(slots=True)
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[Edge] = field(default_factory=set)

    def add_sighting(self, row: SightingRow, value: ValueRow) -> str | None:
        """Add what a sighting shows; returns the case node's id when the case is seen."""
        value_node = f"value:{value.id}"
        self.nodes.setdefault(value_node, Node(value_node, value.kind, value.value))
        if row.access is Access.FULL:
            case_node = f"case:{row.case_id}"
            self.nodes.setdefault(
                case_node,
                Node(case_node, "case", row.reference, row.owner_country, row.title),
            )
            self.edges.add(Edge(case_node, value_node, row.role))
            return case_node
        held = f"held:{row.owner_country}:{value.id}"
        label = f"held by {row.owner_country}'s NCB"
        self.nodes.setdefault(held, Node(held, "held_elsewhere", label, row.owner_country))
        self.edges.add(Edge(held, value_node, "holds"))
        return None

    def shared_only(self) -> "Graph":
        """Without the values only one node holds: what remains is what links cases."""
        degree: Counter[str] = Counter()
        for edge in self.edges:
            degree[edge.target] += 1
        kept = {
            node_id: node
            for node_id, node in self.nodes.items()
            if not node_id.startswith("value:") or degree[node_id] > 1
        }
        edges = {e for e in self.edges if e.source in kept and e.target in kept}
        linked = {e.source for e in edges} | {e.target for e in edges}
        return Graph({k: n for k, n in kept.items() if k in linked or n.type == "case"}, edges)

    def to_networkx(self) -> "nx.Graph[str]":
        graph: nx.Graph[str] = nx.Graph()
        for node in self.nodes.values():
            graph.add_node(
                node.id, type=node.type, label=node.label, country=node.country, title=node.title
            )
        for edge in self.edges:
            graph.add_edge(edge.source, edge.target, type=edge.type)
        return graph

    def as_json(self) -> dict[str, list[dict[str, str]]]:
        """Cytoscape.js elements."""
        return {
            "nodes": [
                {
                    "id": n.id,
                    "type": n.type,
                    "label": n.label,
                    "country": n.country,
                    "title": n.title,
                }
                for n in self.nodes.values()
            ],
            "edges": [
                {"source": e.source, "target": e.target, "type": e.type}
                for e in sorted(self.edges, key=lambda e: (e.source, e.target))
            ],
        }


def graphml(graph: Graph) -> str:
    """The graph as GraphML, for Gephi, yEd or i2."""
    return "\n".join(nx.generate_graphml(graph.to_networkx()))


@dataclass(frozen=True, slots=True)
class Network:
    """Cases linked by shared values, across countries or not, and what links them."""

    cases: tuple[tuple[str, str, str], ...]  # (reference, country, title)
    countries: tuple[str, ...]
    key_values: tuple[tuple[str, str, int], ...]  # (kind, value, cases sharing it)

    @property
    def spans_countries(self) -> bool:
        return len(self.countries) > 1


def networks(rows: Iterable[SightingRow], values: dict[int, ValueRow]) -> list[Network]:
    """Networks among the cases the reader sees in full, largest first."""
    cases_of: dict[int, set[SightingRow]] = defaultdict(set)
    info: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        if row.access is Access.FULL and row.value_id in values:
            cases_of[row.value_id].add(row)
            info[str(row.case_id)] = (row.reference, row.owner_country, row.title)
    projection: nx.Graph[str] = nx.Graph()
    for sightings in cases_of.values():
        ids = sorted({str(r.case_id) for r in sightings})
        projection.add_nodes_from(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                weight = projection.get_edge_data(a, b, {"weight": 0})["weight"]
                projection.add_edge(a, b, weight=weight + 1)
    found = []
    for component in nx.connected_components(projection):
        groups = [component]
        if len(component) > LARGE_COMPONENT:
            sub = projection.subgraph(component)
            groups = list(nx.community.louvain_communities(sub, weight="weight", seed=0))
        found += [_report(g, cases_of, values, info) for g in groups if len(g) > 1]
    return sorted(found, key=lambda n: (-len(n.cases), n.cases))


def _report(
    group: set[str],
    cases_of: dict[int, set[SightingRow]],
    values: dict[int, ValueRow],
    info: dict[str, tuple[str, str, str]],
) -> Network:
    counts = Counter(
        {vid: len({str(r.case_id) for r in rows} & group) for vid, rows in cases_of.items()}
    )
    key = [(values[vid].kind, values[vid].value, n) for vid, n in counts.most_common() if n > 1][
        :KEY_VALUES
    ]
    members = sorted(info[c] for c in group)
    return Network(tuple(members), tuple(sorted({m[1] for m in members})), tuple(key))
