# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The density test's pure parts: levels, plans, time stamps and what is kept of pods and nodes.

The test itself runs against a real cluster of processes in tests/integration/perf.
"""

from __future__ import annotations

import base64
import time

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import _kube
from ansible_collections.kubemark.kubemark.plugins.module_utils._stats import parse_time
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import density


def test_levels_are_sorted_and_checked():
    assert density.validate_levels([100, 10, 50.0, 25]) == [10, 25, 50, 100]
    assert density.validate_levels([12.5]) == [12.5]
    with pytest.raises(density.DensityError, match='above 100 %'):
        density.validate_levels([10, 120])
    with pytest.raises(density.DensityError, match='must be above 0'):
        density.validate_levels([0, 10])
    with pytest.raises(density.DensityError, match='duplicates'):
        density.validate_levels([10, 10.0])
    with pytest.raises(density.DensityError, match='empty'):
        density.validate_levels([])
    with pytest.raises(density.DensityError, match='not a number'):
        density.validate_levels(['ten'])


def test_plan_is_cumulative_against_capacity():
    plan = density.plan(100, 30, [10, 25, 50, 90, 100])
    assert [entry['target_pods'] for entry in plan] == [300, 750, 1500, 2700, 3000]
    assert density.plan(1, 1, [10])[0]['target_pods'] == 1  # never zero pods
    with pytest.raises(density.DensityError):
        density.plan(0, 30, [10])


def test_controller_sizes():
    assert density.controller_sizes(23, 10) == [10, 10, 3]
    assert density.controller_sizes(0, 10) == []


def pod(containers=1, running=1, scheduled=True):
    statuses = []
    for index in range(running):
        statuses.append({'name': 'c%d' % index, 'state': {'running': {'startedAt': '2026-01-01T00:00:0%dZ' % (3 + index)}}})
    for index in range(running, containers):
        statuses.append({'name': 'c%d' % index, 'state': {'waiting': {'reason': 'ContainerCreating'}}})
    conditions = [{'type': 'PodScheduled', 'status': 'True', 'lastTransitionTime': '2026-01-01T00:00:01Z'}] if scheduled else []
    return {'metadata': {'name': 'p', 'namespace': 'n', 'uid': 'u', 'creationTimestamp': '2026-01-01T00:00:00Z',
                         'labels': {density.LEVEL_LABEL: '25'}},
            'spec': {'nodeName': 'hollow-1', 'containers': [{'name': 'c%d' % i} for i in range(containers)]},
            'status': {'conditions': conditions, 'containerStatuses': statuses}}


def test_pod_record_needs_all_containers_running():
    record = density.pod_record(pod(containers=2, running=2))
    base = parse_time('2026-01-01T00:00:00Z')
    assert record['running'] is True
    assert record['level'] == 25
    assert record['created'] == base
    assert record['scheduled'] == base + 1
    assert record['started'] == base + 4  # the last container to start
    partial = density.pod_record(pod(containers=2, running=1))
    assert partial['running'] is False and partial['started'] is None
    assert density.pod_record(pod(scheduled=False))['scheduled'] is None


def test_node_record():
    node = {'metadata': {'name': 'h', 'creationTimestamp': '2026-01-01T00:00:00Z'},
            'spec': {'taints': [{'key': 'node.kubernetes.io/not-ready', 'effect': 'NoSchedule'}]},
            'status': {'conditions': [{'type': 'Ready', 'status': 'True', 'lastTransitionTime': '2026-01-01T00:00:03Z'}]}}
    record = density.node_record(node)
    assert record['is_ready'] and not record['schedulable']
    assert record['ready'] - record['created'] == 3
    node['spec'] = {}
    assert density.node_record(node)['schedulable']


def test_pacer_spaces_events():
    pacer = density.Pacer(50)
    started = time.monotonic()
    for dummy in range(6):
        pacer.wait()
    assert time.monotonic() - started >= 5 / 50.0 - 0.005
    weighted = density.Pacer(100)
    started = time.monotonic()
    weighted.wait(5)
    weighted.wait(1)
    assert time.monotonic() - started >= 0.045


class _Configuration(object):
    def __init__(self, ssl_ca_cert=None):
        self.ssl_ca_cert = ssl_ca_cert


def test_component_tls_verifies_with_the_kubeconfig_ca_by_default():
    configuration = _Configuration('/tmp/kubeconfig-ca.crt')
    assert density.component_tls({'component_validate_certs': True}, configuration) == (True, '/tmp/kubeconfig-ca.crt', 'kubeconfig')
    assert density.component_tls({'component_validate_certs': True, 'component_ca_cert': '/etc/ca.crt'},
                                 configuration) == (True, '/etc/ca.crt', 'component_ca_cert')
    assert density.component_tls({'component_validate_certs': True, 'component_ca_cert': None},
                                 _Configuration()) == (True, None, 'system')
    assert density.component_tls({'component_validate_certs': False, 'component_ca_cert': '/etc/ca.crt'},
                                 configuration) == (False, None, 'none')


def test_component_tls_takes_the_ca_data_of_a_real_kubeconfig(tmp_path):
    ca_data = b'-----BEGIN CERTIFICATE-----\nnot really a certificate\n-----END CERTIFICATE-----\n'
    kubeconfig = tmp_path / 'admin.kubeconfig'
    kubeconfig.write_text('\n'.join([
        'apiVersion: v1', 'kind: Config',
        'clusters:', '- name: c', '  cluster:', '    server: https://10.0.0.10:6443',
        '    certificate-authority-data: %s' % base64.b64encode(ca_data).decode('ascii'),
        'users:', '- name: u', '  user:', '    token: abc',
        'contexts:', '- name: c', '  context:', '    cluster: c', '    user: u',
        'current-context: c', '']))

    client = _kube.load(path=str(kubeconfig))
    validate, ca_path, source = density.component_tls({'component_validate_certs': True}, client.configuration)

    assert (validate, source) == (True, 'kubeconfig')
    with open(ca_path, 'rb') as handle:
        assert handle.read() == ca_data
    # The test itself takes the client and its kubeconfig's CA (nothing is sent before run()).
    params = {'run_id': 'r1', 'api_qps': 20, 'component_validate_certs': True, 'kubeconfig_content': 'token: abc'}
    test = density.DensityTest(client, params, str(tmp_path))
    assert test.http is client and test.namespace == 'kubemark-perf-r1'
    assert 'kubeconfig_content' not in test.meta['parameters']  # run.json never holds credentials
    assert test.meta['component_tls'] == {'validate_certs': True, 'ca_source': 'kubeconfig', 'ca_cert': None}
