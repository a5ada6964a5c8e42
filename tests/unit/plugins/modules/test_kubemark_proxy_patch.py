# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_proxy_patch on cmd/kube-proxy/app/server.go of real Kubernetes releases."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_proxy_patch
from ansible_collections.kubemark.kubemark.tests.unit.utils.kubernetes_releases import K8S_RELEASES

SERVER_GO = 'cmd/kube-proxy/app/server.go'
# Minors whose hollow kube-proxy crashes upstream (kubernetes issue #133526). The module decides
# from the source; this only checks that the release list covers them.
CRASHING_MINORS = range(30, 34)

AFFECTED = [release for release in K8S_RELEASES if release.proxy_shape != 'no_registration']
UNAFFECTED = [release for release in K8S_RELEASES if release.proxy_shape == 'no_registration']


def _read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def _minor(release):
    return int(release.version.split('.')[1])


def test_release_list_covers_every_crashing_minor_and_both_sides():
    minors = {_minor(release) for release in AFFECTED}
    assert set(CRASHING_MINORS) <= minors
    assert {27, 34} <= {_minor(release) for release in UNAFFECTED}


@pytest.mark.parametrize('release', AFFECTED, ids=lambda release: release.version)
@pytest.mark.parametrize('pass_version', [True, False], ids=['with-version', 'detected'])
def test_guards_registration_then_is_idempotent(release, pass_version, kubernetes_tree, run_module, gofmt_unformatted):
    tree = kubernetes_tree(release.version, SERVER_GO)
    path = tree / SERVER_GO
    original = _read(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    args = dict(src=str(tree))
    if pass_version:
        args['version'] = release.version

    first = run_module(kubemark_proxy_patch, args)

    assert not first.get('failed'), first.get('msg')
    assert (first['changed'], first['needed'], first['shape']) == (True, True, release.proxy_shape)
    patched = _read(path)
    lines = patched.splitlines()
    guard_index = next(index for index, line in enumerate(lines) if line.strip() == 'if s.HealthzServer != nil {')
    indent = lines[guard_index][:-len('if s.HealthzServer != nil {')]
    block = '\n'.join(lines[guard_index:guard_index + 5]) + '\n'
    assert block == (indent + 'if s.HealthzServer != nil {\n'
                     + indent + '\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n'
                     + indent + '\t\tHealthServer: s.HealthzServer,\n'
                     + indent + '\t})\n'
                     + indent + '}\n')
    if release.proxy_shape == 'gated_registration':
        assert lines[guard_index - 3].strip() == (
            'if utilfeature.DefaultFeatureGate.Enabled(features.KubeProxyDrainingTerminatingNodes) {')
    # Only the comment and the guard were added: dropping them and un-indenting the registration
    # gives back the upstream file byte for byte.
    assert [line.strip()[:2] for line in lines[guard_index - 2:guard_index]] == ['//', '//']
    restored = lines[:guard_index - 2] + [line[1:] for line in lines[guard_index + 1:guard_index + 4]] + lines[guard_index + 5:]
    assert '\n'.join(restored) + '\n' == original
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert gofmt_unformatted(path) == ''
    assert first['patch'].startswith('--- a/%s\n+++ b/%s\n' % (SERVER_GO, SERVER_GO))
    assert original.splitlines()[first['line'] - 1].strip() == 'nodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{'

    second = run_module(kubemark_proxy_patch, args)

    assert (second['changed'], second['needed'], second['shape'], second['patch']) == (False, True, release.proxy_shape, '')
    assert _read(path) == patched


@pytest.mark.parametrize('release', UNAFFECTED, ids=lambda release: release.version)
def test_reports_not_needed_and_leaves_file_alone(release, kubernetes_tree, run_module):
    tree = kubernetes_tree(release.version, SERVER_GO)
    path = tree / SERVER_GO
    original = _read(path)

    result = run_module(kubemark_proxy_patch, dict(src=str(tree), version=release.version), diff=True)

    assert not result.get('failed'), result.get('msg')
    assert (result['changed'], result['needed'], result['shape'], result['line'], result['patch']) == (
        False, False, 'no_registration', None, '')
    assert result['diff']['before'] == result['diff']['after'] == original
    assert _read(path) == original


@pytest.mark.parametrize('version', ['v1.31.14', 'v1.33.13'])
def test_check_mode_reports_change_and_diff_without_writing(version, kubernetes_tree, run_module):
    tree = kubernetes_tree(version, SERVER_GO)
    path = tree / SERVER_GO
    original = _read(path)

    result = run_module(kubemark_proxy_patch, dict(src=str(tree)), check_mode=True, diff=True)

    assert (result['changed'], result['needed']) == (True, True)
    assert _read(path) == original
    assert result['diff']['before'] == original
    assert 'if s.HealthzServer != nil {' in result['diff']['after']
    assert result['diff']['before_header'] == result['diff']['after_header'] == str(path)
    # In check mode the returned patch is the real one: applying it gives what a real run writes.
    written = run_module(kubemark_proxy_patch, dict(src=str(tree)), diff=True)
    assert written['patch'] == result['patch'] and written['diff']['after'] == _read(path)


def test_fails_when_version_does_not_match_source(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.34.4', SERVER_GO)
    result = run_module(kubemark_proxy_patch, dict(src=str(tree), version='v1.31.14'))
    assert result['failed'] is True
    assert result['msg'].startswith('%s: found ProxyServer.Run without any NodeEligibleHandler' % (tree / SERVER_GO))
    assert 'but Kubernetes v1.31.14 should have' in result['msg']


def test_fails_on_changed_registration_in_real_source(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.32.13', SERVER_GO)
    path = tree / SERVER_GO
    os.chmod(str(path), 0o644)
    changed_upstream = _read(path).replace('HealthServer: s.HealthzServer,', 'HealthServer: s.healthServer(),')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(changed_upstream)

    result = run_module(kubemark_proxy_patch, dict(src=str(tree)))

    assert result['failed'] is True
    assert result['msg'].startswith('%s: NodeEligibleHandler appears 1 time(s) but 0 registration(s)' % path)
    assert _read(path) == changed_upstream


def test_fails_when_file_is_not_kube_proxy_server(kubernetes_tree, run_module):
    # hollow_kubelet.go is real Go from the same release, but not a kube-proxy server.go.
    tree = kubernetes_tree('v1.31.14', 'pkg/kubemark/hollow_kubelet.go')
    (tree / SERVER_GO).parent.mkdir(parents=True)
    os.rename(str(tree / 'pkg/kubemark/hollow_kubelet.go'), str(tree / SERVER_GO))

    result = run_module(kubemark_proxy_patch, dict(src=str(tree)))

    assert result['failed'] is True
    assert "no 'func (s *ProxyServer) Run(' found" in result['msg']


def test_fails_when_src_is_not_a_source_tree(tmp_path, run_module):
    result = run_module(kubemark_proxy_patch, dict(src=str(tmp_path / 'nowhere')))
    assert result['failed'] is True
    assert result['msg'] == 'src %s is not a directory (expected a Kubernetes source tree root)' % (tmp_path / 'nowhere')


def test_rejects_malformed_version(tmp_path, run_module):
    result = run_module(kubemark_proxy_patch, dict(src=str(tmp_path), version='one.thirty'))
    assert result['failed'] is True
    assert 'not a Kubernetes 1.x version' in result['msg']
