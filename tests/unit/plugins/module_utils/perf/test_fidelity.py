# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Two runs of the density test side by side (module_utils/perf/fidelity.py and the report's section)."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import fidelity, render_html, report, samples
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import write_samples

# write_samples: levels 10, 50, 100 at T0, T0 + 100, T0 + 200; the first scrape at T0 - 1, the last
# at T0 + 219: 220 s measured, 10 nodes.
SECONDS = 220.0
NODES = 10


def _append(directory, relative, lines):
    with open(os.path.join(directory, relative), 'a') as handle:
        handle.write('\n'.join(lines) + '\n')


def make_run(directory, backend, lease_updates, events, cpu_seconds, etcd_cpu_seconds=None):
    """A run on NODES nodes of backend whose API server saw lease_updates lease PUTs and events event
    POSTs in the measured time and used cpu_seconds of CPU; etcd's scrapes when etcd_cpu_seconds."""
    write_samples(directory)
    run_path = os.path.join(directory, samples.RUN_FILE)
    with open(run_path) as handle:
        run = json.load(handle)
    run['run_id'] = 'run-' + backend
    run['cluster']['backends'] = {backend: NODES}
    with open(run_path, 'w') as handle:
        json.dump(run, handle)
    first = run['levels'][0]['metrics']['before']['apiserver']
    last = run['levels'][-1]['metrics']['after']['apiserver']
    _append(directory, first, [
        'apiserver_request_total{code="200",resource="leases",subresource="",verb="PUT",group="coordination.k8s.io"} 1000',
        'apiserver_request_total{code="201",resource="events",subresource="",verb="POST"} 0',
        'process_cpu_seconds_total 50',
        'process_resident_memory_bytes 104857600',
    ])
    _append(directory, last, [
        'apiserver_request_total{code="200",resource="leases",subresource="",verb="PUT",group="coordination.k8s.io"} %d'
        % (1000 + lease_updates),
        'apiserver_request_total{code="201",resource="events",subresource="",verb="POST"} %d' % events,
        'apiserver_request_total{code="200",resource="nodes",subresource="status",verb="PATCH"} 0',
        'process_cpu_seconds_total %d' % (50 + cpu_seconds),
        'process_resident_memory_bytes 209715200',
        'apiserver_longrunning_requests{resource="pods",scope="cluster",verb="WATCH"} %d' % (NODES + 3),
        'apiserver_longrunning_requests{resource="nodes",scope="cluster",verb="LIST"} 99',
        'apiserver_resource_objects{group="coordination.k8s.io",resource="leases"} %d' % NODES,
        'apiserver_resource_objects{group="",resource="events"} %d' % events,
        'apiserver_resource_objects{group="",resource="secrets"} 7',
    ])
    if etcd_cpu_seconds is not None:
        metrics = os.path.join(directory, samples.METRICS_DIR)
        _append(metrics, 'etcd-before.prom', ['process_cpu_seconds_total 10', 'process_resident_memory_bytes 1048576'])
        _append(metrics, 'etcd-after.prom', ['process_cpu_seconds_total %d' % (10 + etcd_cpu_seconds),
                                             'process_resident_memory_bytes 52428800'])
        with open(os.path.join(metrics, fidelity.ETCD_SCRAPES_FILE), 'w') as handle:
            json.dump({'before': {'file': 'etcd-before.prom', 'time': 1000.0},
                       'after': {'file': 'etcd-after.prom', 'time': 1100.0}}, handle)
    return directory


@pytest.fixture
def two_runs(tmp_path):
    kubemark = make_run(str(tmp_path / 'kubemark'), 'systemd', lease_updates=1320, events=500, cpu_seconds=110, etcd_cpu_seconds=20)
    kwok = make_run(str(tmp_path / 'kwok'), 'kwok', lease_updates=1320, events=0, cpu_seconds=55)
    return kwok, kubemark


def test_figures_of_one_run(two_runs):
    kwok, kubemark = two_runs
    figures = fidelity.figures(kubemark, report.build(kubemark))
    assert figures['backend'] == '10 kubemark (systemd units)'
    assert figures['seconds'] == pytest.approx(SECONDS)
    # 1320 lease updates by 10 nodes in 220 s: 132 per node, 36 per node and minute.
    assert figures['request_counts']['PUT leases'] == pytest.approx(132)
    assert figures['request_rates']['PUT leases'] == pytest.approx(1320 * 60 / SECONDS / NODES)
    assert figures['request_rates']['POST events'] == pytest.approx(500 * 60 / SECONDS / NODES)
    assert 'PATCH nodes/status' not in figures['request_rates']  # no call in the measured time
    assert figures['apiserver']['cpu_cores'] == pytest.approx(110 / SECONDS)
    assert figures['apiserver']['cpu_seconds'] == pytest.approx(110)
    assert figures['apiserver']['rss_bytes'] == 209715200
    assert figures['watches'] == {'pods': NODES + 3}  # LIST is not a watch
    assert figures['stored_objects'] == {'leases.coordination.k8s.io': NODES, 'events': 500}
    assert figures['etcd'] == {'cpu_seconds': pytest.approx(20), 'cpu_cores': pytest.approx(0.2), 'rss_bytes': 52428800,
                               'seconds': 100.0}
    assert figures['pod_startup']['p99'] == pytest.approx(1.99)


def test_run_without_etcd_scrapes_has_unknown_etcd_figures(two_runs):
    kwok, dummy = two_runs
    figures = fidelity.figures(kwok, report.build(kwok))
    assert figures['etcd'] == {'cpu_seconds': None, 'cpu_cores': None, 'rss_bytes': None, 'seconds': None}


def test_comparison_divides_this_run_by_the_other(two_runs):
    kwok, kubemark = two_runs
    data = report.build(kwok, compare_dirs=[kubemark])
    comparison = data['fidelity']
    assert [run['backend'] for run in comparison['runs']] == ['10 kwok', '10 kubemark (systemd units)']
    assert comparison['apiserver']['cpu_cores'] == [pytest.approx(55 / SECONDS), pytest.approx(110 / SECONDS)]
    requests = dict((row['request'], row) for row in comparison['requests'])
    assert requests['POST events']['per_node'] == [0.0, pytest.approx(50)]
    assert requests['POST events']['per_minute'] == [0.0, pytest.approx(500 * 60 / SECONDS / NODES)]
    assert requests['all requests']['per_node'][1] == pytest.approx((1320 + 500) / NODES)
    blocks = fidelity.blocks(comparison)
    summary = next(block for block in blocks if block[0] == 'table' and block[1] == 'fidelity-summary')
    cpu = next(row for row in summary[3] if row[0] == 'kube-apiserver CPU over the test (core-seconds)')
    assert cpu[1:] == ['55', '110', '0.50×']
    etcd = next(row for row in summary[3] if row[0] == 'etcd CPU (cores on average)')
    assert etcd[1:] == ['—', '0.20', '—']
    # Watches: only those that differ, then the totals (both runs have NODES + 3 on pods).
    assert comparison['watches'] == [{'resource': 'all (1 resources)', 'values': [NODES + 3, NODES + 3]}]


def test_busiest_requests_first_and_the_rest_summed(two_runs, monkeypatch):
    kwok, kubemark = two_runs
    monkeypatch.setattr(fidelity, 'RATE_ROWS', 1)
    comparison = report.build(kwok, compare_dirs=[kubemark])['fidelity']
    names = [row['request'] for row in comparison['requests']]
    assert names == ['PUT leases', 'all other (1 kinds)', 'all requests']


def test_report_sections_in_markdown_and_html(two_runs):
    kwok, kubemark = two_runs
    data = report.build(kwok, compare_dirs=[kubemark])
    text = report.markdown(data)
    assert '| nodes by backend | 10 kwok |' in text
    assert '## Backends side by side' in text
    assert '| POST events | 0.0 | 50.0 | 0.00× | 0.00 | 13.64 |' in text
    html = render_html.render(data)
    assert 'id="fidelity"' in html and 'Backends side by side' in html


def test_no_section_without_other_runs(two_runs):
    kwok, dummy = two_runs
    data = report.build(kwok)
    assert data['fidelity'] is None
    assert 'Backends side by side' not in report.markdown(data)
    assert 'id="fidelity"' not in render_html.render(data)


def test_stored_objects_of_older_api_servers(tmp_path):
    directory = make_run(str(tmp_path / 'old'), 'systemd', lease_updates=0, events=0, cpu_seconds=1)
    with open(os.path.join(directory, samples.RUN_FILE)) as handle:
        last = json.load(handle)['levels'][-1]['metrics']['after']['apiserver']
    path = os.path.join(directory, last)
    with open(path) as handle:
        lines = [line for line in handle.read().splitlines() if not line.startswith('apiserver_resource_objects')]
    lines.append('apiserver_storage_objects{resource="leases.coordination.k8s.io"} 4')
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines) + '\n')
    assert fidelity.figures(directory, report.build(directory))['stored_objects'] == {'leases.coordination.k8s.io': 4}


def test_unlabelled_nodes_are_said():
    assert fidelity.backend_name({}) == 'unknown (no hollow-nodes.kubemark.io/backend label)'
    assert fidelity.backend_name({'kwok': 5, 'systemd': 3}) == '5 kwok + 3 kubemark (systemd units)'
