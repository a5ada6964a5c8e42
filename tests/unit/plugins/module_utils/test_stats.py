# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Exact nearest-rank percentiles, summaries, CDFs, per-second counts and API time stamps."""

from __future__ import annotations

import random

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import _stats as stats


def test_percentile_is_always_a_sample_nearest_rank():
    values = list(range(1, 101))  # 1..100
    random.Random(4).shuffle(values)
    assert stats.percentile(values, 10) == 10
    assert stats.percentile(values, 50) == 50
    assert stats.percentile(values, 90) == 90
    assert stats.percentile(values, 99) == 99
    assert stats.percentile(values, 100) == 100
    assert stats.percentile(values, 0) == 1


def test_percentile_small_sets():
    assert stats.percentile([3.0], 99) == 3.0
    # n=4: rank ceil(0.5*4)=2 -> second smallest; ceil(0.99*4)=4 -> max
    assert stats.percentile([4, 1, 3, 2], 50) == 2
    assert stats.percentile([4, 1, 3, 2], 99) == 4
    assert stats.percentile([4, 1, 3, 2], 10) == 1
    assert stats.percentile([], 50) is None


def test_percentile_of_unsorted_floats_and_one_sample():
    assert stats.percentile([0.3, 0.1, 0.2], 50) == 0.2
    assert stats.percentile((x for x in [7]), 99) == 7


def test_percentile_out_of_range():
    with pytest.raises(ValueError):
        stats.percentile([1], 101)


def test_summarize():
    summary = stats.summarize([0.5, 0.1, 0.3])
    assert summary['count'] == 3
    assert summary['min'] == 0.1 and summary['max'] == 0.5
    assert summary['p50'] == 0.3 and summary['p99'] == 0.5 and summary['p10'] == 0.1
    assert abs(summary['mean'] - 0.3) < 1e-12
    empty = stats.summarize([])
    assert empty == {'count': 0, 'min': None, 'max': None, 'mean': None, 'p10': None, 'p50': None, 'p90': None, 'p99': None}


def test_cdf_reaches_one_and_is_monotonic():
    generator = random.Random(1)
    values = [generator.random() for dummy in range(1000)]
    points = stats.cdf(values, max_points=50)
    assert len(points) <= 51
    assert points[-1] == [max(values), 1.0]
    assert all(a[0] <= b[0] and a[1] < b[1] for a, b in zip(points, points[1:]))
    assert stats.cdf([]) == []
    assert stats.cdf([2.0]) == [[2.0, 1.0]]


def test_per_second_fills_gaps():
    assert stats.per_second([10.2, 10.9, 13.1], origin=10.0) == [[0, 2], [1, 0], [2, 0], [3, 1]]
    assert stats.per_second([]) == []
    assert stats.per_second([5.5, 5.6]) == [[0, 2]]


def test_parse_time_to_epoch_seconds():
    assert stats.parse_time('1970-01-01T00:00:10Z') == 10
    assert stats.parse_time('1970-01-01T00:00:10.250000Z') == pytest.approx(10.25)
    assert stats.parse_time('1970-01-01T00:00:10.5Z') == pytest.approx(10.5)
    assert stats.parse_time('1970-01-01T01:00:10+01:00') == 10
    assert stats.parse_time('1969-12-31T23:00:10-0100') == 10
    assert stats.parse_time('2026-11-23T12:00:00+02:00') == stats.parse_time('2026-11-23T10:00:00Z') == 1795428000


def test_parse_time_of_nothing_and_of_garbage():
    assert stats.parse_time(None) is None
    assert stats.parse_time('') is None
    with pytest.raises(ValueError):
        stats.parse_time('yesterday')
    with pytest.raises(ValueError):
        stats.parse_time('2026-13-01T00:00:00Z')
