"""Evaluate the emerging-threat detector (`casebridge.analytics.trends`) on simulated streams.

    PYTHONPATH=. .venv/bin/python bench/trends.py [--series 200] [--days 120] [--sweep]

Simulated Poisson streams only (fixed seeds; never real data): for each baseline rate (1, 3, 10
per day) `--series` streams of `--days` days, each with one burst of twice the baseline lasting
`--burst` days injected at a random day after the warm-up. Reported per baseline: the share of
bursts detected within 2 days of their start and at all, the detection delay (days from the
burst's first day to the alarm: mean and median of detected bursts), and false alarms per 100
series-days outside bursts (on the same streams, plus as many burst-free streams).
Targets (issue 9): 2x bursts detected within 2 days at <= 1 false alarm per 100 series-days.
`--sweep` prints the same figures for a grid of thresholds (how the default was chosen) and
does not write RESULTS.md.
"""

import argparse
import os
import platform as host
import statistics
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from casebridge.analytics.trends import DetectorSettings, scan

RESULTS = Path(__file__).with_name("RESULTS.md")
BASELINES = (1.0, 3.0, 10.0)
SEED = 20261129


@dataclass(frozen=True, slots=True)
class Figures:
    baseline: float
    bursts: int
    within_2: float
    detected: float
    mean_delay: float
    median_delay: float
    false_per_100: float


def _figures(rate: float, args: argparse.Namespace, settings: DetectorSettings) -> Figures:
    rng = np.random.default_rng(SEED + int(rate * 100))
    delays: list[int] = []
    false_alarms = 0
    quiet_days = 0
    for index in range(args.series * 2):
        counts = rng.poisson(rate, args.days)
        burst = index < args.series  # the second half of the streams has no burst
        start = int(rng.integers(settings.warm_up + 30, args.days - args.burst))
        if burst:
            counts[start : start + args.burst] = rng.poisson(2 * rate, args.burst)
        steps = scan(counts.tolist(), settings)
        # The burst's days and the next week count neither way (an alarm late in a burst is
        # a delayed detection, not a false one).
        inside = range(start, start + args.burst + 7) if burst else range(0)
        found = [d for d, s in enumerate(steps) if s.alarm and d in inside]
        if burst and found:
            delays.append(found[0] - start)
        for day, step in enumerate(steps[settings.warm_up :], start=settings.warm_up):
            if day not in inside:
                quiet_days += 1
                false_alarms += step.alarm
    detected = [d for d in delays if d < args.burst]
    return Figures(
        baseline=rate,
        bursts=args.series,
        within_2=sum(d <= 1 for d in delays) / args.series,  # day 0 or 1: within 2 days
        detected=len(detected) / args.series,
        mean_delay=statistics.mean(detected) + 1 if detected else float("nan"),
        median_delay=statistics.median(detected) + 1 if detected else float("nan"),
        false_per_100=100 * false_alarms / quiet_days,
    )


def _row(f: Figures) -> str:
    return (
        f"| {f.baseline:g}/day | {f.bursts} | {f.within_2:.0%} | {f.detected:.0%} | "
        f"{f.mean_delay:.2f} | {f.median_delay:.1f} | {f.false_per_100:.2f} |"
    )


HEADER = (
    "| baseline | bursts | detected within 2 days | detected during burst | mean delay (days) "
    "| median delay (days) | false alarms / 100 series-days |\n|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--burst", type=int, default=5)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    settings = DetectorSettings()
    if args.sweep:
        for threshold in (2.5, 3.5, 4.5, 5.5, 7.0):
            for alpha in (0.02, 0.05, 0.1):
                tried = replace(settings, threshold=threshold, alpha=alpha)
                print(f"threshold {threshold} alpha {alpha}")
                for rate in BASELINES:
                    print(_row(_figures(rate, args, tried)))
        return
    rows = [_row(_figures(rate, args, settings)) for rate in BASELINES]
    print(HEADER)
    print("\n".join(rows))
    machine = (
        f"{host.node()}: {os.cpu_count()} cores, {host.machine()}, Python {host.python_version()}"
    )
    with RESULTS.open("a") as out:
        out.write(
            f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine} — "
            "emerging-threat detector\n\n"
            f"`python bench/trends.py --series {args.series} --days {args.days} --burst "
            f"{args.burst}`: simulated Poisson streams (seed {SEED}), one 2x burst of "
            f"{args.burst} days per stream and as many burst-free streams; detector "
            f"{settings}. Target: 2x bursts detected within 2 days at <= 1 false alarm per "
            "100 series-days.\n\n"
        )
        out.write(HEADER + "\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
