# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clusterloader2's results of one run, read into the suite's report.

The perf role runs every test config into its own directory, <run>/clusterloader2/<config name>/,
with clusterloader2's junit.xml, its summary files (SUMMARY_TEST_TIME.json), clusterloader2.log,
overrides.yaml and status.json (written by the role, never by clusterloader2): {"status": "ok" or
"failed", "exit_code", "config", "commit", "repository", "overrides", "reason"}. When the role
could not get clusterloader2 at all it writes <run>/clusterloader2/status.json {"status":
"failed", "commit", "repository", "reason"} instead.

junit.xml has one testcase per step and per measurement action, named
"<test>: [step: NN] <step name> [MM] - <Identifier>" (a step without measurement has no
"[MM] - " part), plus "<test> overall (<config path>)". A failure is a <failure> element whose
text is ":0", "[error 1", "error 2]", ":0" on lines of their own.

Measurements that need Prometheus (or clusterloader2's probes, which it never runs on kubemark)
skip themselves and still pass in junit.xml; they write no summary, and clusterloader2.log says
"<Identifier>: Prometheus is disabled, skipping the measurement!". They are reported as
skipped, never as passed.

Units of the figures: latencies in milliseconds (SchedulingMetrics' nanoseconds and etcd's
seconds are converted), throughput in pods per second, CPU in cores, memory and sizes in bytes.
etcd's summary holds cumulative histogram buckets since etcd started; its percentiles are the
upper bound of the first bucket whose cumulative count reaches the rank (ceil(p/100 * count)).

Pure functions over directories and dicts; nothing here imports Ansible.
"""

from __future__ import annotations

import json
import math
import os
import re
from xml.etree import ElementTree

STATUS_FILE = 'status.json'
JUNIT_FILE = 'junit.xml'
LOG_FILE = 'clusterloader2.log'
NOT_RUN = 'not-run'
OK = 'ok'
FAILED = 'failed'

PASSED = 'passed'
SKIPPED = 'skipped'

PROMETHEUS_REASON = 'needs Prometheus, which this cluster does not run'
PROBES_REASON = 'needs clusterloader2\'s probes and Prometheus; probes cannot work in kubemark'

# Measurements (by Identifier, as the test configs name them) that rely on Prometheus and skip
# themselves without it. The log tells the same for any other identifier.
PROMETHEUS_MEASUREMENTS = frozenset([
    'APIResponsivenessPrometheus', 'APIResponsivenessPrometheusSimple', 'InClusterNetworkLatency', 'SLOMeasurement',
    'DnsLookupLatency', 'SchedulingThroughputPrometheus', 'NetworkProgrammingLatency', 'InitEvents', 'ResourceSize',
    'ObjectCount', 'Kube-proxy partial iptables restore failures',
])

# Summaries of the TestMetrics bundle: their file names do not carry the identifier.
TEST_METRICS_SUMMARIES = frozenset([
    'EtcdMetrics', 'SchedulingMetrics', 'MetricsForE2E', 'ResourceUsageSummary', 'SystemPodMetrics', 'ClusterOOMsTracker',
])

# Summaries read into figures; anything else is only listed.
RAW_SUMMARIES = frozenset(['MetricsForE2E'])
MAX_JSON_BYTES = 4 * 1024 * 1024

ETCD_HISTOGRAMS = (
    ('backendCommitDuration', 'backend commit'),
    ('walFsyncDuration', 'WAL fsync'),
    ('snapshotSaveTotalDuration', 'snapshot save'),
    ('peerRoundTripTime', 'peer round trip'),
)
SCHEDULER_LATENCIES = (
    ('e2eSchedulingLatency', 'e2e scheduling'),
    ('schedulingLatency', 'scheduling algorithm'),
    ('preemptionEvaluationLatency', 'preemption evaluation'),
)
RESOURCE_PERCENTILES = ('50', '90', '99', '100')

_CASE = re.compile(r'^(?P<test>.*?): \[step: (?P<step>\d+)\] (?P<step_name>.*?)(?: \[(?P<index>\d+)\] - (?P<identifier>.*))?$')
_OVERALL = re.compile(r'^(?P<test>.*) overall \((?P<config>.*)\)$')
_SKIP_LINE = re.compile(r'\] (?P<identifier>[^\]]+?): (?P<why>Prometheus is disabled|Probes cannot work in kubemark), skipping the measurement!')
_TIME_SUFFIX = re.compile(r'_\d{4}-\d{2}-\d{2}T[^_]*$')


# ----------------------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------------------

def _read_json(path):
    """(data, error): the JSON of a file, or None and why not."""
    try:
        with open(path) as handle:
            return json.load(handle), None
    except (OSError, ValueError) as error:
        return None, '%s: %s' % (os.path.basename(path), error)


def read_status(directory):
    """status.json of a directory as a dict; {} when absent; {'error'} when unreadable."""
    path = os.path.join(directory, STATUS_FILE)
    if not os.path.isfile(path):
        return {}
    data, error = _read_json(path)
    if error or not isinstance(data, dict):
        return {'error': error or '%s is not a JSON object' % STATUS_FILE}
    return data


def failure_lines(text):
    """The errors of a clusterloader2 junit failure text, one a line, without ':0' and brackets."""
    lines = [line.rstrip() for line in (text or '').strip().splitlines()]
    while lines and lines[0].strip() in (':0', ''):
        lines.pop(0)
    while lines and lines[-1].strip() in (':0', ''):
        lines.pop()
    if lines and lines[0].startswith('['):
        lines[0] = lines[0][1:]
    if lines and lines[-1].endswith(']'):
        lines[-1] = lines[-1][:-1]
    return [line for line in lines if line.strip()]


def parse_case_name(name):
    """{'test', 'step', 'step_name', 'index', 'identifier'} of a junit testcase name; None for others."""
    match = _CASE.match(name)
    if not match:
        return None
    return {
        'test': match.group('test'),
        'step': int(match.group('step')),
        'step_name': match.group('step_name'),
        'index': None if match.group('index') is None else int(match.group('index')),
        'identifier': (match.group('identifier') or '').strip(),
    }


def read_junit(path):
    """clusterloader2's junit.xml: {'test', 'config', 'testcases', 'failures', 'cases': [...]}; {'error'} when unreadable.

    'tests' of the file is always 0 (clusterloader2 never sets it), so the testcases are counted.
    """
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as error:
        return {'error': '%s: %s' % (os.path.basename(path), error)}
    cases = []
    test = config = None
    for case in root.iter('testcase'):
        name = case.get('name', '')
        failure = case.find('failure')
        if failure is None:
            failure = case.find('error')
        entry = {'name': name, 'failed': failure is not None,
                 'errors': failure_lines(failure.text) if failure is not None else []}
        if failure is not None and not entry['errors']:
            entry['errors'] = [failure.get('message') or 'failed (no message)']
        overall = _OVERALL.match(name)
        if overall:
            test, config = overall.group('test'), overall.group('config')
            entry['overall'] = True
        else:
            parsed = parse_case_name(name)
            if parsed:
                entry.update(parsed)
                test = test or parsed['test']
        cases.append(entry)
    return {
        'test': test,
        'config': config,
        'testcases': len(cases),
        'failures': sum(1 for case in cases if case['failed']),
        'cases': cases,
    }


def skipped_in_log(path):
    """{identifier: reason} of the measurements clusterloader2.log says skipped themselves."""
    skipped = {}
    if not os.path.isfile(path):
        return skipped
    with open(path, errors='replace') as handle:
        for line in handle:
            if 'skipping the measurement' not in line:
                continue
            match = _SKIP_LINE.search(line)
            if match:
                why = PROMETHEUS_REASON if match.group('why').startswith('Prometheus') else PROBES_REASON
                skipped.setdefault(match.group('identifier').strip(), why)
    return skipped


def summary_name(filename, test=None):
    """SUMMARY of SUMMARY_TEST_TIME.json (SUMMARY may hold '_' itself: PodStartupLatency_CreatePhasePodStartupLatency)."""
    stem = os.path.splitext(filename)[0]
    stem = _TIME_SUFFIX.sub('', stem)
    if test and stem.endswith('_' + test):
        return stem[:-len(test) - 1]
    return stem.rsplit('_', 1)[0] if '_' in stem else stem


def summary_kind(name):
    """The measurement summary a name is made from: 'PodStartupLatency', 'EtcdMetrics', ..."""
    head = name.split('_', 1)[0]
    if head.endswith('PodStartupLatency'):
        return 'PodStartupLatency'
    return head


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------

def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _scaled(value, divisor):
    """value / divisor, rounded to 6 decimals (no float noise from the unit change); None for a non-number."""
    value = _number(value)
    return None if value is None else round(value / float(divisor), 6)


def bucket_percentiles(buckets, percentiles=(50, 90, 99)):
    """Percentiles of a cumulative histogram {upper bound: cumulative count} (bounds as strings).

    Each is the upper bound of the first bucket whose cumulative count reaches ceil(p/100 * n),
    n the '+Inf' count (or the largest count); float('inf') when it is only in '+Inf'. Returns
    ({p: bound}, n, largest finite bound).
    """
    bounds = []
    for key, count in (buckets or {}).items():
        try:
            bound = float(key)
        except (TypeError, ValueError):
            continue
        if _number(count) is None:
            continue
        bounds.append((bound, count))
    bounds.sort()
    finite = [bound for bound, dummy in bounds if not math.isinf(bound)]
    total = bounds[-1][1] if bounds else 0
    result = {}
    for p in percentiles:
        if not total:
            result[p] = None
            continue
        rank = max(1, int(math.ceil(p / 100.0 * total)))
        result[p] = next((bound for bound, count in bounds if count >= rank), float('inf'))
    return result, total, (finite[-1] if finite else None)


POD_STARTUP_METRICS = ('pod_startup', 'create_to_schedule', 'schedule_to_run', 'run_to_watch', 'schedule_to_watch', 'create_to_run')


def _metric_order(row):
    metric = row['metric']
    return (row['summary'], POD_STARTUP_METRICS.index(metric) if metric in POD_STARTUP_METRICS else len(POD_STARTUP_METRICS), metric)


def pod_startup_rows(summaries):
    """Rows {summary, metric, unit 'ms', p50, p90, p99} of the *PodStartupLatency* summaries, pod_startup first."""
    rows = []
    for summary in summaries:
        if summary['kind'] != 'PodStartupLatency' or not isinstance(summary.get('data'), dict):
            continue
        for item in summary['data'].get('dataItems') or []:
            if not isinstance(item, dict):
                continue
            data = item.get('data') or {}
            divisor = 0.001 if item.get('unit') == 's' else 1
            rows.append({
                'summary': summary['name'],
                'metric': (item.get('labels') or {}).get('Metric', ''),
                'unit': 'ms',
                'p50': _scaled(data.get('Perc50'), divisor),
                'p90': _scaled(data.get('Perc90'), divisor),
                'p99': _scaled(data.get('Perc99'), divisor),
            })
    return sorted(rows, key=_metric_order)


def scheduling_throughput(data):
    if not isinstance(data, dict):
        return None
    return {'unit': 'pods/s', 'p50': _number(data.get('perc50')), 'p90': _number(data.get('perc90')),
            'p99': _number(data.get('perc99')), 'max': _number(data.get('max'))}


def _ns_row(name, values):
    values = values if isinstance(values, dict) else {}
    return {'name': name, 'p50': _scaled(values.get('Perc50'), 1e6), 'p90': _scaled(values.get('Perc90'), 1e6),
            'p99': _scaled(values.get('Perc99'), 1e6)}


def scheduler_latency(data):
    """SchedulingMetrics (nanoseconds) as rows in milliseconds."""
    if not isinstance(data, dict):
        return None
    rows = [_ns_row(label, data.get(key)) for key, label in SCHEDULER_LATENCIES if key in data]
    points = data.get('frameworkExtensionPointDuration')
    if isinstance(points, dict):
        rows += [_ns_row('extension point %s' % point, points[point]) for point in sorted(points)]
    return {'unit': 'ms', 'source': 'nanoseconds in the summary', 'rows': rows}


def etcd(data):
    """EtcdMetrics: percentiles (ms) of its cumulative buckets, and the largest database size seen."""
    if not isinstance(data, dict):
        return None
    rows = []
    for key, label in ETCD_HISTOGRAMS:
        for series in data.get(key) or []:
            if not isinstance(series, dict):
                continue
            values, count, last = bucket_percentiles(series.get('buckets'))
            labels = dict((k, v) for k, v in (series.get('labels') or {}).items() if k != '__name__')
            row = {'metric': key, 'name': label, 'labels': labels, 'count': count,
                   'last_bound': _scaled(last, 0.001), 'above_last_bound': []}
            for p, value in values.items():
                if value is not None and math.isinf(value):
                    row['above_last_bound'].append('p%d' % p)
                    value = None
                row['p%d' % p] = _scaled(value, 0.001)
            rows.append(row)
    return {
        'unit': 'ms',
        'method': 'cumulative bucket counts since etcd started; each percentile is the upper bound of the first bucket '
                  'whose cumulative count reaches the rank',
        'rows': rows,
        'max_database_size_bytes': _number(data.get('maxDatabaseSize')),
    }


def resource_usage(data):
    """ResourceUsageSummary: per component, CPU (cores) and memory (bytes) at its percentiles 50/90/99/100."""
    if not isinstance(data, dict):
        return None
    components = {}
    for percentile in RESOURCE_PERCENTILES:
        for entry in data.get(percentile) or []:
            if not isinstance(entry, dict) or not entry.get('Name'):
                continue
            component = components.setdefault(entry['Name'], {'name': entry['Name'], 'cpu': {}, 'memory': {}})
            component['cpu'][percentile] = _number(entry.get('CPU'))
            component['memory'][percentile] = _number(entry.get('Mem'))
    return {'cpu_unit': 'cores', 'memory_unit': 'bytes', 'percentiles': list(RESOURCE_PERCENTILES),
            'components': [components[name] for name in sorted(components)]}


def restarts(data):
    """SystemPodMetrics: restarts per container of the system pods."""
    if not isinstance(data, dict):
        return None
    containers = []
    for pod in data.get('pods') or []:
        if not isinstance(pod, dict):
            continue
        for container in pod.get('containers') or []:
            if not isinstance(container, dict):
                continue
            containers.append({'pod': pod.get('name', ''), 'container': container.get('name', ''),
                               'restart_count': _number(container.get('restartCount')) or 0,
                               'last_restart_reason': container.get('lastRestartReason') or ''})
    return {'total': sum(c['restart_count'] for c in containers), 'containers': containers}


def cluster_ooms(data):
    if not isinstance(data, dict):
        return None
    return dict((key, len(data.get(key) or [])) for key in ('failures', 'past', 'ignored'))


# ----------------------------------------------------------------------------------------------
# One config, and the whole directory
# ----------------------------------------------------------------------------------------------

def _summaries(directory, test):
    summaries, raw, profiles, unreadable = [], [], [], []
    for filename in sorted(os.listdir(directory)):
        path = os.path.join(directory, filename)
        if not os.path.isfile(path):
            continue
        if filename.endswith('.pprof'):
            profiles.append({'file': filename, 'bytes': os.path.getsize(path)})
            continue
        if not filename.endswith('.json') or filename in (STATUS_FILE, 'cl2-metadata.json'):
            continue
        name = summary_name(filename, test)
        kind = summary_kind(name)
        size = os.path.getsize(path)
        entry = {'file': filename, 'name': name, 'kind': kind, 'bytes': size}
        if kind in RAW_SUMMARIES or size > MAX_JSON_BYTES:
            raw.append(entry)
            continue
        data, error = _read_json(path)
        if error:
            unreadable.append(error)
            continue
        entry['data'] = data
        summaries.append(entry)
    return summaries, raw, profiles, unreadable


def _owner(name, kind, identifiers):
    """The measurement identifier a summary belongs to, or None."""
    for identifier in identifiers:
        if name == identifier or name.endswith('_' + identifier):
            return identifier
    for identifier in identifiers:
        if identifier.endswith(kind):
            return identifier
    if kind in TEST_METRICS_SUMMARIES and 'TestMetrics' in identifiers:
        return 'TestMetrics'
    return None


def _measurements(junit, skipped_log, summary_names):
    """One entry per identifier, in junit order: status passed, failed (with its errors) or skipped (with why)."""
    by_identifier = {}
    order = []
    for case in junit.get('cases') or []:
        identifier = case.get('identifier')
        if not identifier:
            continue
        if identifier not in by_identifier:
            by_identifier[identifier] = {'identifier': identifier, 'actions': [], 'errors': []}
            order.append(identifier)
        entry = by_identifier[identifier]
        entry['actions'].append('step %02d %s: %s' % (case['step'], case['step_name'], 'failed' if case['failed'] else 'passed'))
        if case['failed']:
            entry['errors'] += case['errors']
    result = []
    for identifier in order:
        entry = by_identifier[identifier]
        owned = [name for name, owner in summary_names if owner == identifier]
        if entry['errors']:
            status, reason = FAILED, entry['errors'][0]
        elif identifier in skipped_log:
            status, reason = SKIPPED, skipped_log[identifier]
        elif identifier in PROMETHEUS_MEASUREMENTS and not owned:
            status, reason = SKIPPED, PROMETHEUS_REASON
        else:
            status, reason = PASSED, ''
        entry.update(status=status, reason=reason, summaries=owned)
        result.append(entry)
    return result


def read_config(directory, name=None):
    """Everything of one config's result directory (see the module's docstring)."""
    status = read_status(directory)
    result = {
        'name': name or os.path.basename(directory.rstrip(os.sep)),
        'config': status.get('config'),
        'status': FAILED,
        'reason': '',
        'exit_code': status.get('exit_code'),
        'commit': status.get('commit'),
        'repository': status.get('repository'),
        'overrides': status.get('overrides') or [],
    }
    junit_path = os.path.join(directory, JUNIT_FILE)
    junit = read_junit(junit_path) if os.path.isfile(junit_path) else None
    test = (junit or {}).get('test')
    result['test'] = test
    if not result['config'] and junit:
        result['config'] = junit.get('config')

    summaries, raw, profiles, unreadable = _summaries(directory, test)
    identifiers = []
    for case in (junit or {}).get('cases') or []:
        if case.get('identifier') and case['identifier'] not in identifiers:
            identifiers.append(case['identifier'])
    owners = [(entry['name'], _owner(entry['name'], entry['kind'], identifiers)) for entry in summaries + raw]
    result['measurements'] = _measurements(junit or {}, skipped_in_log(os.path.join(directory, LOG_FILE)), owners)
    result['failed_steps'] = _failed_steps(junit or {})
    if junit is None:
        result['junit'] = None
    elif 'error' in junit:
        result['junit'] = {'error': junit['error']}
    else:
        result['junit'] = {'testcases': junit['testcases'], 'failures': junit['failures']}

    by_kind = {}
    for entry in summaries:
        by_kind.setdefault(entry['kind'], entry)
    result['pod_startup'] = pod_startup_rows(summaries)
    result['scheduling_throughput'] = scheduling_throughput((by_kind.get('SchedulingThroughput') or {}).get('data'))
    result['scheduler_latency'] = scheduler_latency((by_kind.get('SchedulingMetrics') or {}).get('data'))
    result['etcd'] = etcd((by_kind.get('EtcdMetrics') or {}).get('data'))
    result['resource_usage'] = resource_usage((by_kind.get('ResourceUsageSummary') or {}).get('data'))
    result['restarts'] = restarts((by_kind.get('SystemPodMetrics') or {}).get('data'))
    result['cluster_ooms'] = cluster_ooms((by_kind.get('ClusterOOMsTracker') or {}).get('data'))
    result['raw_summaries'] = [{'file': entry['file'], 'summary': entry['name'], 'bytes': entry['bytes']} for entry in raw]
    result['profiles'] = profiles
    result['summaries'] = [entry['file'] for entry in summaries]
    result['unreadable'] = unreadable

    # The status: the role's word (status.json) and clusterloader2's (junit.xml) must both say ok;
    # junit's failures come first in the reason, they say more than "exited with 1".
    problems = []
    if junit is None:
        problems.append('no %s: clusterloader2 stopped before the end of the test' % JUNIT_FILE)
    elif 'error' in junit:
        problems.append(junit['error'])
    else:
        problems += ['%s failed: %s' % (m['identifier'], m['reason']) for m in result['measurements'] if m['status'] == FAILED]
        problems += ['%s: %s' % (step['name'], step['errors'][0]) for step in result['failed_steps'] if step['errors']]
    if 'error' in status:
        problems.append(status['error'])
    elif not status:
        problems.append('no %s: the role did not finish this config' % STATUS_FILE)
    elif status.get('status') != OK:
        problems.append(status.get('reason') or 'clusterloader2 exited with %s' % status.get('exit_code'))
    result['status'] = FAILED if problems else OK
    result['reason'] = '; '.join(_unique(problems))
    return result


def _failed_steps(junit):
    """Failed testcases that are no measurement: steps, wrapper measurements, and errors only the overall testcase has."""
    cases = junit.get('cases') or []
    steps = [{'name': case['name'], 'errors': case['errors']} for case in cases
             if case['failed'] and not case.get('identifier') and not case.get('overall')]
    seen = set(line for case in cases if not case.get('overall') for line in case['errors'])
    for case in cases:
        if case.get('overall') and case['failed']:
            rest = [line for line in case['errors'] if line not in seen]
            if rest:
                steps.append({'name': case['name'], 'errors': rest})
    return steps


def _unique(items):
    seen, result = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


def read(directory):
    """{'status', 'reason', 'commit', 'repository', 'setup', 'configs': [...]} of <run>/clusterloader2.

    status: 'not-run' when the directory does not exist; 'failed' when the role could not get
    clusterloader2 (top-level status.json), when a config failed or when there is no result at
    all; 'ok' when every config passed.
    """
    if not directory or not os.path.isdir(directory):
        return {'status': NOT_RUN, 'reason': 'clusterloader2 was not run', 'configs': []}
    setup = read_status(directory)
    configs = [read_config(os.path.join(directory, name), name) for name in sorted(os.listdir(directory))
               if os.path.isdir(os.path.join(directory, name))]
    result = {'status': OK, 'reason': '', 'setup': setup or None, 'configs': configs,
              'commit': setup.get('commit') or next((c['commit'] for c in configs if c.get('commit')), None),
              'repository': setup.get('repository') or next((c['repository'] for c in configs if c.get('repository')), None)}
    reasons = []
    if 'error' in setup:
        reasons.append(setup['error'])
    elif setup.get('status') == FAILED:
        reasons.append('clusterloader2 could not run: %s' % (setup.get('reason') or 'no reason given'))
    for config in configs:
        if config['status'] != OK:
            reasons.append('%s: %s' % (config['name'], config['reason']))
    if not configs and not reasons:
        reasons.append('no result: %s holds no test config directory' % directory)
    if reasons:
        result['status'] = FAILED
        result['reason'] = '; '.join(reasons)
    return result


def config_statuses(cl2):
    """{config name: status} of a read() result."""
    return dict((config['name'], config['status']) for config in cl2.get('configs') or [])
