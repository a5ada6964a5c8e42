# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs of the density test side by side: what a backend of fake nodes (kubemark's hollow kubelets,
kwok) makes the control plane do, against another backend at the same size.

figures() reduces one run (its samples directory and its built report) to what can be compared:
the backend and size, pod startup and client-side API call percentiles at the busiest level, and,
from the API server's /metrics scraped before the first level and after the last, the request rate
per hollow node by verb, resource and subresource, the API server's CPU and resident memory, the
watches open at the end and the objects stored per resource; from etcd's /metrics (scraped by the
perf role on the master around the test, when it could) etcd's CPU and memory. compare() puts runs
in one table, each figure of the first run against the second's; blocks() renders it as report
blocks (report.py), which report.md and report.html both show.
"""

from __future__ import annotations

import json
import os

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import prom, samples

# The hollow_nodes role's label naming the backend of every node it makes (systemd, pods, kwok).
BACKEND_LABEL = 'hollow-nodes.kubemark.io/backend'
# Backends by the label's value, as a reader knows them.
BACKEND_NAMES = {'systemd': 'kubemark (systemd units)', 'pods': 'kubemark (pods)', 'kwok': 'kwok'}
ETCD_SCRAPES_FILE = 'etcd.json'

APISERVER_REQUESTS = 'apiserver_request_total'
LONGRUNNING = 'apiserver_longrunning_requests'
# Objects stored per resource: apiserver_resource_objects{group, resource} since Kubernetes 1.34,
# apiserver_storage_objects{resource="<resource>.<group>"} before.
RESOURCE_OBJECTS = 'apiserver_resource_objects'
STORED_OBJECTS = 'apiserver_storage_objects'
PROCESS_CPU = 'process_cpu_seconds_total'
PROCESS_RSS = 'process_resident_memory_bytes'
# Objects whose count differs with what the nodes do: leases (one per node), CSINodes (which
# kubelets register), events, pods and nodes.
STORED_RESOURCES = ('nodes', 'leases.coordination.k8s.io', 'csinodes.storage.k8s.io', 'pods', 'events',
                    'endpointslices.discovery.k8s.io')
# Rows of the request-rate table: the busiest verb x resource pairs of either run.
RATE_ROWS = 20


def backend_name(backends):
    """'100 kwok' from the run's {label value: count}; several backends joined by ' + '."""
    if not backends:
        return 'unknown (no %s label)' % BACKEND_LABEL
    return ' + '.join('%d %s' % (count, BACKEND_NAMES.get(name, name)) for name, count in sorted(backends.items()))


def _scrape(directory, level, moment, component):
    files = (level.get('metrics') or {}).get(moment) or {}
    text = samples.read_text(directory, files.get(component))
    return prom.parse(text) if text is not None else None


def _process(before, after, seconds):
    """CPU cores used on average between two scrapes of one process, and its resident memory after."""
    if before is None or after is None:
        return {'cpu_seconds': None, 'cpu_cores': None, 'rss_bytes': None}
    cpu_before = sum(value for name, labels, value in before if name == PROCESS_CPU)
    cpu_after = sum(value for name, labels, value in after if name == PROCESS_CPU)
    rss = [value for name, labels, value in after if name == PROCESS_RSS]
    used = cpu_after - cpu_before if cpu_after >= cpu_before else None
    return {
        'cpu_seconds': used,
        'cpu_cores': used / seconds if used is not None and seconds else None,
        'rss_bytes': rss[0] if rss else None,
    }


def _etcd(directory):
    """etcd's CPU and memory over the perf role's two scrapes (metrics/etcd.json), or Nones."""
    text = samples.read_text(directory, os.path.join(samples.METRICS_DIR, ETCD_SCRAPES_FILE))
    if text is None:
        return {'cpu_seconds': None, 'cpu_cores': None, 'rss_bytes': None, 'seconds': None}
    scrapes = json.loads(text)
    parsed = {}
    for moment in ('before', 'after'):
        entry = scrapes.get(moment) or {}
        body = samples.read_text(directory, os.path.join(samples.METRICS_DIR, entry.get('file') or ''))
        parsed[moment] = prom.parse(body) if body is not None and entry.get('time') is not None else None
    seconds = None
    if parsed['before'] is not None and parsed['after'] is not None:
        seconds = scrapes['after']['time'] - scrapes['before']['time']
    result = _process(parsed['before'], parsed['after'], seconds)
    result['seconds'] = seconds
    return result


def figures(directory, report):
    """What one run contributes to a comparison; report is report.build(directory)."""
    run = samples.read_run(directory)
    levels = run.get('levels') or []
    cluster = run.get('cluster') or {}
    nodes = (run.get('parameters') or {}).get('nodes') or 0
    busiest = str(report['levels'][-1]) if report['levels'] else None
    result = {
        'directory': directory,
        'run_id': run.get('run_id'),
        'backends': cluster.get('backends') or {},
        'backend': backend_name(cluster.get('backends')),
        'nodes': nodes,
        'server_version': cluster.get('server_version'),
        'busiest_level': busiest,
        'status': report['status'],
        'pod_startup': report['pod_startup'].get(busiest) if busiest else None,
        'api_calls': dict(('%s %s (%s)' % (row['verb'], row['resource'], row['scope']), row['levels'].get(busiest))
                          for row in report['api_calls']) if busiest else {},
        'seconds': None,
        'request_rates': {},
        'request_counts': {},
        'watches': {},
        'stored_objects': {},
        'apiserver': {'cpu_seconds': None, 'cpu_cores': None, 'rss_bytes': None},
        'etcd': _etcd(directory),
    }
    if not levels:
        return result
    before = _scrape(directory, levels[0], 'before', 'apiserver')
    after = _scrape(directory, levels[-1], 'after', 'apiserver')
    if before is None or after is None:
        return result
    seconds = (levels[-1].get('metrics_after_time') or 0) - (levels[0].get('metrics_before_time') or 0)
    result['seconds'] = seconds if seconds > 0 else None
    group = ('verb', 'resource', 'subresource')
    requests = prom.counter_delta(prom.counters(before, APISERVER_REQUESTS, group), prom.counters(after, APISERVER_REQUESTS, group))
    if result['seconds'] and nodes:
        # Per node over the test (the workload is the same on every backend, so these compare what a
        # backend adds), and per node and minute (a kubelet's periodic calls, a lease every 10 s,
        # read as whole numbers; a backend that finishes the same work sooner shows higher rates).
        for (verb, resource, subresource), count in requests.items():
            if count > 0:
                key = '%s %s%s' % (verb, resource, '/' + subresource if subresource else '')
                result['request_counts'][key] = count / nodes
                result['request_rates'][key] = count * 60.0 / seconds / nodes
    watches = prom.counters(after, LONGRUNNING, ('resource',), lambda labels: labels.get('verb') == 'WATCH')
    result['watches'] = dict((key[0] or '(none)', int(value)) for key, value in watches.items() if value > 0)
    stored = dict(('%s.%s' % key if key[1] else key[0], value)
                  for key, value in prom.counters(after, RESOURCE_OBJECTS, ('resource', 'group')).items())
    if not stored:
        stored = dict((key[0], value) for key, value in prom.counters(after, STORED_OBJECTS, ('resource',)).items())
    result['stored_objects'] = dict((key, int(value)) for key, value in stored.items() if key in STORED_RESOURCES)
    result['apiserver'] = _process(before, after, result['seconds'])
    return result


def ratio(value, reference):
    """value / reference, None when either is unknown or the reference is 0."""
    if value is None or reference is None or reference == 0:
        return None
    return float(value) / reference


def _differing(rows):
    """Rows whose values are not all equal, then a row of the totals."""
    kept = [row for row in rows if len(set(row['values'])) > 1]
    totals = [sum(value or 0 for value in values) for values in zip(*[row['values'] for row in rows])] if rows else []
    return kept + ([{'resource': 'all (%d resources)' % len(rows), 'values': totals}] if rows else [])


def compare(runs):
    """A comparison of runs (each from figures()): the first is this report's run, the second the reference."""
    keys = set()
    for run in runs:
        keys.update(run['request_counts'])
    busiest = sorted(keys, key=lambda key: (-max(run['request_counts'].get(key, 0.0) for run in runs), key))
    shown = busiest[:RATE_ROWS]
    rest = busiest[RATE_ROWS:]

    def entry(name, chosen):
        return {'request': name,
                'per_node': [sum(run['request_counts'].get(key, 0.0) for key in chosen) for run in runs],
                'per_minute': [sum(run['request_rates'].get(key, 0.0) for key in chosen) for run in runs]}
    requests = [entry(key, [key]) for key in shown]
    if rest:
        requests.append(entry('all other (%d kinds)' % len(rest), rest))
    requests.append(entry('all requests', busiest))
    watched = sorted(set(key for run in runs for key in run['watches']))
    stored = [resource for resource in STORED_RESOURCES if any(resource in run['stored_objects'] for run in runs)]
    return {
        'runs': [dict((k, run[k]) for k in ('run_id', 'directory', 'backend', 'backends', 'nodes', 'server_version',
                                            'busiest_level', 'status', 'seconds')) for run in runs],
        'pod_startup': dict((p, [(run['pod_startup'] or {}).get(p) for run in runs]) for p in ('p50', 'p90', 'p99')),
        'api_calls': [{'call': key, 'p50': [(run['api_calls'].get(key) or {}).get('p50') for run in runs],
                       'p99': [(run['api_calls'].get(key) or {}).get('p99') for run in runs]}
                      for key in sorted(set(key for run in runs for key in run['api_calls']))],
        'requests': requests,
        'watches': _differing([{'resource': key, 'values': [run['watches'].get(key, 0) for run in runs]} for key in watched]),
        'stored_objects': [{'resource': key, 'values': [run['stored_objects'].get(key) for run in runs]} for key in stored],
        'apiserver': dict((k, [run['apiserver'][k] for run in runs]) for k in ('cpu_seconds', 'cpu_cores', 'rss_bytes')),
        'etcd': dict((k, [run['etcd'][k] for run in runs]) for k in ('cpu_seconds', 'cpu_cores', 'rss_bytes')),
    }


def _fmt_ratio(values):
    value = ratio(values[0], values[1]) if len(values) > 1 else None
    return '—' if value is None else '%.2f×' % value


def _mib(value):
    return None if value is None else value / 1048576.0


def blocks(comparison):
    """Report blocks (see report.py) of a comparison."""
    # report.py imports this module to build its section: its formatting is imported here, late.
    from ansible_collections.kubemark.kubemark.plugins.module_utils.perf.report import fmt_plain as _fmt
    runs = comparison['runs']
    names = [run['backend'] + (' (this run)' if index == 0 else '') for index, run in enumerate(runs)]
    two = len(runs) == 2
    ratio_header = ['this ÷ other'] if two else []
    out = [('h', 2, 'Backends side by side'),
           ('p', 'The same density test on another backend of fake nodes against this master: how far the figures of '
                 'one backend are from the other\'s. Percentiles are at each run\'s busiest level. Requests are '
                 'apiserver_request_total between the scrape before the first level and the one after the last: per '
                 'node over that time (the same workload on every backend, so the difference is what a backend adds) '
                 'and per node and minute (a backend that does the same work sooner shows higher rates). CPU is '
                 'process_cpu_seconds_total over the same time (etcd: over the perf role\'s scrapes around the '
                 'test); memory is resident at the end.'),
           ('ul', ['%s: run %s, %s nodes, %s, %s s measured, %s' % (
               name, run['run_id'], run['nodes'], run['server_version'] or '—', _fmt(run['seconds'], 0), run['status'])
               for name, run in zip(names, runs)])]

    def row(label, values, digits=2):
        return [label] + [_fmt(value, digits) for value in values] + ([_fmt_ratio(values)] if two else [])

    summary = [row('pod startup %s (s)' % p, comparison['pod_startup'][p]) for p in ('p50', 'p90', 'p99')]
    for call in comparison['api_calls']:
        summary.append(row('%s p99 (s)' % call['call'], call['p99'], 3))
    for component in ('apiserver', 'etcd'):
        label = 'kube-apiserver' if component == 'apiserver' else component
        figures = comparison[component]
        summary.append(row('%s CPU over the test (core-seconds)' % label, figures['cpu_seconds'], 0))
        summary.append(row('%s CPU (cores on average)' % label, figures['cpu_cores']))
        summary.append(row('%s memory (MiB)' % label, [_mib(v) for v in figures['rss_bytes']], 0))
    out.append(('table', 'fidelity-summary', ['figure'] + names + ratio_header, summary))
    out.append(('h', 3, 'API server requests per node, by verb and resource'))
    header = ['request'] + ['%s per node' % name for name in names] + (['this ÷ other'] if two else [])
    header += ['%s per node and minute' % name for name in names]
    rows = []
    for entry in comparison['requests']:
        rows.append(row(entry['request'], entry['per_node'], 1) + [_fmt(value, 2) for value in entry['per_minute']])
    out.append(('table', 'fidelity-requests', header, rows))
    if comparison['watches']:
        out.append(('h', 3, 'Watches open at the end, by resource (those that differ, then all)'))
        out.append(('table', 'fidelity-watches', ['resource'] + names + ratio_header,
                    [row(entry['resource'], entry['values'], 0) for entry in comparison['watches']]))
    if comparison['stored_objects']:
        out.append(('h', 3, 'Objects stored at the end'))
        out.append(('table', 'fidelity-objects', ['resource'] + names + ratio_header,
                    [row(entry['resource'], entry['values'], 0) for entry in comparison['stored_objects']]))
    return out
