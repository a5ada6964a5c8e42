# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""e2e.test's results (<run>/e2e/): counts, failures and the suite's setup, from real junit files cut down."""

from __future__ import annotations

import os

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import e2e
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import add_e2e


def read(tmp_path):
    return e2e.read(str(tmp_path / 'e2e'))


def test_absent_directory_is_not_run(tmp_path):
    result = read(tmp_path)
    assert result['status'] == 'not-run' and result['counts'] is None


def test_passed_run(tmp_path):
    add_e2e(str(tmp_path))
    result = read(tmp_path)
    assert result['status'] == 'ok' and result['reason'] == ''
    assert result['counts'] == {'passed': 4, 'failed': 0, 'skipped': 1, 'not_selected': 3, 'other': 0}
    assert result['failures'] == []
    assert result['skipped'] == [{
        'name': "[sig-apps] Deployment should not disrupt a cloud load-balancer's connectivity during rollout",
        'reason': 'skipped - Only supported for providers [aws azure gce gke] (not skeleton)'}]
    assert result['suite_setup'] == {'status': 'passed', 'message': ''}
    assert result['version'] == 'v1.37.2' and result['exit_code'] == 0
    assert result['label_filter'] == 'Conformance && !Slow && !Disruptive'
    assert result['focus'] == r'\[sig-apps\] (Deployment|ReplicaSet) '
    assert result['junit'] == ['junit_01.xml']
    assert result['duration_seconds'] > 700


def test_failed_run(tmp_path):
    add_e2e(str(tmp_path), 'junit-failed.xml', status='failed')
    result = read(tmp_path)
    assert result['status'] == 'failed'
    assert result['counts'] == {'passed': 3, 'failed': 2, 'skipped': 0, 'not_selected': 3, 'other': 0}
    assert result['failures'] == [
        {'name': '[sig-network] API Server should have Endpoints and EndpointSlices pointing to API Server [Conformance]',
         'status': 'failed',
         'message': '[FAILED] error obtaining API server "kubernetes" Endpoint resource on "default" namespace: endpoints "kubernetes" not found'},
        {'name': '[sig-node] Pods Extended (pod generation) Pod Generation pod generation should start at 1 and increment per update '
                 '[MinimumKubeletVersion:1.34] [Conformance]',
         'status': 'failed', 'message': '[FAILED] Timed out after 300.001s.'}]
    assert result['reason'].startswith('2 of 5 tests failed: [sig-network] API Server should have Endpoints')
    assert result['reason'].endswith('e2e.test exited with 1')


def test_failures_count_even_when_the_role_said_ok(tmp_path):
    add_e2e(str(tmp_path), 'junit-failed.xml', status='ok')
    assert read(tmp_path)['status'] == 'failed'


def test_suite_setup_failure_means_nothing_ran(tmp_path):
    add_e2e(str(tmp_path), 'junit-setup-failed.xml', status='failed')
    result = read(tmp_path)
    assert result['status'] == 'failed'
    assert result['suite_setup']['status'] == 'failed'
    assert result['suite_setup']['message'].startswith('[FAILED] Error waiting for all pods to be running and ready')
    assert result['counts']['passed'] == 0 and result['counts']['failed'] == 0
    assert result['reason'].startswith('the suite setup ([SynchronizedBeforeSuite]) failed, so no test ran: [FAILED] Error waiting')


def test_a_parallel_run_counts_specs_once(tmp_path):
    # ginkgo's runner over 4 processes: four setup and teardown nodes, the specs once each.
    add_e2e(str(tmp_path), 'junit-parallel.xml', status='ok')
    result = read(tmp_path)
    assert result['status'] == 'ok', result
    assert result['counts']['passed'] == 3 and result['counts']['not_selected'] == 2 and result['counts']['failed'] == 0
    assert result['suite_setup']['status'] == 'passed'


def test_a_parallel_setup_failure_on_one_process_is_a_setup_failure(tmp_path):
    directory = add_e2e(str(tmp_path), 'junit-parallel.xml', status='failed')
    path = os.path.join(directory, 'junit_01.xml')
    with open(path) as handle:
        text = handle.read()
    # The second of the four setup nodes failed; the ones after it passed.
    first = text.index('[SynchronizedBeforeSuite]')
    second = text.index('[SynchronizedBeforeSuite]', first + 1)
    end = text.index('/>', second)  # the setup node has no children: <testcase ... />
    text = (text[:second] + text[second:end].replace('status="passed"', 'status="failed"') + '>'
            + '<failure message="setup">[FAILED] the nodes were not ready</failure></testcase>' + text[end + 2:])
    with open(path, 'w') as handle:
        handle.write(text)
    result = read(tmp_path)
    assert result['suite_setup']['status'] == 'failed', result['suite_setup']
    assert result['suite_setup']['message'].startswith('[FAILED] the nodes were not ready')


def test_no_test_selected_is_no_pass(tmp_path):
    directory = add_e2e(str(tmp_path), 'junit-setup-failed.xml')
    path = os.path.join(directory, 'junit_01.xml')
    with open(path) as handle:
        text = handle.read()
    # The same file without the setup failure: a run whose filters selected nothing.
    start = text.index('<failure', text.index('[SynchronizedBeforeSuite]'))
    text = text[:start] + text[text.index('</failure>', start) + len('</failure>'):]
    with open(path, 'w') as handle:
        handle.write(text.replace('status="failed"', 'status="passed"'))
    result = read(tmp_path)
    assert result['status'] == 'failed' and 'no test ran' in result['reason']


def test_could_not_run(tmp_path):
    add_e2e(str(tmp_path), junit=None, status='failed', reason='e2e.test v1.37.2 could not be built: go test -c failed')
    result = read(tmp_path)
    assert result['status'] == 'failed' and result['counts'] is None
    assert result['reason'] == 'no junit file: e2e.test wrote no report; e2e.test v1.37.2 could not be built: go test -c failed'


def test_missing_status_json(tmp_path):
    add_e2e(str(tmp_path), status=None)
    result = read(tmp_path)
    assert result['status'] == 'failed' and 'no status.json' in result['reason']
    # The filters are read from the junit file's properties then.
    assert result['label_filter'] == 'Conformance && !Slow && !Disruptive'


def test_unreadable_junit(tmp_path):
    directory = add_e2e(str(tmp_path))
    with open(os.path.join(directory, 'junit_01.xml'), 'w') as handle:
        handle.write('<testsuites')
    result = read(tmp_path)
    assert result['status'] == 'failed' and 'junit_01.xml' in result['reason']
