# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_whoami and kubemark_nodes_ready against the fake API server of test_kube."""

from __future__ import annotations

import yaml

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_nodes_ready, kubemark_whoami
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.test_kube import (  # noqa: F401 pylint: disable=unused-import
    FakeApiServer,
    api_server,
    kubeconfig,
)


def test_known_token_with_the_expected_user_and_group(api_server, run_module):  # noqa: F811
    result = run_module(kubemark_whoami, dict(kubeconfig_content=yaml.safe_dump(kubeconfig(api_server)),
                                              expect_user='kubelet', expect_groups=['system:nodes']))
    assert not result.get('failed'), result
    assert (result['username'], result['method'], result['changed']) == ('kubelet', 'selfsubjectreview/v1', False)
    assert 'good-token' not in repr(result)


def test_foreign_token_fails_naming_401_and_the_token_file(api_server, run_module):  # noqa: F811
    result = run_module(kubemark_whoami, dict(kubeconfig_content=yaml.safe_dump(kubeconfig(api_server, token='foreign'))))
    assert result['failed']
    assert '401 Unauthorized' in result['msg'] and 'does not belong to this master' in result['msg']
    assert 'foreign' not in result['msg']


def test_wrong_user_fails(api_server, run_module):  # noqa: F811
    result = run_module(kubemark_whoami, dict(kubeconfig_content=yaml.safe_dump(kubeconfig(api_server)),
                                              expect_user='system:kube-proxy'))
    assert result['failed'] and "user 'kubelet', not 'system:kube-proxy'" in result['msg']


def test_unreachable_server_fails_naming_it(run_module):
    result = run_module(kubemark_whoami, dict(kubeconfig_content=yaml.safe_dump(kubeconfig('http://127.0.0.1:9'))))
    assert result['failed'] and 'cannot reach the API server http://127.0.0.1:9' in result['msg']


def test_a_kubeconfig_that_cannot_be_loaded_fails_saying_so(run_module):
    result = run_module(kubemark_whoami, dict(kubeconfig_content='apiVersion: v1\nkind: Config\n'))
    assert result['failed'] and result['msg'].startswith('cannot load the kubeconfig (kubeconfig_content): ')


def test_kubeconfig_file(api_server, run_module, tmp_path):  # noqa: F811
    path = tmp_path / 'config'
    path.write_text(yaml.safe_dump(kubeconfig(api_server)))
    assert run_module(kubemark_whoami, dict(kubeconfig=str(path)))['username'] == 'kubelet'


def _node(name, ready):
    return {'metadata': {'name': name, 'creationTimestamp': '2026-11-23T10:00:00Z'},
            'status': {'conditions': [{'type': 'Ready', 'status': 'True' if ready else 'False',
                                       'lastTransitionTime': '2026-11-23T10:00:04Z'}]}}


def test_nodes_ready_counts_and_reports_startup(api_server, run_module, tmp_path):  # noqa: F811
    FakeApiServer.nodes = [_node('hollow-a-1', True), _node('hollow-a-2', True), _node('hollow-a-3', False)]
    path = tmp_path / 'admin'
    path.write_text(yaml.safe_dump(kubeconfig(api_server)))
    result = run_module(kubemark_nodes_ready, dict(kubeconfig=str(path), count=2))
    assert result['reached'] and result['ready'] == 2 and result['not_ready'] == ['hollow-a-3']
    assert result['startup']['p99'] == 4.0

    short = run_module(kubemark_nodes_ready, dict(kubeconfig=str(path), count=3, wait_timeout=1, poll_interval=1))
    assert short['reached'] is False and not short.get('failed')

    failed = run_module(kubemark_nodes_ready, dict(kubeconfig=str(path), count=3, names=['hollow-a-1', 'hollow-a-9'],
                                                   fail_on_timeout=True))
    assert failed['failed'] and 'missing: hollow-a-9' in failed['msg']


def test_nodes_ready_rejects_a_negative_count(run_module, tmp_path):
    path = tmp_path / 'admin'
    path.write_text(yaml.safe_dump(kubeconfig('http://127.0.0.1:9')))
    assert run_module(kubemark_nodes_ready, dict(kubeconfig=str(path), count=-1))['failed']


def test_nodes_ready_takes_kubeconfig_content_and_a_context(api_server, run_module):  # noqa: F811
    FakeApiServer.nodes = [_node('hollow-a-1', True)]
    config = kubeconfig(api_server, token='foreign')
    config['contexts'].append({'name': 'admin', 'context': {'cluster': 'kubemark', 'user': 'admin'}})
    config['users'].append({'name': 'admin', 'user': {'token': 'good-token'}})
    result = run_module(kubemark_nodes_ready, dict(kubeconfig_content=yaml.safe_dump(config), context='admin', count=1))
    assert result['reached'] and result['ready_names'] == ['hollow-a-1']


def test_one_kubeconfig_source_exactly(run_module, tmp_path):
    assert 'one of the following is required' in run_module(kubemark_nodes_ready, dict(count=1))['msg']
    both = run_module(kubemark_whoami, dict(kubeconfig=str(tmp_path / 'config'), kubeconfig_content='{}'))
    assert 'mutually exclusive' in both['msg']
