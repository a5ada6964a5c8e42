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
    assert '## clusterloader2' in text and 'not-run' in text


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


def test_clusterloader2_summaries_are_read(samples_dir):
    directory = samples_dir()
    cl2 = os.path.join(directory, samples.CLUSTERLOADER2_DIR)
    os.makedirs(cl2)
    with open(os.path.join(cl2, 'status.json'), 'w') as handle:
        json.dump({'status': 'ok', 'version': 'v0.0.0-20200615121956-f3cf096d4378'}, handle)
    with open(os.path.join(cl2, 'PodStartupLatency_SaturationPodStartupLatency_density_2026-11-23T12:00:00Z.json'), 'w') as handle:
        json.dump({'version': 'v1', 'dataItems': [{'data': {'Perc50': 800.5, 'Perc90': 1200, 'Perc99': 1900}, 'unit': 'ms',
                                                   'labels': {'Metric': 'pod_startup'}}]}, handle)
    with open(os.path.join(cl2, 'junit.xml'), 'w') as handle:
        handle.write('<testsuite tests="2" failures="1" errors="0"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>')
    data = report.build(directory)
    assert data['clusterloader2']['status'] == 'ok'
    assert data['clusterloader2']['junit'] == {'tests': 2, 'failures': 1, 'errors': 0, 'failed': ['b']}
    summary = data['clusterloader2']['summaries'][0]
    assert summary['summary'] == 'PodStartupLatency_SaturationPodStartupLatency'
    text = report.markdown(data)
    assert '| PodStartupLatency_SaturationPodStartupLatency | pod_startup | 800.5 | 1200 | 1900 | ms |' in text
