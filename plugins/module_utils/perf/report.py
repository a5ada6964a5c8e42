# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""From a raw samples directory to the report: build() computes report.json's content (exact
percentiles, SLO verdicts, server-side metrics, clusterloader2's summaries); markdown() renders the
seed-002 tables: one row per percentile (p10, p50, p90, p99), one column per load level.
"""

from __future__ import annotations

import os

from ansible_collections.kubemark.kubemark.plugins.module_utils import _stats
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import clusterloader2, prom, samples, slo

REPORT_FORMAT = 1
TABLE_PERCENTILES = (10, 50, 90, 99)
VERB_ORDER = ('PUT', 'POST', 'LIST', 'GET', 'PATCH', 'DELETE')
RESOURCE_ORDER = ('nodes', 'pods', 'replicationcontrollers')


def _order(value, known):
    return (known.index(value), value) if value in known else (len(known), value)


def api_key_order(key):
    verb, resource, scope = key
    return (_order(resource, RESOURCE_ORDER), _order(verb, VERB_ORDER), scope)


def api_key_name(key):
    return '%s %s (%s)' % key


def _level_key(level):
    return str(level)


def _duration(end, start):
    if end is None or start is None:
        return None
    return end - start


def _metric_text(directory, level, moment, component):
    files = ((level.get('metrics') or {}).get(moment) or {})
    return samples.read_text(directory, files.get(component))


def build(directory, slo_overrides=None):
    """The report as a dict (what report.json holds)."""
    settings = slo.merged(slo_overrides)
    data = samples.load(directory)
    run = data['run']
    run_levels = run.get('levels') or []
    levels = [level['percent'] for level in run_levels]
    errors = list(run.get('errors') or [])
    if run.get('error'):
        errors.insert(0, run['error'])
    complete = run.get('status') == samples.COMPLETE and all(level.get('complete') for level in run_levels) and bool(run_levels)

    pods_by_level = dict((level, []) for level in levels)
    phases = dict((level, {'create_to_schedule': [], 'schedule_to_start': [], 'start_to_watch': []}) for level in levels)
    scheduled_times = []
    for pod in data['pods']:
        level = pod.get('level')
        if pod.get('scheduled') is not None:
            scheduled_times.append(pod['scheduled'])
        if level not in pods_by_level or pod.get('observed') is None or pod.get('created') is None:
            continue
        pods_by_level[level].append(pod['observed'] - pod['created'])
        for name, end, start in (('create_to_schedule', pod.get('scheduled'), pod.get('created')),
                                 ('schedule_to_start', pod.get('started'), pod.get('scheduled')),
                                 ('start_to_watch', pod.get('observed'), pod.get('started'))):
            value = _duration(end, start)
            if value is not None:
                phases[level][name].append(value)

    api = {}
    for call in data['api_calls']:
        if call.get('level') not in pods_by_level:
            continue
        key = (call['verb'], call['resource'], call.get('scope') or 'resource')
        api.setdefault(key, dict((level, []) for level in levels))[call['level']].append(call['seconds'])

    node_latencies = [node['ready'] - node['created'] for node in data['nodes']
                      if node.get('ready') is not None and node.get('created') is not None]

    checks = []
    pod_startup = {}
    for level in levels:
        summary = _stats.summarize(pods_by_level[level])
        pod_startup[_level_key(level)] = summary
        p = settings['pod_startup_percentile']
        checks.append(slo.check('pod_startup', level, 'pods', p, _stats.percentile(pods_by_level[level], p),
                                settings['pod_startup_seconds'], summary['count']))
    api_rows = []
    for key in sorted(api, key=api_key_order):
        verb, resource, scope = key
        threshold = slo.api_threshold(settings, verb, scope)
        row = {'verb': verb, 'resource': resource, 'scope': scope, 'threshold': threshold, 'levels': {}}
        for level in levels:
            values = api[key][level]
            row['levels'][_level_key(level)] = _stats.summarize(values)
            p = settings['api_call_percentile']
            checks.append(slo.check('api_call', level, api_key_name(key), p, _stats.percentile(values, p), threshold, len(values)))
        api_rows.append(row)
    node_summary = _stats.summarize(node_latencies)
    p = settings['node_startup_percentile']
    checks.append(slo.check('node_startup', None, 'nodes', p, _stats.percentile(node_latencies, p),
                            settings['node_startup_seconds'], node_summary['count']))

    server = {}
    for level in run_levels:
        entry = {}
        seconds = _duration(level.get('metrics_after_time'), level.get('metrics_before_time'))
        before = _metric_text(directory, level, 'before', 'apiserver')
        after = _metric_text(directory, level, 'after', 'apiserver')
        if before is not None and after is not None:
            entry['apiserver'] = prom.apiserver_latencies(before, after, lambda verb, scope: slo.api_threshold(settings, verb, scope))
        before = _metric_text(directory, level, 'before', 'scheduler')
        after = _metric_text(directory, level, 'after', 'scheduler')
        if before is not None and after is not None:
            entry['scheduler'] = prom.scheduler_figures(before, after, seconds)
        entry['seconds'] = seconds
        server[_level_key(level['percent'])] = entry

    origin = run_levels[0].get('started') if run_levels else None
    timeline = _stats.per_second(scheduled_times, origin=origin)
    fill = {}
    for level in run_levels:
        fill_seconds = _duration(level.get('filled'), level.get('started'))
        added = level.get('pods_added')
        fill[_level_key(level['percent'])] = {
            'target_pods': level.get('target_pods'),
            'pods_added': added,
            'pods_running': level.get('pods_running'),
            'fill_seconds': fill_seconds,
            'pods_per_second': (added / fill_seconds) if added and fill_seconds else None,
            'complete': bool(level.get('complete')),
        }

    cl2 = clusterloader2.read(os.path.join(directory, samples.CLUSTERLOADER2_DIR))
    verdict = slo.overall(checks, complete)
    return {
        'format': REPORT_FORMAT,
        'status': samples.COMPLETE if complete else samples.INCOMPLETE,
        'verdict': verdict,
        'errors': errors,
        'run': dict((k, v) for k, v in run.items() if k not in ('levels',)),
        'slo_settings': settings,
        'levels': levels,
        'fill': fill,
        'pod_startup': pod_startup,
        'pod_startup_phases': dict((_level_key(level), dict((name, _stats.summarize(values)) for name, values in phases[level].items()))
                                   for level in levels),
        'pod_startup_cdf': dict((_level_key(level), _stats.cdf(pods_by_level[level])) for level in levels),
        'api_calls': api_rows,
        'node_startup': node_summary,
        'node_startup_cdf': _stats.cdf(node_latencies),
        'server': server,
        'scheduling_timeline': timeline,
        'slo_checks': checks,
        'clusterloader2': cl2,
        'profiles': sorted(run.get('profiles') or []),
    }


# ----------------------------------------------------------------------------------------------
# Markdown
# ----------------------------------------------------------------------------------------------

def fmt_seconds(value):
    if value is None:
        return '—'
    if value < 1:
        return '%.1f ms' % (value * 1000.0)
    return '%.3f s' % value


def fmt_number(value, digits=1):
    if value is None:
        return '—'
    if isinstance(value, int):
        return str(value)
    return ('%.' + str(digits) + 'f') % value


VERDICT_MARK = {'pass': 'PASS ✅', 'fail': 'FAIL ❌', 'no-data': 'NO DATA ⚠️', 'incomplete': 'INCOMPLETE ⚠️'}


def mark(verdict):
    return VERDICT_MARK.get(verdict, verdict)


def level_header(level):
    return '%s%%-full' % level


def checks_for(report, slo_name, subject):
    return dict((c['level'], c) for c in report['slo_checks'] if c['slo'] == slo_name and c['subject'] == subject)


def percentile_table(report, by_level, checks):
    """The seed-002 table: rows p10/p50/p90/p99 (+ samples, SLO), columns the load levels."""
    levels = report['levels']
    lines = ['| | ' + ' | '.join(level_header(level) for level in levels) + ' |',
             '|---|' + '---|' * len(levels)]
    for p in TABLE_PERCENTILES:
        cells = [fmt_seconds((by_level.get(_level_key(level)) or {}).get('p%d' % p)) for level in levels]
        lines.append('| %dth percentile | %s |' % (p, ' | '.join(cells)))
    lines.append('| samples | %s |' % ' | '.join(str((by_level.get(_level_key(level)) or {}).get('count', 0)) for level in levels))
    if checks:
        any_check = next(iter(checks.values()))
        label = 'SLO p%d ≤ %s' % (any_check['percentile'], fmt_seconds(any_check['threshold']))
        lines.append('| %s | %s |' % (label, ' | '.join(mark(checks[level]['verdict']) if level in checks else '—' for level in levels)))
    return lines


def markdown(report):
    run = report['run']
    parameters = run.get('parameters') or {}
    out = ['# kubemark performance report', '']
    out.append('**Verdict: %s**' % mark(report['verdict']))
    out.append('')
    if report['status'] != samples.COMPLETE:
        out.append('> This run is **incomplete**: the figures below are partial and are not a pass.')
        out.append('')
    for error in report['errors']:
        out.append('- error: %s' % error)
    if report['errors']:
        out.append('')
    cluster = run.get('cluster') or {}
    out += ['| run | value |', '|---|---|',
            '| run id | %s |' % run.get('run_id', '—'),
            '| started / finished | %s / %s |' % (run.get('started_at', '—'), run.get('finished_at', '—')),
            '| duration | %s |' % fmt_seconds(run.get('duration_seconds')),
            '| server version | %s |' % cluster.get('server_version', '—'),
            '| Ready nodes / nodes used | %s / %s |' % (cluster.get('ready_nodes', '—'), parameters.get('nodes', '—')),
            '| pods per node (capacity) | %s (%s pods) |' % (parameters.get('pods_per_node', '—'), cluster.get('capacity', '—')),
            '| workload | %s of %s pods, %s pods/s |' % (
                parameters.get('workload', '—'), parameters.get('pods_per_controller', '—'), parameters.get('pod_creation_qps', '—')),
            '']
    out += ['## SLO verdicts', '', '| SLO | level | subject | value | threshold | samples | verdict |', '|---|---|---|---|---|---|---|']
    for check in report['slo_checks']:
        out.append('| %s p%d | %s | %s | %s | %s | %d | %s |' % (
            check['slo'], check['percentile'], '—' if check['level'] is None else level_header(check['level']), check['subject'],
            fmt_seconds(check['value']), fmt_seconds(check['threshold']), check['count'], mark(check['verdict'])))
    out += ['', '## Pod startup latency', '',
            'From the pod\'s creation timestamp to all its containers running, observed by watch.', '']
    out += percentile_table(report, report['pod_startup'], checks_for(report, 'pod_startup', 'pods'))
    out += ['', '### Load levels', '', '| level | target pods | added | running | fill time | pods/s |', '|---|---|---|---|---|---|']
    for level in report['levels']:
        fill = report['fill'].get(_level_key(level)) or {}
        out.append('| %s | %s | %s | %s | %s | %s |' % (
            level_header(level), fill.get('target_pods'), fill.get('pods_added'), fill.get('pods_running'),
            fmt_seconds(fill.get('fill_seconds')), fmt_number(fill.get('pods_per_second'))))
    out += ['', '### Pod startup phases (p50 / p99)', '', '| phase | ' + ' | '.join(level_header(level) for level in report['levels']) + ' |',
            '|---|' + '---|' * len(report['levels'])]
    for phase in ('create_to_schedule', 'schedule_to_start', 'start_to_watch'):
        cells = []
        for level in report['levels']:
            summary = report['pod_startup_phases'][_level_key(level)][phase]
            cells.append('%s / %s' % (fmt_seconds(summary['p50']), fmt_seconds(summary['p99'])))
        out.append('| %s | %s |' % (phase, ' | '.join(cells)))
    out += ['', '## API call latency (client side) per verb × resource', '']
    for row in report['api_calls']:
        key = (row['verb'], row['resource'], row['scope'])
        out += ['### %s %s (scope %s)' % key, '']
        out += percentile_table(report, row['levels'], checks_for(report, 'api_call', api_key_name(key)))
        out.append('')
    node = report['node_startup']
    node_check = checks_for(report, 'node_startup', 'nodes').get(None)
    out += ['## Node startup latency', '', 'From the Node object\'s creation to its Ready condition.', '',
            '| nodes | p10 | p50 | p90 | p99 | max | verdict |', '|---|---|---|---|---|---|---|',
            '| %d | %s | %s | %s | %s | %s | %s |' % (
                node['count'], fmt_seconds(node['p10']), fmt_seconds(node['p50']), fmt_seconds(node['p90']),
                fmt_seconds(node['p99']), fmt_seconds(node['max']), mark(node_check['verdict']) if node_check else '—'), '']
    out += ['## Scheduler (from kube-scheduler /metrics, before and after each level)', '',
            '| level | scheduled | unschedulable | error | pods scheduled/s | attempt p50 | attempt p99 | pending (active/backoff/unschedulable/gated) |',
            '|---|---|---|---|---|---|---|---|']
    for level in report['levels']:
        figures = (report['server'].get(_level_key(level)) or {}).get('scheduler')
        if not figures:
            out.append('| %s | — | — | — | — | — | — | — |' % level_header(level))
            continue
        attempts = figures['attempts']
        pending = figures['pending_pods']
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
            level_header(level), attempts.get('scheduled', 0), attempts.get('unschedulable', 0), attempts.get('error', 0),
            fmt_number(figures['throughput_pods_per_second']), fmt_seconds(figures['attempt_duration_p50']),
            fmt_seconds(figures['attempt_duration_p99']),
            '/'.join(str(pending.get(queue, '—')) for queue in ('active', 'backoff', 'unschedulable', 'gated'))))
    out += ['', '## API server (server side, estimated from apiserver_request_duration_seconds buckets)', '']
    for level in report['levels']:
        rows = (report['server'].get(_level_key(level)) or {}).get('apiserver')
        out += ['### %s' % level_header(level), '']
        if not rows:
            out += ['No scrape.', '']
            continue
        out += ['| verb | resource | subresource | scope | calls | p50 | p90 | p99 | slower than SLO |', '|---|---|---|---|---|---|---|---|---|']
        for row in rows:
            out.append('| %s | %s | %s | %s | %d | %s | %s | %s | %s |' % (
                row['verb'], row['resource'], row['subresource'] or '', row['scope'], row['count'], fmt_seconds(row['p50']),
                fmt_seconds(row['p90']), fmt_seconds(row['p99']), '—' if row.get('slow_count') is None else row['slow_count']))
        out.append('')
    cl2 = report['clusterloader2']
    out += ['## clusterloader2', '', '- status: **%s**' % cl2.get('status')]
    if cl2.get('reason'):
        out.append('- %s' % cl2['reason'])
    if cl2.get('version'):
        out.append('- version: %s' % cl2['version'])
    if cl2.get('junit'):
        junit = cl2['junit']
        out.append('- junit: %s tests, %s failures, %s errors' % (junit.get('tests'), junit.get('failures'), junit.get('errors')))
    rows = clusterloader2.pod_startup(cl2.get('summaries') or [])
    if rows:
        out += ['', '| summary | metric | p50 | p90 | p99 | unit |', '|---|---|---|---|---|---|']
        for row in rows:
            out.append('| %s | %s | %s | %s | %s | %s |' % (
                row['summary'], row['metric'], fmt_number(row['p50']), fmt_number(row['p90']), fmt_number(row['p99']), row['unit']))
    summaries = cl2.get('summaries') or []
    if summaries:
        out += ['', 'Summaries: ' + ', '.join(s['file'] for s in summaries)]
    out.append('')
    if report['profiles']:
        out += ['## Profiles', ''] + ['- `%s`' % path for path in report['profiles']] + ['']
    return '\n'.join(out) + '\n'
