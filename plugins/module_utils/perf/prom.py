# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Prometheus text exposition format (what /metrics serves), and what the suite derives from two
scrapes taken before and after a load level: histogram and counter deltas, and quantiles estimated
from histogram buckets the way PromQL's histogram_quantile() does.

Server-side figures are estimates bounded by the bucket layout (kube-apiserver's request duration
buckets are 5 ms, 25 ms, 50 ms, 100 ms, 200 ms, ... 60 s); the exact percentiles of the suite come
from the client-side raw samples (module_utils/_stats.py).
"""

from __future__ import annotations

import math

# Families the report reads. Names as kube-apiserver and kube-scheduler register them.
APISERVER_REQUEST_DURATION = 'apiserver_request_duration_seconds'
SCHEDULER_ATTEMPTS = 'scheduler_schedule_attempts_total'
SCHEDULER_ATTEMPT_DURATION = 'scheduler_scheduling_attempt_duration_seconds'
SCHEDULER_PENDING_PODS = 'scheduler_pending_pods'

# Verbs that are not single request/response calls; the API-call SLO excludes them.
STREAMING_VERBS = frozenset(['WATCH', 'WATCHLIST', 'CONNECT'])


class PromParseError(ValueError):
    """A line of the text format could not be read."""


def _parse_value(text, line_number):
    lowered = text.lower()
    if lowered in ('+inf', 'inf'):
        return float('inf')
    if lowered == '-inf':
        return float('-inf')
    if lowered == 'nan':
        return float('nan')
    try:
        return float(text)
    except ValueError:
        raise PromParseError('line %d: %r is not a sample value' % (line_number, text))


def _parse_labels(line, start, line_number):
    """Parse '{a="x",b="y"}' from line[start] (the brace); return (labels dict, index after '}')."""
    labels = {}
    i = start + 1
    length = len(line)
    while True:
        while i < length and line[i] in ' \t,':
            i += 1
        if i >= length:
            raise PromParseError('line %d: unterminated label set' % line_number)
        if line[i] == '}':
            return labels, i + 1
        equals = line.find('=', i)
        if equals < 0:
            raise PromParseError('line %d: label without "="' % line_number)
        name = line[i:equals].strip()
        i = equals + 1
        while i < length and line[i] == ' ':
            i += 1
        if i >= length or line[i] != '"':
            raise PromParseError('line %d: label %s: value is not quoted' % (line_number, name))
        i += 1
        value = []
        while True:
            if i >= length:
                raise PromParseError('line %d: label %s: unterminated value' % (line_number, name))
            char = line[i]
            if char == '\\' and i + 1 < length:
                following = line[i + 1]
                value.append({'n': '\n', '\\': '\\', '"': '"'}.get(following, '\\' + following))
                i += 2
                continue
            if char == '"':
                i += 1
                break
            value.append(char)
            i += 1
        labels[name] = ''.join(value)


def parse(text):
    """Parse the text format into a list of (name, labels dict, float value).

    Comments (# HELP, # TYPE) and blank lines are skipped; timestamps are ignored.
    """
    samples = []
    for line_number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        brace = line.find('{')
        space = line.find(' ')
        if brace >= 0 and (space < 0 or brace < space):
            name = line[:brace]
            labels, rest_index = _parse_labels(line, brace, line_number)
            rest = line[rest_index:].split()
        else:
            parts = line.split()
            name, labels, rest = parts[0], {}, parts[1:]
        if not rest:
            raise PromParseError('line %d: %s has no value' % (line_number, name))
        samples.append((name, labels, _parse_value(rest[0], line_number)))
    return samples


def _key(labels, group_by):
    return tuple(labels.get(label, '') for label in group_by)


def histograms(samples, name, group_by, where=None):
    """Sum the histogram 'name' over every label not in group_by.

    Returns {group key tuple: {'buckets': {le float: cumulative count}, 'count': n, 'sum': s}}.
    where, when given, is a function of the labels dict that keeps a series when true.
    """
    result = {}
    for sample_name, labels, value in samples:
        if not sample_name.startswith(name) or (where is not None and not where(labels)):
            continue
        suffix = sample_name[len(name):]
        if suffix not in ('_bucket', '_count', '_sum'):
            continue
        entry = result.setdefault(_key(labels, group_by), {'buckets': {}, 'count': 0.0, 'sum': 0.0})
        if suffix == '_bucket':
            le = _parse_value(labels.get('le', '+Inf'), 0)
            entry['buckets'][le] = entry['buckets'].get(le, 0.0) + value
        elif suffix == '_count':
            entry['count'] += value
        else:
            entry['sum'] += value
    return result


def _minus(after, before):
    """Counter delta; a counter that went down was reset (a restart): its new value is the delta."""
    return after - before if after >= before else after


def histogram_delta(before, after):
    """Per group, the histogram of the observations made between the two scrapes."""
    delta = {}
    for key, later in after.items():
        earlier = before.get(key, {'buckets': {}, 'count': 0.0, 'sum': 0.0})
        delta[key] = {
            'buckets': dict((le, _minus(count, earlier['buckets'].get(le, 0.0))) for le, count in later['buckets'].items()),
            'count': _minus(later['count'], earlier['count']),
            'sum': _minus(later['sum'], earlier['sum']),
        }
    return delta


def histogram_quantile(q, buckets):
    """Estimate the q-quantile (0..1) from {le: cumulative count} like PromQL histogram_quantile().

    Linear interpolation inside the bucket that holds the rank; the lower bound of the first bucket
    is 0. When the rank falls into the +Inf bucket, the highest finite bound is returned. None
    when there is no observation.
    """
    bounds = sorted(buckets)
    if not bounds:
        return None
    total = buckets[bounds[-1]]
    if total <= 0:
        return None
    rank = q * total
    previous_bound, previous_count = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if math.isinf(bound):
                return previous_bound
            in_bucket = count - previous_count
            if in_bucket <= 0:
                return bound
            return previous_bound + (bound - previous_bound) * (rank - previous_count) / in_bucket
        previous_bound, previous_count = bound, count
    return previous_bound


def slow_count(buckets, threshold):
    """Observations above threshold seconds, from the bucket whose bound equals the threshold.

    None when no bucket has that exact bound (the count cannot be read exactly).
    """
    bounds = sorted(buckets)
    if not bounds:
        return 0
    total = buckets[bounds[-1]]
    for bound in bounds:
        if abs(bound - threshold) < 1e-9:
            return int(round(total - buckets[bound]))
    return None


def counters(samples, name, group_by, where=None):
    """Sum the counter (or gauge) 'name' over the labels not in group_by: {group key: value}."""
    result = {}
    for sample_name, labels, value in samples:
        if sample_name != name or (where is not None and not where(labels)):
            continue
        key = _key(labels, group_by)
        result[key] = result.get(key, 0.0) + value
    return result


def counter_delta(before, after):
    return dict((key, _minus(value, before.get(key, 0.0))) for key, value in after.items())


def apiserver_latencies(before_text, after_text, thresholds=None):
    """Server-side request latency per (verb, resource, subresource, scope) between two scrapes.

    Returns a list of dicts sorted by verb and resource: count, p50/p90/p99 (seconds, estimated
    from the buckets) and, when thresholds (a function (verb, scope) -> seconds) is given, the
    threshold and the number of calls slower than it. Streaming verbs are left out.
    """
    group_by = ('verb', 'resource', 'subresource', 'scope')

    def keep(labels):
        return labels.get('verb', '') not in STREAMING_VERBS and labels.get('dry_run', '') == ''

    before = histograms(parse(before_text), APISERVER_REQUEST_DURATION, group_by, keep)
    after = histograms(parse(after_text), APISERVER_REQUEST_DURATION, group_by, keep)
    rows = []
    for key, hist in sorted(histogram_delta(before, after).items()):
        count = int(round(hist['count']))
        if count <= 0:
            continue
        verb, resource, subresource, scope = key
        row = {'verb': verb, 'resource': resource, 'subresource': subresource, 'scope': scope, 'count': count}
        for q in (50, 90, 99):
            row['p%d' % q] = histogram_quantile(q / 100.0, hist['buckets'])
        if thresholds is not None:
            threshold = thresholds(verb, scope)
            row['threshold'] = threshold
            row['slow_count'] = slow_count(hist['buckets'], threshold)
        rows.append(row)
    return rows


def scheduler_figures(before_text, after_text, seconds):
    """Scheduler figures between two scrapes taken 'seconds' apart.

    attempts by result (scheduled, unschedulable, error), the throughput of scheduled pods per
    second, p50/p90/p99 of the scheduling attempt duration (scheduled attempts) and the pending
    pods per queue at the second scrape.
    """
    before = parse(before_text)
    after = parse(after_text)
    attempts = counter_delta(counters(before, SCHEDULER_ATTEMPTS, ('result',)),
                             counters(after, SCHEDULER_ATTEMPTS, ('result',)))
    by_result = dict((key[0], int(round(value))) for key, value in attempts.items())
    scheduled = by_result.get('scheduled', 0)
    durations = histogram_delta(
        histograms(before, SCHEDULER_ATTEMPT_DURATION, ('result',)),
        histograms(after, SCHEDULER_ATTEMPT_DURATION, ('result',)))
    scheduled_hist = durations.get(('scheduled',), {'buckets': {}})
    pending = counters(after, SCHEDULER_PENDING_PODS, ('queue',))
    figures = {
        'attempts': by_result,
        'throughput_pods_per_second': (scheduled / seconds) if seconds and seconds > 0 else None,
        'pending_pods': dict((key[0], int(round(value))) for key, value in pending.items()),
    }
    for q in (50, 90, 99):
        figures['attempt_duration_p%d' % q] = histogram_quantile(q / 100.0, scheduled_hist['buckets'])
    return figures
