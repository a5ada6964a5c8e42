# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Statistics of raw samples, and the API server's time stamps they are computed from.

Shared by the hollow-node modules (node startup times) and the performance suite (pod startup
and API call latencies). Internal to the collection (the leading underscore).

A percentile is always one of the samples (the nearest-rank method, the one clusterloader2 and the
old e2e density test use): the p-th percentile of n sorted samples is the sample of rank
ceil(p / 100 * n), p from 0 to 100. No interpolation and no buckets, so the figure is reproducible
from the saved samples by anyone, with any tool.
"""

from __future__ import annotations

import datetime
import math
import re

PERCENTILES = (10, 50, 90, 99)


def percentile(values, p):
    """Nearest-rank percentile of an iterable of numbers, p from 0 to 100; None when there is no sample.

    The sample of rank ceil(p / 100 * n) in ascending order (rank 1 for p = 0): the smallest sample
    with at least p % of the samples at or below it. percentile(range(1, 101), 99) is 99.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    if p < 0 or p > 100:
        raise ValueError('percentile must be within [0, 100], not %r' % (p,))
    rank = int(math.ceil(p / 100.0 * len(ordered)))
    return ordered[max(rank, 1) - 1]


def summarize(values, percentiles=PERCENTILES):
    """Return {'count', 'min', 'max', 'mean', 'p10', 'p50', ...} of the samples (None values when empty)."""
    ordered = sorted(values)
    summary = {'count': len(ordered)}
    if ordered:
        summary.update(min=ordered[0], max=ordered[-1], mean=sum(ordered) / len(ordered))
    else:
        summary.update(min=None, max=None, mean=None)
    for p in percentiles:
        summary['p%d' % p] = percentile(ordered, p)
    return summary


def cdf(values, max_points=200):
    """Empirical CDF as [[value, fraction], ...], thinned to about max_points points.

    The last point is always (max, 1.0), so a plotted curve always reaches the top.
    """
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return []
    step = max(1, int(math.ceil(n / float(max_points))))
    indices = list(range(step - 1, n, step))
    if indices[-1] != n - 1:
        indices.append(n - 1)
    return [[ordered[i], (i + 1) / float(n)] for i in indices]


def per_second(timestamps, origin=None):
    """Count events per whole second since origin (default: the first event): [[second, count], ...].

    Seconds without an event are included with 0, so the series is a time line.
    """
    stamps = sorted(timestamps)
    if not stamps:
        return []
    start = stamps[0] if origin is None else origin
    counts = {}
    for stamp in stamps:
        second = int(math.floor(stamp - start))
        counts[second] = counts.get(second, 0) + 1
    first, last = min(counts), max(counts)
    return [[second, counts.get(second, 0)] for second in range(first, last + 1)]


# RFC 3339 as the API server writes it: whole seconds (metav1.Time) or fractions (metav1.MicroTime),
# 'Z' or a numeric offset.
_RFC3339 = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$')
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def parse_time(text):
    """Epoch seconds (float) of an RFC 3339 time stamp of the API server; None for None or ''.

    2026-11-23T11:40:02Z, 2026-11-23T11:40:02.250000Z and 2026-11-23T12:40:02+01:00 are all read;
    anything else raises ValueError.
    """
    if not text:
        return None
    match = _RFC3339.match(text.strip())
    if not match:
        raise ValueError('%r is not an RFC 3339 time stamp' % (text,))
    year, month, day, hour, minute, second, fraction, utc, sign, offset_hours, offset_minutes = match.groups()
    moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                               tzinfo=datetime.timezone.utc)
    seconds = (moment - _EPOCH).total_seconds() + (float(fraction) if fraction else 0.0)
    if not utc:
        offset = int(offset_hours) * 3600 + int(offset_minutes) * 60
        seconds -= offset if sign == '+' else -offset
    return seconds
