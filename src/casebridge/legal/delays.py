"""Where do requests wait? Time spent in each state, per request type and country pair.

Procedural delay is the field's chief complaint (DOMAIN.md §8: MLA takes about 9-10 months on
average). From the stored moves of each request, every stay in a state is measured from the
move that entered it to the move that left it; a request still in a state counts its stay so
far ("ongoing"), so a request stuck for a year weighs in before it is finally answered.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from casebridge.legal.model import Transition

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Stay:
    request_type: str
    requesting_country: str
    requested_country: str
    state: str
    days: float
    ongoing: bool


@dataclass(frozen=True, slots=True)
class StateDelay:
    """The stays in one state for one request type and country pair."""

    request_type: str
    requesting_country: str
    requested_country: str
    state: str
    count: int
    ongoing: int
    median_days: float
    p90_days: float
    total_days: float


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0-1] of sorted values: an observed value, never an
    interpolated one, so "p90 = 120 days" is a stay that really happened."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def stays(
    request_type: str,
    requesting: str,
    requested: str,
    moves: Sequence[Transition],
    final: bool,
    now: datetime,
) -> list[Stay]:
    """The stays of one request, from its moves oldest first; the last state's stay runs to
    `now` unless the request is in a final state (where it no longer waits)."""
    result: list[Stay] = []
    for move, following in zip(moves, [*moves[1:], None], strict=True):
        if following is None and final:
            break
        end = now if following is None else following.at
        days = max(0.0, (end - move.at).total_seconds() / DAY)
        result.append(
            Stay(request_type, requesting, requested, move.to_state.value, days, following is None)
        )
    return result


def summarise(all_stays: Iterable[Stay]) -> list[StateDelay]:
    """Median and 90th percentile per (type, pair, state), longest total wait first."""
    groups: dict[tuple[str, str, str, str], list[Stay]] = defaultdict(list)
    for stay in all_stays:
        key = (stay.request_type, stay.requesting_country, stay.requested_country, stay.state)
        groups[key].append(stay)
    summary = [
        StateDelay(
            *key,
            count=len(group),
            ongoing=sum(s.ongoing for s in group),
            median_days=round(percentile([s.days for s in group], 0.5), 1),
            p90_days=round(percentile([s.days for s in group], 0.9), 1),
            total_days=round(sum(s.days for s in group), 1),
        )
        for key, group in groups.items()
    ]
    return sorted(summary, key=lambda d: (-d.total_days, d.request_type, d.state))
