# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_perf_report on synthetic samples directories: files, verdicts, check mode, idempotence."""

from __future__ import annotations

import json
import os

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_perf_report
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import (
    add_clusterloader2, add_e2e, fail_measurement, write_samples)


def test_writes_the_three_files_and_is_idempotent(run_module, tmp_path):
    directory = write_samples(str(tmp_path / 'run'))
    result = run_module(kubemark_perf_report, {'samples_dir': directory})
    assert result['changed'] is True
    assert result['verdict'] == 'pass' and result['status'] == 'complete'
    assert sorted(result['files']) == ['html', 'json', 'md']
    for path in result['files'].values():
        assert os.path.isfile(path)
    with open(result['files']['json']) as handle:
        assert json.load(handle)['verdict'] == 'pass'
    assert '| 99th percentile |' in result['pod_startup_table']
    assert result['failed_checks'] == []
    assert result['clusterloader2_status'] == 'not-run' and result['clusterloader2_configs'] == {}
    assert result['e2e_status'] == 'not-run' and result['e2e_counts'] is None and result['e2e_failures'] == []
    again = run_module(kubemark_perf_report, {'samples_dir': directory})
    assert again['changed'] is False


def test_check_mode_writes_nothing(run_module, tmp_path):
    directory = write_samples(str(tmp_path / 'run'))
    result = run_module(kubemark_perf_report, {'samples_dir': directory, 'dest': str(tmp_path / 'out')}, check_mode=True)
    assert result['changed'] is True
    assert not os.path.exists(str(tmp_path / 'out'))


def test_slo_override_and_failed_checks(run_module, tmp_path):
    directory = write_samples(str(tmp_path / 'run'))
    result = run_module(kubemark_perf_report, {'samples_dir': directory, 'formats': ['md'], 'slo': {'pod_startup_seconds': 1.5}})
    assert result['verdict'] == 'fail'
    assert [(c['slo'], c['level']) for c in result['failed_checks']] == [('pod_startup', 100)]
    assert list(result['files']) == ['md']


def test_incomplete_run(run_module, tmp_path):
    directory = write_samples(str(tmp_path / 'run'), status='incomplete')
    result = run_module(kubemark_perf_report, {'samples_dir': directory})
    assert result['verdict'] == 'incomplete' and result['status'] == 'incomplete'
    assert result['errors'] == ['boom']


def test_not_a_samples_directory(run_module, tmp_path):
    result = run_module(kubemark_perf_report, {'samples_dir': str(tmp_path)})
    assert result['failed'] and 'run.json is missing' in result['msg']


def test_suites_in_the_return_values(run_module, tmp_path):
    directory = write_samples(str(tmp_path / 'run'))
    add_clusterloader2(directory, names=('load', 'node-throughput'))
    fail_measurement(os.path.join(directory, 'clusterloader2', 'node-throughput'))
    add_e2e(directory, 'junit-failed.xml', status='failed')
    result = run_module(kubemark_perf_report, {'samples_dir': directory})
    assert result['verdict'] == 'fail' and result['slo_verdict'] == 'pass' and result['failed_checks'] == []
    assert result['clusterloader2_status'] == 'failed'
    assert result['clusterloader2_configs'] == {'load': 'ok', 'node-throughput': 'failed'}
    assert result['clusterloader2_reason'].startswith('node-throughput: TestMetrics failed: measurement call TestMetrics')
    assert result['e2e_status'] == 'failed'
    assert result['e2e_counts'] == {'passed': 3, 'failed': 2, 'skipped': 0, 'not_selected': 3, 'other': 0}
    assert [f['message'] for f in result['e2e_failures']][1] == '[FAILED] Timed out after 300.001s.'
    assert result['e2e_reason'].startswith('2 of 5 tests failed')
    assert result['suites']['clusterloader2']['configs'] == result['clusterloader2_configs']
    with open(result['files']['json']) as handle:
        data = json.load(handle)
    assert data['suites']['e2e']['failed'] == 2 and data['verdict'] == 'fail'
    with open(result['files']['md']) as handle:
        text = handle.read()
    assert '## clusterloader2' in text and '## e2e.test' in text
