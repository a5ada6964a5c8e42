# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clusterloader2 through playbooks/perf.yml: built from its Go module (cached per version) and run
with testing/density/config.yaml (without its SSH-only TestMetrics measurement, see
perf_clusterloader2_drop_measurements) against the cluster of processes; its summaries land in the same
report. Takes about 5 minutes (the density config always starts 500 latency pods) plus a cold build
of a few minutes; KUBEMARK_PERF_CLUSTERLOADER2=0 leaves it out.
"""

from __future__ import annotations

import glob
import json
import os

import pytest

import cluster  # tests/integration/perf/cluster.py, put on sys.path by conftest.py

VERSION = 'v0.0.0-20200615121956-f3cf096d4378'

pytestmark = pytest.mark.skipif(os.environ.get('KUBEMARK_PERF_CLUSTERLOADER2', '1') == '0',
                                reason='KUBEMARK_PERF_CLUSTERLOADER2=0')


def test_clusterloader2_density_beside_ours(perf_cluster, run_playbook, tmp_path):
    results = tmp_path / 'results'
    variables = cluster.playbook_vars(perf_cluster, results, perf_load_levels=[50, 100], perf_api_probes=2,
                                      perf_profiles=False, perf_clusterloader2_enabled=True,
                                      perf_clusterloader2_version=VERSION)
    rc, output = run_playbook(variables, timeout=3600)
    runs = glob.glob(os.path.join(str(results), '*', 'report.json'))
    assert runs, output[-6000:]
    with open(runs[0]) as handle:
        data = json.load(handle)
    cl2 = data['clusterloader2']
    binary = os.path.expanduser('~/.cache/kubemark/clusterloader2/%s/clusterloader2' % VERSION)
    assert os.access(binary, os.X_OK), output[-4000:]
    assert cl2['status'] in ('ok', 'failed'), cl2  # it ran: neither "unavailable" nor "not-run"
    assert cl2['junit']['tests'] >= 1
    names = set(summary['summary'] for summary in cl2['summaries'])
    assert 'PodStartupLatency_SaturationPodStartupLatency' in names, names
    rows = [item for summary in cl2['summaries'] if summary['summary'].startswith('PodStartupLatency_') for item in summary['items']
            if item['labels'].get('Metric') == 'pod_startup']
    assert rows and all(row['data']['Perc99'] > 0 for row in rows)
    assert data['status'] == 'complete'  # our own test is complete either way
    with open(os.path.join(os.path.dirname(runs[0]), 'report.md')) as handle:
        text = handle.read()
    assert '| PodStartupLatency_SaturationPodStartupLatency | pod_startup |' in text
    # TestMetrics (EtcdMetrics and SchedulingMetrics over SSH to a GCE master and the scheduler's
    # insecure port) is taken out of a copy of the config written beside the original.
    assert cl2['dropped_measurements'] == ['TestMetrics'], cl2
    derived = os.path.expanduser('~/.cache/kubemark/clusterloader2/%s/src/testing/density/config.kubemark.yaml' % VERSION)
    with open(derived) as handle:
        derived_text = handle.read()
    assert 'Method: TestMetrics' not in derived_text and 'Method: PodStartupLatency' in derived_text
    assert not any(summary['summary'].startswith(('EtcdMetrics', 'SchedulingMetrics')) for summary in cl2['summaries'])
    if cl2['status'] == 'ok':
        assert rc == 0, output[-4000:]
    else:
        # clusterloader2's own failures (an SLO it missed) fail the play, with the reason; never the
        # SSH-only measurements, which are no longer in the config.
        assert rc != 0 and 'clusterloader2 status failed' in output
        assert cl2['reason']
        assert 'ssh' not in cl2['reason'].lower() and '10251' not in cl2['reason'], cl2['reason']
