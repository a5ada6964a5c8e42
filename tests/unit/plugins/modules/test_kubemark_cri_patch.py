# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_cri_patch on pkg/kubemark/hollow_kubelet.go of real Kubernetes releases."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_cri_patch
from ansible_collections.kubemark.kubemark.tests.unit.utils.kubernetes_releases import K8S_RELEASES

HOLLOW_KUBELET = 'pkg/kubemark/hollow_kubelet.go'
CRIO = 'unix:///run/crio/crio.sock'

PATCHABLE = [release for release in K8S_RELEASES if release.cri_field]
UNPATCHABLE = [release for release in K8S_RELEASES if not release.cri_field]


def _read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


@pytest.mark.parametrize('release', PATCHABLE, ids=lambda release: release.version)
@pytest.mark.parametrize('pass_version', [True, False], ids=['with-version', 'detected'])
def test_sets_endpoint_then_is_idempotent(release, pass_version, kubernetes_tree, run_module, gofmt_unformatted):
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    path = tree / HOLLOW_KUBELET
    original = _read(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    args = dict(src=str(tree), endpoint=CRIO)
    if pass_version:
        args['version'] = release.version

    first = run_module(kubemark_cri_patch, args)

    assert not first.get('failed'), first.get('msg')
    assert first['changed'] is True
    assert (first['field'], first['previous_endpoint'], first['endpoint']) == (release.cri_field, release.cri_endpoint, CRIO)
    assert first['path'] == str(path)
    patched = _read(path)
    old_line = '\t%s = "%s"\n' % (release.cri_field, release.cri_endpoint)
    new_line = '\t%s = "%s"\n' % (release.cri_field, CRIO)
    assert patched == original.replace(old_line, new_line) != original
    assert patched.splitlines()[first['line'] - 1] == new_line.rstrip('\n')
    assert first['patch'].startswith('--- a/%s\n+++ b/%s\n' % (HOLLOW_KUBELET, HOLLOW_KUBELET))
    assert '-' + old_line in first['patch'] and '+' + new_line in first['patch']
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert gofmt_unformatted(path) == ''
    assert os.listdir(str(path.parent)) == ['hollow_kubelet.go'], 'temporary file left behind'

    second = run_module(kubemark_cri_patch, args)

    assert second['changed'] is False
    assert (second['previous_endpoint'], second['patch']) == (CRIO, '')
    assert _read(path) == patched


@pytest.mark.parametrize('release', [r for r in PATCHABLE if r.version in ('v1.26.15', 'v1.31.14')],
                         ids=lambda release: release.version)
def test_check_mode_reports_change_and_diff_without_writing(release, kubernetes_tree, run_module):
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    path = tree / HOLLOW_KUBELET
    original = _read(path)

    result = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO), check_mode=True, diff=True)

    assert result['changed'] is True
    assert _read(path) == original
    assert result['diff']['before'] == original
    assert result['diff']['after'] == original.replace('"%s"' % release.cri_endpoint, '"%s"' % CRIO)
    assert result['diff']['before_header'] == result['diff']['after_header'] == str(path)


def test_no_diff_key_without_diff_mode(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.31.14', HOLLOW_KUBELET)
    assert 'diff' not in run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO))


def test_unchanged_when_upstream_endpoint_is_requested(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.37.2', HOLLOW_KUBELET)
    result = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint='unix:///run/containerd/containerd.sock'),
                        diff=True)
    assert result['changed'] is False
    assert result['diff']['before'] == result['diff']['after']


@pytest.mark.parametrize('release', UNPATCHABLE, ids=lambda release: release.version)
def test_fails_naming_file_and_expected_shapes_without_the_line(release, kubernetes_tree, run_module):
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    original = _read(tree / HOLLOW_KUBELET)

    result = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO))

    assert result['failed'] is True
    assert result['msg'].startswith('%s: no hollow kubelet image service endpoint assignment found' % (tree / HOLLOW_KUBELET))
    assert 'c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock" (v1.27+)' in result['msg']
    assert _read(tree / HOLLOW_KUBELET) == original

    with_version = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO, version=release.version))
    assert with_version['failed'] is True
    assert 'is not supported' in with_version['msg']


def test_fails_when_version_does_not_match_source(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.26.15', HOLLOW_KUBELET)
    result = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO, version='v1.31.14'))
    assert result['failed'] is True
    assert "found 'f.RemoteImageEndpoint" in result['msg'] and 'v1.31.14 uses a line like c.ImageServiceEndpoint' in result['msg']


@pytest.mark.parametrize('args, message', [
    (dict(endpoint='/run/crio/crio.sock'), 'must be a unix:// URL'),
    (dict(endpoint=CRIO, version='1.31-latest'), 'not a Kubernetes 1.x version'),
])
def test_argument_errors_come_before_file_access(args, message, tmp_path, run_module):
    result = run_module(kubemark_cri_patch, dict(args, src=str(tmp_path / 'missing')))
    assert result['failed'] is True
    assert message in result['msg']


def test_fails_when_src_is_not_a_source_tree(tmp_path, run_module):
    result = run_module(kubemark_cri_patch, dict(src=str(tmp_path), endpoint=CRIO))
    assert result['failed'] is True
    assert result['msg'].startswith('%s not found: src %s is not a Kubernetes source tree root' % (
        tmp_path / HOLLOW_KUBELET, tmp_path))
