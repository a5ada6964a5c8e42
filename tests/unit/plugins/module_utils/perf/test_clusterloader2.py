# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clusterloader2's results as the perf role leaves them: one directory per test config (a real
load run on 10 hollow nodes), or a top-level status.json when clusterloader2 could not run."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import clusterloader2
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import (
    TESTMETRICS_ERROR, add_clusterloader2, fail_measurement, write_json)

PROMETHEUS_SKIPPED = ['APIResponsivenessPrometheus', 'APIResponsivenessPrometheusSimple', 'SLOMeasurement', 'NetworkProgrammingLatency',
                      'Kube-proxy partial iptables restore failures', 'InitEvents', 'ResourceSize', 'ObjectCount']


def read(tmp_path):
    return clusterloader2.read(str(tmp_path / 'clusterloader2'))


def by_identifier(config):
    return dict((m['identifier'], m) for m in config['measurements'])


def test_absent_directory_is_not_run(tmp_path):
    result = read(tmp_path)
    assert result['status'] == 'not-run' and result['configs'] == []


def test_all_pass_load_run(tmp_path):
    add_clusterloader2(str(tmp_path))
    result = read(tmp_path)
    assert result['status'] == 'ok' and result['reason'] == ''
    assert result['commit'] == '4b3415444f4c62406d508539732abee3eadd3aa8'
    assert clusterloader2.config_statuses(result) == {'load': 'ok'}
    config = result['configs'][0]
    assert config['config'] == 'testing/load/config.yaml' and config['test'] == 'load' and config['exit_code'] == 0
    assert config['junit'] == {'testcases': 38, 'failures': 0}
    assert config['failed_steps'] == []
    measurements = by_identifier(config)
    assert [m['identifier'] for m in config['measurements']][:3] == [
        'APIResponsivenessPrometheus', 'APIResponsivenessPrometheusSimple', 'CreatePhasePodStartupLatency']
    assert len(measurements) == 11
    assert measurements['CreatePhasePodStartupLatency']['status'] == 'passed'
    assert measurements['CreatePhasePodStartupLatency']['summaries'] == [
        'PodStartupLatency_CreatePhasePodStartupLatency', 'StatefulPodStartupLatency_CreatePhasePodStartupLatency',
        'StatelessPodStartupLatency_CreatePhasePodStartupLatency']
    assert measurements['TestMetrics']['status'] == 'passed'
    assert sorted(measurements['TestMetrics']['summaries']) == [
        'ClusterOOMsTracker', 'EtcdMetrics', 'MetricsForE2E', 'ResourceUsageSummary', 'SchedulingMetrics', 'SystemPodMetrics']
    assert len(measurements['TestMetrics']['actions']) == 2  # start and gather


def test_figures_and_units(tmp_path):
    add_clusterloader2(str(tmp_path))
    config = read(tmp_path)['configs'][0]
    startup = [row for row in config['pod_startup'] if row['metric'] == 'pod_startup']
    assert startup[0] == {'summary': 'PodStartupLatency_CreatePhasePodStartupLatency', 'metric': 'pod_startup', 'unit': 'ms',
                          'p50': 1524.716671, 'p90': 2713.827442, 'p99': 3587.898963}
    assert config['scheduling_throughput'] is None  # the load config measures it from 100 nodes on
    latency = dict((row['name'], row) for row in config['scheduler_latency']['rows'])
    assert config['scheduler_latency']['unit'] == 'ms'
    assert latency['e2e scheduling'] == {'name': 'e2e scheduling', 'p50': 110.30303, 'p90': 296.941176, 'p99': 587.093333}
    assert latency['extension point Bind']['p99'] == 204.8
    etcd = config['etcd']
    assert etcd['unit'] == 'ms' and etcd['max_database_size_bytes'] == 24485888
    rows = dict((row['metric'], row) for row in etcd['rows'])
    # backend commit: 4673 observations; rank 2337 is first reached in the 0.002 s bucket (3016),
    # rank 4206 in 0.008 (4357), rank 4627 in 0.064 (4653).
    assert (rows['backendCommitDuration']['count'], rows['backendCommitDuration']['p50'], rows['backendCommitDuration']['p90'],
            rows['backendCommitDuration']['p99']) == (4673, 2.0, 8.0, 64.0)
    assert rows['walFsyncDuration']['p99'] == 32.0
    assert 'peerRoundTripTime' not in rows  # a single member has no peers
    usage = dict((c['name'], c) for c in config['resource_usage']['components'])
    assert usage['apiserver/apiserver']['cpu'] == {'50': 0.059000000000000004, '90': 0.068, '99': 0.068, '100': 0.068}
    assert usage['scheduler/scheduler']['memory']['100'] == 91009024
    assert config['restarts']['total'] == 0 and len(config['restarts']['containers']) == 4
    assert config['cluster_ooms'] == {'failures': 0, 'past': 0, 'ignored': 0}
    assert config['raw_summaries'] == [{'file': 'MetricsForE2E_load_2026-12-04T171754Z.json', 'summary': 'MetricsForE2E', 'bytes': 424}]
    assert 'MetricsForE2E_load_2026-12-04T171754Z.json' not in config['summaries']


def test_prometheus_measurements_are_skipped_not_passed(tmp_path):
    add_clusterloader2(str(tmp_path))
    measurements = by_identifier(read(tmp_path)['configs'][0])
    for identifier in PROMETHEUS_SKIPPED:
        assert measurements[identifier]['status'] == 'skipped', identifier
        assert measurements[identifier]['reason'] == 'needs Prometheus, which this cluster does not run'
    # The log says why: clusterloader2 never runs its probes on kubemark.
    assert measurements['InClusterNetworkLatency']['status'] == 'skipped'
    assert 'probes' in measurements['InClusterNetworkLatency']['reason']


def test_prometheus_measurements_without_the_log(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    os.remove(os.path.join(directory, 'clusterloader2.log'))
    # A Prometheus-based measurement that did write a summary ran after all.
    write_json(os.path.join(directory, 'APIResponsivenessPrometheus_load_2026-12-04T171753Z.json'), {'version': 'v1', 'dataItems': []})
    measurements = by_identifier(read(tmp_path)['configs'][0])
    assert measurements['ObjectCount']['status'] == 'skipped'
    assert measurements['InClusterNetworkLatency']['reason'] == 'needs Prometheus, which this cluster does not run'
    assert measurements['APIResponsivenessPrometheus']['status'] == 'passed'


def test_failed_measurement(tmp_path):
    directory = add_clusterloader2(str(tmp_path), names=('load', 'node-throughput'))
    fail_measurement(directory)
    result = read(tmp_path)
    assert result['status'] == 'failed'
    assert clusterloader2.config_statuses(result) == {'load': 'failed', 'node-throughput': 'ok'}
    config = result['configs'][0]
    assert config['junit'] == {'testcases': 38, 'failures': 2}
    testmetrics = by_identifier(config)['TestMetrics']
    assert testmetrics['status'] == 'failed'
    assert testmetrics['errors'] == [TESTMETRICS_ERROR]
    assert testmetrics['reason'] == TESTMETRICS_ERROR
    # The overall testcase repeats the measurement's error: it is not listed again.
    assert config['failed_steps'] == []
    assert config['reason'].startswith('TestMetrics failed: measurement call TestMetrics - TestMetrics error')
    assert config['reason'].endswith('clusterloader2 exited with 1: E1204 17:17:54 clusterloader.go:456] 1 tests have failed')
    assert result['reason'].startswith('load: TestMetrics failed')
    # Its figures are still read.
    assert config['etcd']['max_database_size_bytes'] == 24485888


def test_failed_step(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    fail_measurement(directory, "[step: 07] Waiting for 'create objects' to be completed [00] - ",
                     'measurement call WaitForControlledPodsRunning - WaitForRunningDeployments error: 1 objects timed out')
    config = read(tmp_path)['configs'][0]
    assert config['status'] == 'failed'
    assert [step['name'] for step in config['failed_steps']] == ["load: [step: 07] Waiting for 'create objects' to be completed [00] - "]
    assert 'timed out' in config['reason']
    assert all(m['status'] != 'failed' for m in config['measurements'])


def test_status_ok_but_junit_failed_or_missing(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    os.remove(os.path.join(directory, 'junit.xml'))
    config = read(tmp_path)['configs'][0]
    assert config['status'] == 'failed' and 'no junit.xml' in config['reason']
    assert config['junit'] is None and config['measurements'] == []


def test_config_without_status_json(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    os.remove(os.path.join(directory, 'status.json'))
    config = read(tmp_path)['configs'][0]
    assert config['status'] == 'failed' and 'no status.json' in config['reason']
    assert config['config'] == 'testing/load/config.yaml'  # from junit's overall testcase


def test_top_level_failure_status(tmp_path):
    directory = tmp_path / 'clusterloader2'
    directory.mkdir()
    status = {'status': 'failed', 'commit': '', 'repository': 'https://example.invalid/perf-tests.git',
              'reason': 'Failed to clone: repository not found'}
    write_json(str(directory / 'status.json'), status)
    result = read(tmp_path)
    assert result['status'] == 'failed' and result['configs'] == []
    assert result['reason'] == 'clusterloader2 could not run: Failed to clone: repository not found'
    assert result['repository'] == 'https://example.invalid/perf-tests.git'


def test_top_level_failure_after_some_configs(tmp_path):
    add_clusterloader2(str(tmp_path))
    write_json(str(tmp_path / 'clusterloader2' / 'status.json'), {'status': 'failed', 'reason': 'overrides could not be written'})
    result = read(tmp_path)
    assert result['status'] == 'failed'
    assert clusterloader2.config_statuses(result) == {'load': 'ok'}
    assert 'overrides could not be written' in result['reason']


def test_empty_directory_is_no_pass(tmp_path):
    (tmp_path / 'clusterloader2').mkdir()
    result = read(tmp_path)
    assert result['status'] == 'failed' and 'no result' in result['reason']


def test_unreadable_files(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    with open(os.path.join(directory, 'junit.xml'), 'w') as handle:
        handle.write('<testsuite')
    with open(os.path.join(directory, 'SchedulingMetrics_load_2026-12-04T171753Z.json'), 'w') as handle:
        handle.write('{')
    config = read(tmp_path)['configs'][0]
    assert config['status'] == 'failed' and 'junit.xml' in config['reason']
    assert config['scheduler_latency'] is None
    assert config['unreadable'] and config['unreadable'][0].startswith('SchedulingMetrics_load_')


@pytest.mark.parametrize('name, test, summary', [
    ('PodStartupLatency_CreatePhasePodStartupLatency_load_2026-12-04T17:17:53Z.json', 'load', 'PodStartupLatency_CreatePhasePodStartupLatency'),
    ('EtcdMetrics_load_2026-12-04T17:17:53Z.json', 'load', 'EtcdMetrics'),
    ('SchedulingThroughput_direct-scheduler-throughput_2026-12-04T17:17:53Z.json', 'direct-scheduler-throughput', 'SchedulingThroughput'),
    ('EtcdMetrics_load_2026-12-04T171753Z.json', None, 'EtcdMetrics'),
])
def test_summary_names(name, test, summary):
    assert clusterloader2.summary_name(name, test) == summary


def test_case_names():
    assert clusterloader2.parse_case_name('load: [step: 17] gathering measurements [08] - TestMetrics') == {
        'test': 'load', 'step': 17, 'step_name': 'gathering measurements', 'index': 8, 'identifier': 'TestMetrics'}
    assert clusterloader2.parse_case_name('load: [step: 01] starting measurements [06] - Kube-proxy partial iptables restore failures')[
        'identifier'] == 'Kube-proxy partial iptables restore failures'
    assert clusterloader2.parse_case_name('load: [step: 06] create objects')['identifier'] == ''
    assert clusterloader2.parse_case_name("load: [step: 05] Starting measurement for 'create objects' [00] - ")['identifier'] == ''
    assert clusterloader2.parse_case_name('load overall (testing/load/config.yaml)') is None


def test_failure_lines():
    assert clusterloader2.failure_lines(':0\n[first error\nsecond error]\n:0') == ['first error', 'second error']
    assert clusterloader2.failure_lines('') == []


def test_bucket_percentiles():
    values, count, last = clusterloader2.bucket_percentiles({'0.1': 50, '0.2': 90, '0.4': 98, '+Inf': 100})
    assert (values, count, last) == ({50: 0.1, 90: 0.2, 99: float('inf')}, 100, 0.4)
    assert clusterloader2.bucket_percentiles({})[0] == {50: None, 90: None, 99: None}


def test_beyond_the_last_bucket_is_said_so(tmp_path):
    directory = add_clusterloader2(str(tmp_path))
    path = [os.path.join(directory, name) for name in os.listdir(directory) if name.startswith('EtcdMetrics_')][0]
    with open(path) as handle:
        data = json.load(handle)
    data['peerRoundTripTime'] = [{'labels': {'To': 'member-2'}, 'buckets': {'0.1': 1, '0.2': 1, '+Inf': 10}}]
    write_json(path, data)
    rows = dict((row['metric'], row) for row in read(tmp_path)['configs'][0]['etcd']['rows'])
    peer = rows['peerRoundTripTime']
    assert peer['labels'] == {'To': 'member-2'}
    assert peer['p50'] is None and peer['above_last_bound'] == ['p50', 'p90', 'p99'] and peer['last_bound'] == 200.0
