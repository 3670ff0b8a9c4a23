"""The emerging-threat detector on streams with known answers (pure)."""

from datetime import date

import numpy as np

from casebridge.analytics.trends import DetectorSettings, alarms, scan, series_key, split_key

SETTINGS = DetectorSettings()


def test_a_flat_poisson_stream_raises_nothing() -> None:
    counts = np.random.default_rng(7).poisson(10.0, 200).tolist()
    assert not [s for s in scan(counts) if s.alarm]


def test_a_constant_stream_raises_nothing() -> None:
    assert not [s for s in scan([4] * 300) if s.alarm]


def test_a_triple_burst_is_flagged_within_two_days_once() -> None:
    counts = [10] * 60 + [30] * 5 + [10] * 30
    flagged = [day for day, s in enumerate(scan(counts)) if s.alarm]
    assert flagged == [60]  # the first burst day; one alarm for the whole burst


def test_a_double_burst_is_flagged_within_two_days() -> None:
    counts = [10] * 60 + [20] * 5 + [10] * 30
    flagged = [day for day, s in enumerate(scan(counts)) if s.alarm]
    assert len(flagged) == 1
    assert flagged[0] - 60 <= 1


def test_the_warm_up_is_respected() -> None:
    counts = [1] * 5 + [40] * 3 + [1] * 30
    assert not [s for s in scan(counts) if s.alarm]
    late = [1] * (SETTINGS.warm_up + 1) + [40] + [1] * 5
    assert [d for d, s in enumerate(scan(late)) if s.alarm] == [SETTINGS.warm_up + 1]


def test_a_count_below_the_minimum_never_alarms() -> None:
    counts = [0] * 40 + [2] * 10
    assert not [s for s in scan(counts) if s.alarm]  # a big rise, but 2 a day could be one case


def test_alarms_carry_the_evidence() -> None:
    key = series_key("cases", "malicious_code", "Europe")
    found = alarms({key: [10] * 60 + [30] * 3}, date(2026, 1, 1))
    assert len(found) == 1
    alarm = found[0]
    assert alarm.day == date(2026, 3, 2)  # day 60
    assert alarm.observed == 30
    assert alarm.expected == 10.0
    assert alarm.statistic >= alarm.threshold == SETTINGS.threshold
    assert split_key(alarm.series) == ("cases", "malicious_code", "Europe")


def test_two_separate_bursts_make_two_alarms() -> None:
    counts = [10] * 60 + [30] * 3 + [10] * 40 + [30] * 3
    assert [d for d, s in enumerate(scan(counts)) if s.alarm] == [60, 103]
