# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A synthetic samples directory of the density test with known figures, for the report tests."""

from __future__ import annotations

import json
import os
import shutil
from xml.etree import ElementTree

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import samples

T0 = 1800000000.0
LEVELS = (10, 50, 100)


def write_samples(directory, status='complete', slow_pod=False, levels=LEVELS, complete_levels=None, scrapes=True):
    """Pods: at level L, 100 pods whose startup latencies are 0.01*i s for i=1..100 (+L/100 s).

    So at every level p10 = 0.1 + L/100, p50 = 0.5 + L/100, p90 = 0.9 + L/100, p99 = 0.99 + L/100.
    """
    os.makedirs(os.path.join(directory, samples.METRICS_DIR), exist_ok=True)
    pods, calls, run_levels = [], [], []
    for index, level in enumerate(levels):
        start = T0 + 100 * index
        for i in range(1, 101):
            latency = 0.01 * i + level / 100.0
            if slow_pod and level == levels[-1] and i >= 99:
                latency = 9.0
            pods.append({'level': level, 'name': 'p-%d-%d' % (level, i), 'created': start, 'scheduled': start + 0.5 * (i % 3),
                         'started': start + latency - 0.1, 'observed': start + latency, 'observed_by': 'watch'})
            for verb, resource, scope in (('GET', 'pods', 'resource'), ('LIST', 'nodes', 'cluster'), ('PUT', 'replicationcontrollers', 'resource')):
                calls.append({'level': level, 'verb': verb, 'resource': resource, 'scope': scope, 'seconds': 0.001 * i,
                              'status': 200, 'source': 'probe', 't': start})
        entry = {'percent': level, 'target_pods': 100 * (index + 1), 'pods_added': 100, 'pods_running': 100, 'started': start,
                 'filled': start + 10, 'finished': start + 20, 'metrics_before_time': start - 1, 'metrics_after_time': start + 19,
                 'complete': True if complete_levels is None else level in complete_levels, 'metrics': {}}
        if scrapes:
            for moment, scheduled in (('before', 1000 * index), ('after', 1000 * index + 100)):
                name = '%03d-%s-scheduler.prom' % (level, moment)
                with open(os.path.join(directory, samples.METRICS_DIR, name), 'w') as handle:
                    handle.write('scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} %d\n' % scheduled)
                    handle.write('scheduler_pending_pods{queue="active"} 0\n')
                api = '%03d-%s-apiserver.prom' % (level, moment)
                count = 10 * index + (10 if moment == 'after' else 0)
                with open(os.path.join(directory, samples.METRICS_DIR, api), 'w') as handle:
                    for bound, value in (('0.005', count), ('1', count), ('+Inf', count)):
                        handle.write('apiserver_request_duration_seconds_bucket{resource="pods",scope="resource",subresource="",'
                                     'verb="GET",dry_run="",le="%s"} %d\n' % (bound, value))
                    handle.write('apiserver_request_duration_seconds_count{resource="pods",scope="resource",subresource="",verb="GET",dry_run=""} %d\n' % count)
                entry['metrics'][moment] = {'apiserver': os.path.join(samples.METRICS_DIR, api),
                                            'scheduler': os.path.join(samples.METRICS_DIR, name)}
        run_levels.append(entry)
    samples.append_jsonl(os.path.join(directory, samples.POD_STARTUP_FILE), pods)
    samples.append_jsonl(os.path.join(directory, samples.API_CALLS_FILE), calls)
    samples.append_jsonl(os.path.join(directory, samples.NODE_STARTUP_FILE),
                         [{'name': 'hollow-%d' % i, 'created': T0, 'ready': T0 + (i % 3)} for i in range(10)])
    run = {'format': samples.FORMAT, 'run_id': 'unit', 'status': status, 'error': None if status == 'complete' else 'boom',
           'errors': [], 'started': T0, 'started_at': '2027-01-15T08:00:00Z', 'finished_at': '2027-01-15T08:10:00Z',
           'duration_seconds': 600.0, 'levels': run_levels, 'profiles': [],
           'parameters': {'nodes': 10, 'pods_per_node': 30, 'workload': 'deployment', 'pods_per_controller': 10, 'pod_creation_qps': 20},
           'cluster': {'server_version': 'v1.33.13', 'ready_nodes': 10, 'capacity': 300}}
    with open(os.path.join(directory, samples.RUN_FILE), 'w') as handle:
        json.dump(run, handle)
    return directory


# ----------------------------------------------------------------------------------------------
# clusterloader2 and e2e.test results beside the samples, from the fixtures (see fixtures/README.md)
# ----------------------------------------------------------------------------------------------

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')
CL2_LOAD = os.path.join(FIXTURES, 'clusterloader2', 'load')
TESTMETRICS_ERROR = ('measurement call TestMetrics - TestMetrics error: [action gather failed for EtcdMetrics measurement: '
                     'failed to collect etcd database size]')


def add_clusterloader2(run_dir, names=('load',)):
    """<run>/clusterloader2/<name>/ for every name, each a copy of the real load run; the directory of the first."""
    directories = []
    for name in names:
        directory = os.path.join(run_dir, samples.CLUSTERLOADER2_DIR, name)
        shutil.copytree(CL2_LOAD, directory)
        directories.append(directory)
    return directories[0]


def write_json(path, data):
    with open(path, 'w') as handle:
        json.dump(data, handle)


def read_json(path):
    with open(path) as handle:
        return json.load(handle)


def fail_measurement(config_dir, case_suffix='[step: 17] gathering measurements [08] - TestMetrics', error=TESTMETRICS_ERROR):
    """Make one testcase of junit.xml fail as clusterloader2 writes it (and the overall testcase), and status.json say so."""
    path = os.path.join(config_dir, 'junit.xml')
    tree = ElementTree.parse(path)
    suite = tree.getroot()
    failed = 0
    for case in suite.iter('testcase'):
        if case.get('name').endswith(case_suffix) or ' overall (' in case.get('name'):
            failure = ElementTree.SubElement(case, 'failure', {'type': 'Failure'})
            failure.text = ':0\n[%s]\n:0' % error
            failed += 1
    suite.set('failures', str(failed))
    tree.write(path)
    status = read_json(os.path.join(config_dir, 'status.json'))
    status.update(status='failed', exit_code=1, reason='clusterloader2 exited with 1: E1204 17:17:54 clusterloader.go:456] 1 tests have failed')
    write_json(os.path.join(config_dir, 'status.json'), status)


def add_e2e(run_dir, junit='junit-passed.xml', status='ok', **fields):
    """<run>/e2e/ with a fixture junit as junit_01.xml (None: none) and the role's status.json (None: none)."""
    directory = os.path.join(run_dir, samples.E2E_DIR)
    os.makedirs(directory)
    if junit:
        shutil.copy(os.path.join(FIXTURES, 'e2e', junit), os.path.join(directory, 'junit_01.xml'))
    if status:
        data = {'status': status, 'exit_code': 0 if status == 'ok' else 1, 'version': 'v1.37.2',
                'focus': r'\[sig-apps\] (Deployment|ReplicaSet) ', 'skip': 'should serve a basic image on each replica',
                'label_filter': 'Conformance && !Slow && !Disruptive', 'reason': '' if status == 'ok' else 'e2e.test exited with 1'}
        data.update(fields)
        write_json(os.path.join(directory, 'status.json'), data)
    return directory
