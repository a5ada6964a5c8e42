# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Prometheus text format, histogram deltas and quantiles, on scrapes shaped like kube-apiserver's and kube-scheduler's."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import prom

BUCKETS = (0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60)


def apiserver_scrape(series):
    """series: {(verb, resource, scope, component): [cumulative count per bucket..., +Inf]}."""
    lines = ['# HELP apiserver_request_duration_seconds [STABLE] Response latency distribution in seconds',
             '# TYPE apiserver_request_duration_seconds histogram']
    for (verb, resource, scope, component), counts in sorted(series.items()):
        labels = 'component="%s",dry_run="",group="",resource="%s",scope="%s",subresource="",verb="%s",version="v1"' % (
            component, resource, scope, verb)
        for bound, count in zip(BUCKETS + ('+Inf',), counts):
            lines.append('apiserver_request_duration_seconds_bucket{%s,le="%s"} %d' % (labels, bound, count))
        lines.append('apiserver_request_duration_seconds_sum{%s} %f' % (labels, counts[-1] * 0.01))
        lines.append('apiserver_request_duration_seconds_count{%s} %d' % (labels, counts[-1]))
    return '\n'.join(lines) + '\n'


def cumulative(per_bucket):
    total, out = 0, []
    for n in per_bucket:
        total += n
        out.append(total)
    return out


def test_parse_labels_escapes_and_special_values():
    text = '\n'.join([
        '# TYPE x counter',
        'x{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 3',
        'y 1.5e3 1700000000000',
        'z{le="+Inf"} +Inf',
        'w{a="1",} NaN',
        '',
    ])
    samples = prom.parse(text)
    assert samples[0] == ('x', {'a': 'q"uote', 'b': 'back\\slash', 'c': 'new\nline'}, 3.0)
    assert samples[1] == ('y', {}, 1500.0)
    assert samples[2][2] == float('inf')
    assert samples[3][0] == 'w' and samples[3][2] != samples[3][2]


def test_parse_errors_name_the_line():
    with pytest.raises(prom.PromParseError, match='line 2'):
        prom.parse('ok 1\nbad{a="1" 2\n')
    with pytest.raises(prom.PromParseError, match='no value'):
        prom.parse('lonely\n')


def test_histogram_quantile_interpolates_like_promql():
    buckets = {0.1: 50.0, 0.2: 100.0, float('inf'): 100.0}
    assert prom.histogram_quantile(0.5, buckets) == pytest.approx(0.1)
    assert prom.histogram_quantile(0.75, buckets) == pytest.approx(0.15)
    assert prom.histogram_quantile(0.25, buckets) == pytest.approx(0.05)
    # Rank in the +Inf bucket: the highest finite bound.
    assert prom.histogram_quantile(0.99, {1.0: 10.0, float('inf'): 20.0}) == 1.0
    assert prom.histogram_quantile(0.5, {1.0: 0.0, float('inf'): 0.0}) is None
    assert prom.histogram_quantile(0.5, {}) is None


def test_apiserver_latencies_are_deltas_grouped_by_verb_and_resource():
    zero = [0] * 24
    before = apiserver_scrape({
        ('GET', 'pods', 'resource', 'apiserver'): cumulative([10] + [0] * 23),
        ('WATCH', 'pods', 'namespace', 'apiserver'): cumulative([0] * 23 + [5]),
    })
    # 100 new GET pods calls: 90 under 5 ms, 9 between 0.4 and 0.6 s, 1 between 1.25 and 1.5 s.
    gets = [10 + 90] + [0] * 5 + [9] + [0] * 3 + [1] + [0] * 13
    after = apiserver_scrape({
        ('GET', 'pods', 'resource', 'apiserver'): cumulative(gets),
        ('WATCH', 'pods', 'namespace', 'apiserver'): cumulative([0] * 23 + [9]),
        ('LIST', 'nodes', 'cluster', 'apiserver'): cumulative([0, 4] + [0] * 22),
        ('POST', 'nodes', 'resource', 'apiserver'): zero,
    })
    rows = prom.apiserver_latencies(before, after, lambda verb, scope: 30.0 if verb == 'LIST' else 1.0)
    by_key = dict(((r['verb'], r['resource']), r) for r in rows)
    assert set(by_key) == {('GET', 'pods'), ('LIST', 'nodes')}  # WATCH left out, POST has no new call
    get = by_key[('GET', 'pods')]
    assert get['count'] == 100
    assert get['p50'] == pytest.approx(0.005 * 50 / 90)
    assert get['p90'] == pytest.approx(0.005)  # rank 90 is the last call of the first bucket
    assert 0.4 < get['p99'] <= 0.6
    assert get['slow_count'] == 1
    assert by_key[('LIST', 'nodes')]['count'] == 4 and by_key[('LIST', 'nodes')]['slow_count'] == 0


def test_counter_reset_counts_from_zero():
    before = prom.counters(prom.parse('c{r="a"} 100\n'), 'c', ('r',))
    after = prom.counters(prom.parse('c{r="a"} 7\n'), 'c', ('r',))
    assert prom.counter_delta(before, after) == {('a',): 7.0}


def test_slow_count_needs_an_exact_bucket():
    assert prom.slow_count({1.0: 8.0, float('inf'): 10.0}, 1.0) == 2
    assert prom.slow_count({0.9: 8.0, float('inf'): 10.0}, 1.0) is None


def scheduler_scrape(scheduled, unschedulable, durations, pending):
    lines = ['# TYPE scheduler_schedule_attempts_total counter',
             'scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} %d' % scheduled,
             'scheduler_schedule_attempts_total{profile="default-scheduler",result="unschedulable"} %d' % unschedulable,
             '# TYPE scheduler_scheduling_attempt_duration_seconds histogram']
    for bound, count in durations:
        lines.append('scheduler_scheduling_attempt_duration_seconds_bucket{profile="default-scheduler",result="scheduled",le="%s"} %d'
                     % (bound, count))
    lines.append('scheduler_scheduling_attempt_duration_seconds_count{profile="default-scheduler",result="scheduled"} %d' % durations[-1][1])
    for queue, value in pending.items():
        lines.append('scheduler_pending_pods{queue="%s"} %d' % (queue, value))
    return '\n'.join(lines) + '\n'


def test_scheduler_figures():
    before = scheduler_scrape(10, 1, [('0.001', 5), ('0.01', 10), ('+Inf', 10)], {'active': 3, 'backoff': 0, 'unschedulable': 1, 'gated': 0})
    after = scheduler_scrape(110, 1, [('0.001', 55), ('0.01', 110), ('+Inf', 110)], {'active': 0, 'backoff': 0, 'unschedulable': 0, 'gated': 2})
    figures = prom.scheduler_figures(before, after, 20.0)
    assert figures['attempts'] == {'scheduled': 100, 'unschedulable': 0}
    assert figures['throughput_pods_per_second'] == 5.0
    assert figures['pending_pods'] == {'active': 0, 'backoff': 0, 'unschedulable': 0, 'gated': 2}
    assert figures['attempt_duration_p50'] == pytest.approx(0.001)
    assert 0.001 < figures['attempt_duration_p99'] <= 0.01
    assert prom.scheduler_figures(before, after, 0)['throughput_pods_per_second'] is None
