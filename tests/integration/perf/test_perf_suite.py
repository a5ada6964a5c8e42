# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""playbooks/perf.yml against a real cluster: etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and hollow kubelets (kubemark --morph=kubelet) as processes on 127.0.0.1.

Asserts on the real figures the run measured, on the bad-input paths (partial results, marked
incomplete, never a pass) and on report.html in headless Chromium.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess

import pytest

import cluster  # tests/integration/perf/cluster.py, put on sys.path by conftest.py
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import report as report_module

VERBS_BY_RESOURCE = {
    'nodes': {'POST', 'GET', 'PUT', 'LIST', 'DELETE'},
    'pods': {'POST', 'GET', 'PUT', 'LIST', 'DELETE'},
    'replicationcontrollers': {'POST', 'GET', 'PUT', 'LIST', 'DELETE'},
}


def run_dir_of(results_dir):
    runs = sorted(glob.glob(os.path.join(str(results_dir), '*', 'run.json')))
    assert runs, 'no run directory under %s' % results_dir
    return os.path.dirname(runs[-1])


@pytest.fixture(scope='module')
def full_run(perf_cluster, run_playbook, tmp_path_factory):
    """One complete run of the suite, shared by the tests that read its results."""
    results = tmp_path_factory.mktemp('results')
    rc, output = run_playbook(cluster.playbook_vars(perf_cluster, results, perf_workload='replicationcontroller'))
    assert rc == 0, output[-6000:]
    directory = run_dir_of(results)
    with open(os.path.join(directory, 'report.json')) as handle:
        return directory, json.load(handle), output


def test_run_is_complete_with_real_figures(full_run, perf_cluster):
    dummy, data, output = full_run
    assert data['status'] == 'complete', data['errors']
    assert data['verdict'] in ('pass', 'fail')  # a verdict, never "incomplete" or "no-data"
    assert 'Verdict: ' in output and '99th percentile' in output
    capacity = perf_cluster.nodes * 5
    targets = [max(1, round(capacity * level / 100.0)) for level in (10, 50, 100)]
    assert data['levels'] == [10, 50, 100]
    previous = 0
    for level, target in zip(data['levels'], targets):
        fill = data['fill'][str(level)]
        assert fill['target_pods'] == target and fill['complete']
        summary = data['pod_startup'][str(level)]
        assert summary['count'] == target - previous, 'every pod of the level has a startup sample'
        assert 0 < summary['p10'] <= summary['p50'] <= summary['p90'] <= summary['p99'] <= summary['max'] < 120
        previous = target
    assert data['node_startup']['count'] == perf_cluster.nodes
    assert data['node_startup']['p99'] is not None


def test_api_latency_per_verb_and_resource(full_run):
    data = full_run[1]
    seen = {}
    for row in data['api_calls']:
        seen.setdefault(row['resource'], set()).add(row['verb'])
        for level in ('10', '50', '100'):
            if row['resource'] in VERBS_BY_RESOURCE:
                stats = row['levels'][level]
                assert stats['count'] >= 7, (row['verb'], row['resource'], level)
                assert 0 < stats['p10'] <= stats['p99'] < 30
    for resource, verbs in VERBS_BY_RESOURCE.items():
        assert verbs <= seen[resource], resource
    checks = [c for c in data['slo_checks'] if c['slo'] == 'api_call']
    assert checks and all(c['verdict'] in ('pass', 'fail') for c in checks)


def test_server_side_metrics_and_profiles(full_run, perf_cluster):
    directory, data = full_run[:2]
    for level in ('10', '50', '100'):
        server = data['server'][level]
        scheduler = server['scheduler']
        assert scheduler['attempts'].get('scheduled', 0) >= data['fill'][level]['pods_added']
        assert scheduler['throughput_pods_per_second'] > 0
        assert scheduler['attempt_duration_p99'] is not None
        verbs = set((row['verb'], row['resource']) for row in server['apiserver'])
        assert ('POST', 'pods') in verbs and ('LIST', 'nodes') in verbs
    assert data['scheduling_timeline'] and sum(count for dummy, count in data['scheduling_timeline']) >= perf_cluster.nodes * 5
    profiles = data['profiles']
    assert sorted(os.path.basename(p) for p in profiles) == ['apiserver-cpu.pprof', 'apiserver-heap.pprof',
                                                             'scheduler-cpu.pprof', 'scheduler-heap.pprof']
    for path in profiles:
        assert os.path.getsize(os.path.join(directory, path)) > 100
    # The scheduler was scraped with its certificate verified by the kubeconfig's (cluster) CA.
    assert data['run']['component_tls'] == {'validate_certs': True, 'ca_source': 'kubeconfig', 'ca_cert': None}


def test_report_is_reproducible_from_raw_samples(full_run):
    directory, data = full_run[:2]
    for name in ('run.json', 'pod_startup.jsonl', 'api_calls.jsonl', 'node_startup.jsonl', 'report.md', 'report.html'):
        assert os.path.getsize(os.path.join(directory, name)) > 0, name
    assert report_module.build(directory) == data
    with open(os.path.join(directory, 'pod_startup.jsonl')) as handle:
        pods = [json.loads(line) for line in handle]
    latencies = sorted(p['observed'] - p['created'] for p in pods if p['level'] == 100)
    rank = -(-99 * len(latencies) // 100)
    assert data['pod_startup']['100']['p99'] == latencies[rank - 1]
    with open(os.path.join(directory, 'report.md')) as handle:
        text = handle.read()
    assert '| | 10%-full | 50%-full | 100%-full |' in text
    assert '### PUT replicationcontrollers (scope resource)' in text


def test_the_namespace_is_cleaned_up(full_run, perf_cluster):
    namespaces = json.loads(perf_cluster.admin_get('/api/v1/namespaces?labelSelector=kubemark.io%2Fperf%3Dtrue'))
    assert namespaces['items'] == []
    nodes = json.loads(perf_cluster.admin_get('/api/v1/nodes'))
    assert len(nodes['items']) == perf_cluster.nodes  # no probe node left behind


def test_deployment_workload(perf_cluster, run_playbook, perf_vars):
    variables = perf_vars(perf_workload='deployment', perf_load_levels=[100], perf_api_probes=1, perf_profiles=False)
    rc, output = run_playbook(variables)
    assert rc == 0, output[-4000:]
    with open(os.path.join(run_dir_of(variables['perf_results_dir']), 'report.json')) as handle:
        data = json.load(handle)
    assert data['status'] == 'complete'
    assert data['pod_startup']['100']['count'] == perf_cluster.nodes * 5
    posts = [row for row in data['server']['100']['apiserver'] if row['verb'] == 'POST' and row['resource'] == 'deployments']
    assert posts and posts[0]['count'] >= 1


# ----------------------------------------------------------------------------------- bad input

def test_too_few_nodes_leaves_an_incomplete_report(perf_cluster, run_playbook, perf_vars, tmp_path):
    variables = perf_vars(perf_nodes=perf_cluster.nodes + 3)
    rc, output = run_playbook(variables)
    assert rc != 0
    assert 'fewer than the %d this run asks for' % (perf_cluster.nodes + 3) in output
    directory = run_dir_of(variables['perf_results_dir'])
    with open(os.path.join(directory, 'report.json')) as handle:
        data = json.load(handle)
    assert data['status'] == 'incomplete' and data['verdict'] == 'incomplete'
    with open(os.path.join(directory, 'report.md')) as handle:
        assert 'INCOMPLETE' in handle.read()


def test_load_level_above_100_is_refused(run_playbook, perf_vars):
    rc, output = run_playbook(perf_vars(perf_load_levels=[50, 120]))
    assert rc != 0
    assert 'every level is a percent of capacity' in output


def test_unreachable_scheduler_metrics_is_incomplete(run_playbook, perf_vars):
    variables = perf_vars(perf_scheduler_metrics_url='https://127.0.0.1:23258/metrics', perf_load_levels=[10])
    rc, output = run_playbook(variables)
    assert rc != 0
    assert 'cannot scrape kube-scheduler metrics at https://127.0.0.1:23258/metrics' in output
    with open(os.path.join(run_dir_of(variables['perf_results_dir']), 'report.json')) as handle:
        assert json.load(handle)['verdict'] == 'incomplete'


def test_scheduler_certificate_that_the_ca_does_not_verify_is_refused(run_playbook, perf_vars, perf_cluster):
    # The etcd CA did not issue the scheduler's serving certificate: verification must fail the scrape.
    variables = perf_vars(perf_component_ca_cert=os.path.join(perf_cluster.pki_dir, 'etcd', 'ca.crt'), perf_load_levels=[10])
    rc, output = run_playbook(variables)
    assert rc != 0
    assert 'cannot scrape kube-scheduler metrics at %s' % perf_cluster.scheduler_metrics_url in output
    assert 'CERTIFICATE_VERIFY_FAILED' in output or 'certificate verify failed' in output, output[-3000:]


# ----------------------------------------------------------------------------------- the HTML

def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail('the HTML check needs Chromium: apt-get install chromium', pytrace=False)


def load_in_chromium(path, tmp_path):
    """Load a page headless; return (DOM after load, console messages of the page)."""
    profile = tmp_path / 'chromium-profile'
    process = subprocess.run(
        [chromium(), '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
         '--disable-background-networking', '--user-data-dir=%s' % profile, '--enable-logging=stderr', '--v=0',
         '--virtual-time-budget=5000', '--dump-dom', 'file://' + path],
        capture_output=True, text=True, timeout=120, check=False)
    assert process.returncode == 0, process.stderr[-3000:]
    console = [line for line in process.stderr.splitlines() if 'CONSOLE' in line or 'Uncaught' in line]
    return process.stdout, console


def test_report_html_renders_every_plot_in_chromium(full_run, tmp_path):
    directory = full_run[0]
    dom, console = load_in_chromium(os.path.join(directory, 'report.html'), tmp_path)
    assert console == [], console
    figures = re.findall(r'<figure class="plot" id="([^"]+)" data-rendered="(yes|no)"', dom)
    expected = ['pod-startup-vs-load', 'api-p99-vs-load', 'pod-startup-cdf', 'scheduling-throughput', 'node-startup-cdf']
    assert [name for name, dummy in figures] == expected
    assert all(state == 'yes' for dummy, state in figures), figures
    assert 'data-plots="5"' in dom and 'data-plots-rendered="5"' in dom


def test_the_chromium_check_sees_console_errors(full_run, tmp_path):
    """The check above would notice a broken page: a script error and a blocked fetch both show up."""
    directory = full_run[0]
    with open(os.path.join(directory, 'report.html')) as handle:
        html = handle.read()
    broken = tmp_path / 'broken.html'
    broken.write_text(html.replace('</body>', '<img src="http://198.51.100.1/x.png"><script>undefinedFunction();</script></body>'))
    console = load_in_chromium(str(broken), tmp_path)[1]
    assert any('undefinedFunction' in line for line in console), console
    assert any('Content Security Policy' in line for line in console), console
