# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""From a raw samples directory to the report: build() computes report.json's content (exact
percentiles, SLO verdicts, server-side metrics, clusterloader2's and e2e.test's results);
markdown() renders the percentile tables: one row per percentile (p10, p50, p90, p99), one column
per load level, then the sections of clusterloader2 and e2e.test.

Those two sections are built once as blocks (headings, paragraphs, lists, tables), which
markdown() and render_html render alike.
"""

from __future__ import annotations

import os

from ansible_collections.kubemark.kubemark.plugins.module_utils import _stats
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import clusterloader2, e2e, fidelity, prom, samples, slo

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


def build(directory, slo_overrides=None, compare_dirs=()):
    """The report as a dict (what report.json holds).

    compare_dirs: samples directories of other runs (another backend at the same size, typically)
    to set beside this one in the report's 'fidelity' section; None there when there are none.
    """
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
    e2e_result = e2e.read(os.path.join(directory, samples.E2E_DIR))
    suites = suite_statuses(cl2, e2e_result)
    slo_verdict = slo.overall(checks, complete)
    result = {
        'format': REPORT_FORMAT,
        'status': samples.COMPLETE if complete else samples.INCOMPLETE,
        'verdict': slo.with_suites(slo_verdict, suites),
        'slo_verdict': slo_verdict,
        'suites': suites,
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
        'e2e': e2e_result,
        'profiles': sorted(run.get('profiles') or []),
        'fidelity': None,
    }
    if compare_dirs:
        runs = [fidelity.figures(directory, result)]
        runs += [fidelity.figures(other, build(other, slo_overrides)) for other in compare_dirs]
        result['fidelity'] = fidelity.compare(runs)
    return result


def suite_statuses(cl2, e2e_result):
    """report.json's 'suites': the status of clusterloader2 (overall and per config) and of e2e.test."""
    counts = e2e_result.get('counts') or {}
    return {
        'clusterloader2': {'status': cl2['status'], 'reason': cl2.get('reason') or '',
                           'configs': clusterloader2.config_statuses(cl2)},
        'e2e': {'status': e2e_result['status'], 'reason': e2e_result.get('reason') or '',
                'passed': counts.get('passed'), 'failed': counts.get('failed'), 'skipped': counts.get('skipped'),
                'not_selected': counts.get('not_selected')},
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
    """The percentile table: rows p10/p50/p90/p99 (+ samples, SLO), columns the load levels."""
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
    out += markdown_blocks(suite_blocks(report))
    cluster = run.get('cluster') or {}
    out += ['| run | value |', '|---|---|',
            '| run id | %s |' % run.get('run_id', '—'),
            '| started / finished | %s / %s |' % (run.get('started_at', '—'), run.get('finished_at', '—')),
            '| duration | %s |' % fmt_seconds(run.get('duration_seconds')),
            '| server version | %s |' % cluster.get('server_version', '—'),
            '| Ready nodes / nodes used | %s / %s |' % (cluster.get('ready_nodes', '—'), parameters.get('nodes', '—')),
            '| nodes by backend | %s |' % fidelity.backend_name(cluster.get('backends')),
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
    out += markdown_blocks(clusterloader2_blocks(report['clusterloader2']))
    out += markdown_blocks(e2e_blocks(report['e2e']))
    if report.get('fidelity'):
        out += markdown_blocks(fidelity.blocks(report['fidelity']))
    if report['profiles']:
        out += ['## Profiles', ''] + ['- `%s`' % path for path in report['profiles']] + ['']
    return '\n'.join(out) + '\n'


# ----------------------------------------------------------------------------------------------
# The suites' sections, as blocks both markdown() and render_html render:
#   ('h', level, text)                 a heading
#   ('p', text)                        a paragraph
#   ('ul', [item, ...])                a list; an item is a text or ('code', label, value)
#   ('table', id, header, rows)        a table; a cell is a text or (text, css class)
# ----------------------------------------------------------------------------------------------

SUITE_MARK = {'ok': 'OK ✅', 'failed': 'FAILED ❌', 'not-run': 'not run'}
SUITE_CSS = {'ok': 'pass', 'failed': 'fail', 'not-run': ''}
MEASUREMENT_CSS = {'passed': 'pass', 'failed': 'fail', 'skipped': 'skipped'}
TEXT_LIMIT = 400


def suite_mark(status):
    return SUITE_MARK.get(status, status or '—')


def _status_cell(status):
    return (suite_mark(status), SUITE_CSS.get(status, ''))


def shorten(text, limit=TEXT_LIMIT):
    text = ' '.join(str(text or '').split())
    return text if len(text) <= limit else text[:limit - 1] + '…'


def fmt_ms(value):
    """Milliseconds, no unit (the column says it)."""
    if value is None:
        return '—'
    if value == 0:
        return '0'
    if abs(value) < 1:
        return '%.3f' % value
    return '%.1f' % value


def fmt_mib(value):
    if value is None:
        return '—'
    return '%.1f MiB' % (value / 1048576.0)


def fmt_plain(value, digits=3):
    if value is None:
        return '—'
    if isinstance(value, int):
        return str(value)
    return ('%.' + str(digits) + 'f') % value


def suite_blocks(report):
    """The verdict's parts: the SLO checks of the built-in test and the status of every suite."""
    suites = report['suites']
    cl2 = suites['clusterloader2']
    e2e_suite = suites['e2e']
    rows = [['built-in density test (SLO checks)', (mark(report['slo_verdict']), report['slo_verdict']),
             '%d checks' % len(report['slo_checks'])]]
    detail = cl2['reason'] if cl2['status'] != 'ok' else ', '.join('%s %s' % (name, status) for name, status in sorted(cl2['configs'].items()))
    rows.append(['clusterloader2', _status_cell(cl2['status']), shorten(detail)])
    if e2e_suite['status'] == 'not-run' or e2e_suite['passed'] is None:
        detail = e2e_suite['reason']
    else:
        detail = '%s passed, %s failed, %s skipped at run time' % (e2e_suite['passed'], e2e_suite['failed'], e2e_suite['skipped'])
        if e2e_suite['status'] != 'ok':
            detail += '; ' + e2e_suite['reason']
    rows.append(['e2e.test', _status_cell(e2e_suite['status']), shorten(detail)])
    return [('table', 'suites-table', ['suite', 'status', 'detail'], rows)]


def _pod_startup_figure(config, name):
    for row in config['pod_startup']:
        if row['summary'] == name and row['metric'] == 'pod_startup':
            return '%s: pod_startup p50 %s, p90 %s, p99 %s ms' % (name, fmt_ms(row['p50']), fmt_ms(row['p90']), fmt_ms(row['p99']))
    return name


def measurement_figures(config, measurement):
    """Short key figures of a measurement's summaries, for its row in the table."""
    figures = []
    raw = dict((entry['summary'], entry) for entry in config['raw_summaries'])
    for name in measurement['summaries']:
        kind = clusterloader2.summary_kind(name)
        if name in raw:
            figures.append('%s: %s of raw metrics, not embedded' % (name, fmt_mib(raw[name]['bytes'])))
        elif kind == 'PodStartupLatency':
            figures.append(_pod_startup_figure(config, name))
        elif kind == 'SchedulingThroughput' and config['scheduling_throughput']:
            figures.append('scheduling throughput max %s pods/s' % fmt_plain(config['scheduling_throughput']['max'], 1))
        elif kind == 'SchedulingMetrics' and config['scheduler_latency']:
            e2e_row = next((row for row in config['scheduler_latency']['rows'] if row['name'] == 'e2e scheduling'), None)
            figures.append('e2e scheduling p99 %s ms' % fmt_ms(e2e_row['p99']) if e2e_row else name)
        elif kind == 'EtcdMetrics' and config['etcd']:
            commit = next((row for row in config['etcd']['rows'] if row['metric'] == 'backendCommitDuration'), None)
            text = 'etcd database %s' % fmt_mib(config['etcd']['max_database_size_bytes'])
            if commit:
                text = 'etcd backend commit p99 %s ms, ' % _bucket_cell(commit, 'p99') + text[len('etcd '):]
            figures.append(text)
        elif kind == 'ResourceUsageSummary' and config['resource_usage']:
            figures.append('CPU and memory of %d components' % len(config['resource_usage']['components']))
        elif kind == 'SystemPodMetrics' and config['restarts']:
            figures.append('%d container restarts' % config['restarts']['total'])
        elif kind == 'ClusterOOMsTracker' and config['cluster_ooms']:
            figures.append('%d OOM kills' % config['cluster_ooms']['failures'])
        else:
            figures.append(name)
    return '; '.join(figures) or '—'


def _measurement_status(measurement):
    status = measurement['status']
    text = status if not measurement['reason'] else '%s: %s' % (status, shorten(measurement['reason']))
    return (text, MEASUREMENT_CSS.get(status, ''))


def _bucket_cell(row, key):
    if row[key] is None and key in row['above_last_bound']:
        return '> %s' % fmt_ms(row['last_bound'])
    return fmt_ms(row[key])


def _config_blocks(config):
    title = config['name'] if not config.get('config') else '%s (%s)' % (config['name'], config['config'])
    blocks = [('h', 3, '%s: %s' % (title, suite_mark(config['status'])))]
    items = []
    if config['reason']:
        items.append('reason: %s' % shorten(config['reason'], 1000))
    junit = config.get('junit')
    if junit is None:
        items.append('junit.xml: none')
    elif 'error' in junit:
        items.append('junit.xml: %s' % junit['error'])
    else:
        items.append('junit.xml: %d testcases, %d failed' % (junit['testcases'], junit['failures']))
    if config.get('exit_code') is not None:
        items.append('exit code: %s' % config['exit_code'])
    if config.get('overrides'):
        items.append('overrides: %s' % ', '.join(config['overrides']))
    blocks.append(('ul', items))
    if config['measurements']:
        rows = [[m['identifier'], _measurement_status(m), measurement_figures(config, m)] for m in config['measurements']]
        blocks.append(('table', 'cl2-%s-measurements' % config['name'], ['measurement', 'status', 'key figures'], rows))
    if config['failed_steps']:
        blocks.append(('p', 'Failed steps:'))
        blocks.append(('ul', ['%s: %s' % (step['name'], shorten(' / '.join(step['errors']), 1000)) for step in config['failed_steps']]))
    if config['pod_startup']:
        blocks.append(('h', 4, 'Pod startup latency (ms)'))
        rows = [[row['summary'], row['metric'], fmt_ms(row['p50']), fmt_ms(row['p90']), fmt_ms(row['p99'])] for row in config['pod_startup']]
        blocks.append(('table', 'cl2-%s-pod-startup' % config['name'], ['summary', 'metric', 'p50', 'p90', 'p99'], rows))
    throughput = config['scheduling_throughput']
    if throughput:
        blocks.append(('h', 4, 'Scheduling throughput (pods/s)'))
        blocks.append(('table', 'cl2-%s-scheduling-throughput' % config['name'], ['p50', 'p90', 'p99', 'max'],
                       [[fmt_plain(throughput[key], 1) for key in ('p50', 'p90', 'p99', 'max')]]))
    latency = config['scheduler_latency']
    if latency:
        blocks.append(('h', 4, 'Scheduler latencies (ms; SchedulingMetrics reports nanoseconds)'))
        rows = [[row['name'], fmt_ms(row['p50']), fmt_ms(row['p90']), fmt_ms(row['p99'])] for row in latency['rows']]
        blocks.append(('table', 'cl2-%s-scheduler' % config['name'], ['latency', 'p50', 'p90', 'p99'], rows))
    etcd_figures = config['etcd']
    if etcd_figures:
        blocks.append(('h', 4, 'etcd latencies (ms) and database size'))
        blocks.append(('p', 'From cumulative histogram buckets since etcd started: each percentile is the upper bound of the '
                            'first bucket whose cumulative count reaches the rank, so it is an upper bound, not an exact value.'))
        rows = []
        for row in etcd_figures['rows']:
            labels = ', '.join('%s=%s' % item for item in sorted(row['labels'].items()))
            rows.append([row['name'] + (' (%s)' % labels if labels else ''), str(row['count']),
                         _bucket_cell(row, 'p50'), _bucket_cell(row, 'p90'), _bucket_cell(row, 'p99')])
        if rows:
            blocks.append(('table', 'cl2-%s-etcd' % config['name'], ['histogram', 'observations', 'p50', 'p90', 'p99'], rows))
        blocks.append(('ul', ['largest database size: %s (%s bytes)' % (
            fmt_mib(etcd_figures['max_database_size_bytes']), fmt_plain(etcd_figures['max_database_size_bytes']))]))
    usage = config['resource_usage']
    if usage and usage['components']:
        blocks.append(('h', 4, 'Control-plane CPU (cores) and memory (MiB)'))
        blocks.append(('p', 'clusterloader2 samples ps on the master once a minute; CPU is each process\'s average since it '
                            'started. Percentiles 50, 90, 99 and 100 (max) over the samples.'))
        header = ['component'] + ['CPU p%s' % p for p in ('50', '90', '99')] + ['CPU max'] + \
                 ['memory p%s' % p for p in ('50', '90', '99')] + ['memory max']
        rows = []
        for component in usage['components']:
            rows.append([component['name']] + [fmt_plain(component['cpu'].get(p)) for p in usage['percentiles']]
                        + [fmt_plain(None if component['memory'].get(p) is None else component['memory'][p] / 1048576.0, 1)
                           for p in usage['percentiles']])
        blocks.append(('table', 'cl2-%s-resources' % config['name'], header, rows))
    pods = config['restarts']
    if pods:
        blocks.append(('h', 4, 'Restarts of system pods'))
        blocks.append(('p', '%d container restarts in all.' % pods['total']))
        rows = [[c['pod'], c['container'], str(c['restart_count']), shorten(c['last_restart_reason'], 200) if c['restart_count'] else '']
                for c in pods['containers']]
        if rows:
            blocks.append(('table', 'cl2-%s-restarts' % config['name'], ['pod', 'container', 'restarts', 'last restart reason'], rows))
    others = []
    for entry in config['raw_summaries']:
        others.append('%s: %s of raw metrics, kept in the run directory and not embedded in this report' % (entry['file'], fmt_mib(entry['bytes'])))
    if config['cluster_ooms']:
        ooms = config['cluster_ooms']
        others.append('ClusterOOMsTracker: %d OOM kills, %d before the test, %d ignored' % (ooms['failures'], ooms['past'], ooms['ignored']))
    if config['profiles']:
        others.append('%d profiles (.pprof)' % len(config['profiles']))
    others += ['unreadable: %s' % error for error in config['unreadable']]
    if others:
        blocks.append(('h', 4, 'Other results'))
        blocks.append(('ul', others))
    return blocks


def clusterloader2_blocks(cl2):
    """The clusterloader2 section: its status, then one part per test config."""
    blocks = [('h', 2, 'clusterloader2')]
    items = ['status: %s' % suite_mark(cl2['status'])]
    if cl2.get('reason'):
        items.append('reason: %s' % shorten(cl2['reason'], 1000))
    if cl2.get('repository'):
        items.append('repository: %s' % cl2['repository'])
    if cl2.get('commit'):
        items.append('commit: %s' % cl2['commit'])
    blocks.append(('ul', items))
    if cl2['status'] != clusterloader2.NOT_RUN:
        blocks.append(('p', 'Measurements that need Prometheus (or clusterloader2\'s probes) skip themselves on this cluster; '
                            'clusterloader2 counts them as passed, this report as skipped.'))
    for config in cl2.get('configs') or []:
        blocks += _config_blocks(config)
    return blocks


def e2e_blocks(result):
    """The e2e.test section: status, filters, counts, failures."""
    blocks = [('h', 2, 'e2e.test')]
    items = ['status: %s' % suite_mark(result['status'])]
    if result.get('reason'):
        items.append('reason: %s' % shorten(result['reason'], 1000))
    if result['status'] == e2e.NOT_RUN:
        blocks.append(('ul', items))
        return blocks
    for key, label in (('version', 'version'), ('exit_code', 'exit code')):
        if result.get(key) is not None:
            items.append('%s: %s' % (label, result[key]))
    if result.get('duration_seconds') is not None:
        items.append('duration: %s' % fmt_seconds(result['duration_seconds']))
    for key, label in (('label_filter', 'label filter'), ('focus', 'focus'), ('skip', 'skip')):
        if result.get(key):
            items.append(('code', label, result[key]))
    blocks.append(('ul', items))
    counts = result.get('counts')
    if counts:
        header = ['passed', 'failed', 'skipped at run time', 'not selected']
        row = [str(counts['passed']), (str(counts['failed']), 'fail' if counts['failed'] else ''), str(counts['skipped']),
               str(counts['not_selected'])]
        if counts.get('other'):
            header.append('other')
            row.append(str(counts['other']))
        blocks.append(('table', 'e2e-counts', header, [row]))
    setup = result.get('suite_setup')
    if setup and setup['status'] == e2e.FAILED:
        blocks.append(('p', 'The suite setup (%s) failed, so no test ran: %s' % (e2e.SUITE_SETUP, shorten(setup['message'], 1000))))
    if result['failures']:
        blocks.append(('h', 3, 'Failures'))
        blocks.append(('ul', ['%s: %s' % (f['name'], shorten(f['message'])) for f in result['failures']]))
    if result['skipped']:
        blocks.append(('h', 3, 'Skipped at run time'))
        blocks.append(('ul', ['%s: %s' % (s['name'], shorten(s['reason'])) for s in result['skipped']]))
    return blocks


def _md_cell(cell):
    text = cell[0] if isinstance(cell, tuple) else cell
    return str(text).replace('\\', '\\\\').replace('|', '\\|').replace('\n', ' ')


def _md_code(text):
    text = ' '.join(str(text).split())
    fence = '``' if '`' in text else '`'
    return '%s %s %s' % (fence, text, fence) if fence == '``' else '`%s`' % text


def markdown_blocks(blocks):
    out = []
    for block in blocks:
        kind = block[0]
        if kind == 'h':
            out += ['#' * block[1] + ' ' + block[2], '']
        elif kind == 'p':
            out += [block[1], '']
        elif kind == 'ul':
            for item in block[1]:
                if isinstance(item, tuple):
                    out.append('- %s: %s' % (item[1], _md_code(item[2])))
                else:
                    out.append('- %s' % ' '.join(str(item).split()))
            out.append('')
        elif kind == 'table':
            header, rows = block[2], block[3]
            out.append('| ' + ' | '.join(_md_cell(cell) for cell in header) + ' |')
            out.append('|' + '---|' * len(header))
            for row in rows:
                out.append('| ' + ' | '.join(_md_cell(cell) for cell in row) + ' |')
            out.append('')
    return out
