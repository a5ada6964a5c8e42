# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""report.json content and report.md tables from a samples directory with known figures."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import report, samples
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import (
    add_clusterloader2, add_e2e, fail_measurement, write_json)


def test_percentiles_are_exact_per_level(samples_dir):
    data = report.build(samples_dir())
    assert data['levels'] == [10, 50, 100]
    for level in (10, 50, 100):
        summary = data['pod_startup'][str(level)]
        assert summary['count'] == 100
        for p in (10, 50, 90, 99):
            assert summary['p%d' % p] == pytest.approx(0.01 * p + level / 100.0)
    assert data['status'] == 'complete'
    assert data['verdict'] == 'pass'


def test_api_rows_per_verb_and_resource_in_seed_order(samples_dir):
    data = report.build(samples_dir())
    keys = [(row['verb'], row['resource'], row['scope']) for row in data['api_calls']]
    assert keys == [('LIST', 'nodes', 'cluster'), ('GET', 'pods', 'resource'), ('PUT', 'replicationcontrollers', 'resource')]
    row = data['api_calls'][1]
    assert row['levels']['50']['p99'] == pytest.approx(0.099)
    assert row['threshold'] == 1.0
    assert data['api_calls'][0]['threshold'] == 30.0


def test_slo_failure_is_reported(samples_dir):
    data = report.build(samples_dir(slow_pod=True))
    failed = [c for c in data['slo_checks'] if c['verdict'] == 'fail']
    assert [(c['slo'], c['level']) for c in failed] == [('pod_startup', 100)]
    assert failed[0]['value'] == pytest.approx(9.0)  # two slow pods of 100: the 99th sample is slow
    assert data['verdict'] == 'fail'


def test_incomplete_runs_are_never_a_pass(samples_dir):
    data = report.build(samples_dir(status='incomplete'))
    assert data['status'] == 'incomplete' and data['verdict'] == 'incomplete'
    assert data['errors'] == ['boom']
    text = report.markdown(data)
    assert 'INCOMPLETE' in text and 'incomplete' in text
    # A level that did not finish makes the run incomplete even when run.json says complete.
    data = report.build(samples_dir(complete_levels=(10, 50)))
    assert data['verdict'] == 'incomplete'


def test_stale_running_status_is_incomplete(samples_dir):
    assert report.build(samples_dir(status='running'))['verdict'] == 'incomplete'


def test_server_side_figures(samples_dir):
    data = report.build(samples_dir())
    scheduler = data['server']['50']['scheduler']
    assert scheduler['attempts'] == {'scheduled': 100}
    assert scheduler['throughput_pods_per_second'] == pytest.approx(100 / 20.0)
    rows = data['server']['10']['apiserver']
    assert rows[0]['verb'] == 'GET' and rows[0]['count'] == 10 and rows[0]['slow_count'] == 0
    assert data['scheduling_timeline'][0][0] == 0


def test_markdown_has_the_seed_002_table(samples_dir):
    text = report.markdown(report.build(samples_dir()))
    lines = text.splitlines()
    header = lines.index('| | 10%-full | 50%-full | 100%-full |')
    assert lines[header + 2].startswith('| 10th percentile | 200.0 ms | 600.0 ms | 1.100 s |')
    assert lines[header + 3].startswith('| 50th percentile | 600.0 ms | 1.000 s | 1.500 s |')
    assert lines[header + 5].startswith('| 99th percentile | 1.090 s | 1.490 s | 1.990 s |')
    assert lines[header + 7] == '| SLO p99 ≤ 5.000 s | PASS ✅ | PASS ✅ | PASS ✅ |'
    assert '### GET pods (scope resource)' in text
    assert '## clusterloader2' in text and 'clusterloader2 was not run' in text


def test_reproducible_from_raw_samples(samples_dir):
    directory = samples_dir()
    first = json.dumps(report.build(directory), sort_keys=True)
    second = json.dumps(report.build(directory), sort_keys=True)
    assert first == second


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(samples.SamplesError, match='run.json is missing'):
        report.build(str(tmp_path))


def test_torn_last_line_is_skipped(samples_dir):
    directory = samples_dir()
    with open(os.path.join(directory, samples.POD_STARTUP_FILE), 'a') as handle:
        handle.write('{"level": 10, "name": "torn"')
    assert report.build(directory)['pod_startup']['10']['count'] == 100


def test_suites_not_run_do_not_change_the_verdict(samples_dir):
    data = report.build(samples_dir())
    assert data['suites']['clusterloader2'] == {'status': 'not-run', 'reason': 'clusterloader2 was not run', 'configs': {}}
    assert data['suites']['e2e']['status'] == 'not-run'
    assert data['verdict'] == data['slo_verdict'] == 'pass'
    text = report.markdown(data)
    assert '| clusterloader2 | not run | clusterloader2 was not run |' in text
    assert '## e2e.test' in text and 'e2e.test was not run' in text


def test_passing_suites_keep_the_pass(samples_dir):
    directory = samples_dir()
    add_clusterloader2(directory, names=('load', 'pod-startup-latency'))
    add_e2e(directory)
    data = report.build(directory)
    assert data['suites'] == {
        'clusterloader2': {'status': 'ok', 'reason': '', 'configs': {'load': 'ok', 'pod-startup-latency': 'ok'}},
        'e2e': {'status': 'ok', 'reason': '', 'passed': 4, 'failed': 0, 'skipped': 1, 'not_selected': 3},
    }
    assert data['verdict'] == 'pass'
    assert [config['name'] for config in data['clusterloader2']['configs']] == ['load', 'pod-startup-latency']
    assert data['e2e']['counts']['passed'] == 4


def test_failed_clusterloader2_config_fails_the_verdict(samples_dir):
    directory = samples_dir()
    fail_measurement(add_clusterloader2(directory))
    data = report.build(directory)
    assert data['slo_verdict'] == 'pass' and data['verdict'] == 'fail'
    assert data['suites']['clusterloader2']['status'] == 'failed'
    assert data['suites']['clusterloader2']['configs'] == {'load': 'failed'}
    text = report.markdown(data)
    assert '**Verdict: FAIL ❌**' in text
    assert '### load (testing/load/config.yaml): FAILED ❌' in text
    assert '| TestMetrics | failed: measurement call TestMetrics - TestMetrics error: [action gather failed for EtcdMetrics' in text


def test_clusterloader2_that_could_not_run_fails_the_verdict(samples_dir):
    directory = samples_dir()
    os.makedirs(os.path.join(directory, samples.CLUSTERLOADER2_DIR))
    write_json(os.path.join(directory, samples.CLUSTERLOADER2_DIR, 'status.json'),
               {'status': 'failed', 'commit': '', 'repository': 'https://example.invalid/x.git', 'reason': 'go build failed'})
    data = report.build(directory)
    assert data['verdict'] == 'fail'
    assert data['clusterloader2']['reason'] == 'clusterloader2 could not run: go build failed'
    assert '- reason: clusterloader2 could not run: go build failed' in report.markdown(data)


def test_failed_e2e_fails_the_verdict(samples_dir):
    directory = samples_dir()
    add_e2e(directory, 'junit-failed.xml', status='failed')
    data = report.build(directory)
    assert data['verdict'] == 'fail' and data['slo_verdict'] == 'pass'
    assert data['suites']['e2e'] == {'status': 'failed', 'reason': data['e2e']['reason'], 'passed': 3, 'failed': 2, 'skipped': 0,
                                     'not_selected': 3}
    text = report.markdown(data)
    assert '| 3 | 2 | 0 | 3 |' in text
    assert ('- [sig-node] Pods Extended (pod generation) Pod Generation pod generation should start at 1 and increment per update '
            '[MinimumKubeletVersion:1.34] [Conformance]: [FAILED] Timed out after 300.001s.') in text


def test_e2e_suite_setup_failure_is_said(samples_dir):
    directory = samples_dir()
    add_e2e(directory, 'junit-setup-failed.xml', status='failed')
    data = report.build(directory)
    assert data['verdict'] == 'fail'
    assert 'The suite setup ([SynchronizedBeforeSuite]) failed, so no test ran' in report.markdown(data)


def test_incomplete_stays_incomplete_with_a_failed_suite(samples_dir):
    directory = samples_dir(status='incomplete')
    add_e2e(directory, 'junit-failed.xml', status='failed')
    data = report.build(directory)
    assert data['verdict'] == 'incomplete' and data['suites']['e2e']['status'] == 'failed'


def test_markdown_sections_of_the_suites(samples_dir):
    directory = samples_dir()
    add_clusterloader2(directory)
    add_e2e(directory)
    text = report.markdown(report.build(directory))
    lines = text.splitlines()
    # Beside the built-in tables, after them.
    assert lines.index('## clusterloader2') > lines.index('## Pod startup latency')
    assert lines.index('## e2e.test') > lines.index('## clusterloader2')
    assert '| suite | status | detail |' in lines
    assert '| clusterloader2 | OK ✅ | load ok |' in lines
    assert '| e2e.test | OK ✅ | 4 passed, 0 failed, 1 skipped at run time |' in lines
    assert '### load (testing/load/config.yaml): OK ✅' in lines
    assert '| APIResponsivenessPrometheus | skipped: needs Prometheus, which this cluster does not run | — |' in lines
    assert ('| CreatePhasePodStartupLatency | passed | PodStartupLatency_CreatePhasePodStartupLatency: pod_startup p50 1524.7, '
            'p90 2713.8, p99 3587.9 ms;') in text
    assert '| PodStartupLatency_CreatePhasePodStartupLatency | pod_startup | 1524.7 | 2713.8 | 3587.9 |' in lines
    assert '#### Scheduler latencies (ms; SchedulingMetrics reports nanoseconds)' in lines
    assert '| e2e scheduling | 110.3 | 296.9 | 587.1 |' in lines
    assert '| backend commit | 4673 | 2.0 | 8.0 | 64.0 |' in lines
    assert 'upper bound of the first bucket whose cumulative count reaches the rank' in text
    assert '- largest database size: 23.4 MiB (24485888 bytes)' in lines
    assert '| apiserver/apiserver | 0.059 | 0.068 | 0.068 | 0.068 | 430.6 | 462.6 | 462.6 | 462.6 |' in lines
    assert '0 container restarts in all.' in lines
    assert any(line.startswith('- MetricsForE2E_load_') and 'not embedded' in line for line in lines)
    assert '| 4 | 0 | 1 | 3 |' in lines
    assert '- label filter: `Conformance && !Slow && !Disruptive`' in lines
    assert '- focus: `\\[sig-apps\\] (Deployment|ReplicaSet)`' in lines
    assert '### Skipped at run time' in lines
