"""Emerging-threat detection over daily counts (pure; numpy).

Each series (new cases of one category in one region, new indicators of one type in one
region, ...) is a stream of daily counts. The baseline is the Poisson rate, estimated by an
exponentially weighted moving average (EWMA) of the days before; a one-sided Poisson CUSUM
accumulates the evidence that the rate has risen to `shift` times the baseline:

    S_t = max(0, S_{t-1} + x_t * ln(shift) - (shift - 1) * lambda_t)

(the log-likelihood ratio of Poisson(shift * lambda) against Poisson(lambda), Lucas 1985).
An alarm is raised when S_t reaches `threshold`, once the warm-up is over, and only when the
day's count is at least `min_count` (DOMAIN.md §4: trend analysis is a legitimate purpose, but
alerts carry aggregates only, and a count of one or two could point at a single case).

One alarm per burst: after an alarm the series stays "in burst" (no new alarm) until the
statistic falls back to zero. While the statistic is above zero the baseline is frozen, so a
burst does not teach the baseline that the burst is normal.

Thresholds are tuned on simulated streams only (`bench/trends.py`), never on real data.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """The detector's knobs; the defaults are those `bench/trends.py` chose on simulations."""

    shift: float = 2.0  # the rise the CUSUM is tuned to detect (2x the baseline)
    threshold: float = 4.5  # h, in log-likelihood units
    alpha: float = 0.02  # EWMA weight of the newest in-control day
    warm_up: int = 14  # days of history before any alarm
    min_count: int = 3  # smallest day count that may raise an alarm
    floor: float = 0.2  # smallest baseline rate (a quiet series is not a zero-rate series)


@dataclass(frozen=True, slots=True)
class Step:
    """The detector's state after one day of one series."""

    observed: int
    expected: float  # the baseline before this day was seen
    statistic: float
    alarm: bool


@dataclass(frozen=True, slots=True)
class Alarm:
    """Evidence of an emerging threat: the day and series, observed count against the
    baseline, and the statistic against its threshold."""

    series: str
    day: date
    observed: int
    expected: float
    statistic: float
    threshold: float


def scan(counts: Sequence[int], settings: DetectorSettings = DetectorSettings()) -> list[Step]:
    """Run the detector over one series' daily counts, oldest first."""
    values = np.asarray(counts, dtype=np.float64)
    log_shift = math.log(settings.shift)
    steps: list[Step] = []
    baseline: float | None = None
    statistic = 0.0
    in_burst = False
    for index, value in enumerate(values):
        expected = max(baseline if baseline is not None else value, settings.floor)
        statistic = max(0.0, statistic + value * log_shift - (settings.shift - 1.0) * expected)
        warm = index >= settings.warm_up
        alarm = (
            warm
            and not in_burst
            and statistic >= settings.threshold
            and value >= settings.min_count
        )
        in_burst = (in_burst or alarm) and statistic > 0.0
        steps.append(Step(int(value), expected, statistic, alarm))
        if baseline is None:
            baseline = float(value)
        elif index < settings.warm_up:
            baseline += (value - baseline) / (index + 1)  # the plain mean while warming up
            statistic = 0.0  # no evidence accumulates before the baseline exists
        elif statistic == 0.0:
            baseline += settings.alpha * (value - baseline)
    return steps


def alarms(
    series: Mapping[str, Sequence[int]],
    first_day: date,
    settings: DetectorSettings = DetectorSettings(),
) -> list[Alarm]:
    """Every alarm of every series, whose counts all start on `first_day`."""
    found = []
    for key in sorted(series):
        for offset, step in enumerate(scan(series[key], settings)):
            if step.alarm:
                found.append(
                    Alarm(
                        series=key,
                        day=first_day + timedelta(days=offset),
                        observed=step.observed,
                        expected=round(step.expected, 3),
                        statistic=round(step.statistic, 3),
                        threshold=settings.threshold,
                    )
                )
    return found


def series_key(kind: str, category: str, region: str) -> str:
    """A series' name: what is counted, of which category, where (e.g. cases/ransomware/Europe)."""
    return f"{kind}/{category}/{region}"


def split_key(key: str) -> tuple[str, str, str]:
    kind, category, region = key.split("/", 2)
    return kind, category, region
