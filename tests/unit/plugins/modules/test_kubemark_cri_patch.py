# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_cri_patch on pkg/kubemark/hollow_kubelet.go of real Kubernetes releases."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import CRI_ENDPOINT_FUNCTION_SOURCE
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_cri_patch
from ansible_collections.kubemark.kubemark.tests.unit.utils.kubernetes_releases import K8S_RELEASES

HOLLOW_KUBELET = 'pkg/kubemark/hollow_kubelet.go'
CRIO = 'unix:///run/crio/crio.sock'
CONTAINERD = 'unix:///run/containerd/containerd.sock'

PATCHABLE = [release for release in K8S_RELEASES if release.cri_field]
UNPATCHABLE = [release for release in K8S_RELEASES if not release.cri_field]


FUNCTION_MARK = '// kubemarkImageServiceEndpoint was added by the kubemark.kubemark collection'


def _read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def _write(path, text):
    os.chmod(str(path), 0o644)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def _call_line(release, endpoint):
    return '\t%s = kubemarkImageServiceEndpoint("%s")\n' % (release.cri_field, endpoint)


def _expected(original, release, endpoint):
    """What the module must make of upstream's file: three edits, nothing else."""
    old_line = '\t%s = "%s"\n' % (release.cri_field, release.cri_endpoint)
    assert original.count(old_line) == 1 and original.count('\t"fmt"\n\t"time"\n') == 1
    assert '"os"' not in original and 'kubemarkImageServiceEndpoint' not in original
    return (original.replace(old_line, _call_line(release, endpoint))
            .replace('\t"fmt"\n\t"time"\n', '\t"fmt"\n\t"os"\n\t"time"\n')
            + '\n' + CRI_ENDPOINT_FUNCTION_SOURCE)


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
    assert (first['field'], first['previous_endpoint'], first['endpoint'], first['env']) == (
        release.cri_field, release.cri_endpoint, CRIO, 'KUBEMARK_IMAGE_SERVICE_ENDPOINT')
    assert first['path'] == str(path)
    patched = _read(path)
    assert patched == _expected(original, release, CRIO)
    assert patched.splitlines()[first['line'] - 1] == _call_line(release, CRIO).rstrip('\n')
    assert patched.count('\t"os"\n') == 1 and patched.count('func kubemarkImageServiceEndpoint(') == 1
    assert patched.endswith(FUNCTION_MARK + CRI_ENDPOINT_FUNCTION_SOURCE.split(FUNCTION_MARK, 1)[1])
    assert first['patch'].startswith('--- a/%s\n+++ b/%s\n' % (HOLLOW_KUBELET, HOLLOW_KUBELET))
    assert '+' + _call_line(release, CRIO) in first['patch'] and '+\t"os"\n' in first['patch']
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    # gofmt parses the file (-e: every syntax error), so this is also the syntax check.
    assert gofmt_unformatted(path) == ''
    assert os.listdir(str(path.parent)) == ['hollow_kubelet.go'], 'temporary file left behind'

    second = run_module(kubemark_cri_patch, args)

    assert second['changed'] is False
    assert (second['previous_endpoint'], second['line'], second['patch']) == (CRIO, first['line'], '')
    assert _read(path) == patched


@pytest.mark.parametrize('release', [r for r in PATCHABLE if r.version in ('v1.22.17', 'v1.37.2')],
                         ids=lambda release: release.version)
def test_changing_the_endpoint_of_a_patched_file_only_replaces_the_literal(release, kubernetes_tree, run_module,
                                                                           gofmt_unformatted):
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    path = tree / HOLLOW_KUBELET
    first = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO, version=release.version))
    patched = _read(path)

    result = run_module(kubemark_cri_patch, dict(src=str(tree), version=release.version))

    assert result['changed'] is True
    assert (result['previous_endpoint'], result['endpoint'], result['line']) == (CRIO, CONTAINERD, first['line'])
    assert _read(path) == patched.replace(_call_line(release, CRIO), _call_line(release, CONTAINERD))
    assert [line for line in result['patch'].splitlines() if line[:1] in '+-' and line[:3] not in ('+++', '---')] == [
        '-' + _call_line(release, CRIO).rstrip('\n'), '+' + _call_line(release, CONTAINERD).rstrip('\n')]
    assert gofmt_unformatted(path) == ''


@pytest.mark.parametrize('release', [r for r in PATCHABLE if r.version in ('v1.26.15', 'v1.37.2')],
                         ids=lambda release: release.version)
def test_upgrades_a_file_patched_with_a_plain_literal(release, kubernetes_tree, run_module, gofmt_unformatted):
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    path = tree / HOLLOW_KUBELET
    original = _read(path)
    # What earlier versions of the module left: only the literal replaced.
    _write(path, original.replace('"%s"' % release.cri_endpoint, '"%s"' % CRIO))

    result = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO, version=release.version))

    assert result['changed'] is True
    assert result['previous_endpoint'] == CRIO
    assert _read(path) == _expected(original, release, CRIO)
    assert gofmt_unformatted(path) == ''
    assert run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO))['changed'] is False


@pytest.mark.parametrize('release', [r for r in PATCHABLE if r.version in ('v1.21.14', 'v1.37.2')],
                         ids=lambda release: release.version)
def test_the_added_function_compiles_and_reads_the_variable(release, kubernetes_tree, run_module, go_binary, tmp_path):
    """go vet and build the function as the module wrote it into a real file, and run it.

    The whole patched package is too heavy to build here; the gofmt checks cover its syntax.
    """
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO, version=release.version))
    patched = _read(tree / HOLLOW_KUBELET)
    function = FUNCTION_MARK + patched.split(FUNCTION_MARK, 1)[1]
    program = tmp_path / 'prog' / 'main.go'
    program.parent.mkdir()
    program.write_text(
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        'func main() {\n\tfmt.Print(kubemarkImageServiceEndpoint(os.Args[1]))\n}\n\n' + function, encoding='utf-8')
    env = dict(os.environ, GOFLAGS='', GOTOOLCHAIN='local', GO111MODULE='on', CGO_ENABLED='0')
    env.pop('KUBEMARK_IMAGE_SERVICE_ENDPOINT', None)
    binary = str(tmp_path / 'prog' / 'endpoint')
    for command in ([go_binary, 'vet', 'main.go'], [go_binary, 'build', '-o', binary, 'main.go']):
        process = subprocess.run(command, cwd=str(program.parent), env=env, capture_output=True, text=True, check=False)
        assert process.returncode == 0, '%s: %s%s' % (' '.join(command), process.stdout, process.stderr)

    def endpoint(**variable):
        return subprocess.run([binary, 'unix:///built/in.sock'], env=dict(env, **variable), capture_output=True,
                              text=True, check=True).stdout

    assert endpoint() == 'unix:///built/in.sock'
    assert endpoint(KUBEMARK_IMAGE_SERVICE_ENDPOINT='') == 'unix:///built/in.sock'
    assert endpoint(KUBEMARK_IMAGE_SERVICE_ENDPOINT=CRIO) == CRIO


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
    assert result['diff']['after'] == _expected(original, release, CRIO)
    assert result['diff']['before_header'] == result['diff']['after_header'] == str(path)


def test_no_diff_key_without_diff_mode(kubernetes_tree, run_module):
    tree = kubernetes_tree('v1.31.14', HOLLOW_KUBELET)
    assert 'diff' not in run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CRIO))


def test_endpoint_defaults_to_upstream_and_still_patches(kubernetes_tree, run_module):
    """The built-in endpoint stays upstream's, but the file must still learn to read the variable."""
    release = [r for r in PATCHABLE if r.version == 'v1.37.2'][0]
    tree = kubernetes_tree(release.version, HOLLOW_KUBELET)
    original = _read(tree / HOLLOW_KUBELET)

    first = run_module(kubemark_cri_patch, dict(src=str(tree)), diff=True)

    assert first['changed'] is True
    assert (first['previous_endpoint'], first['endpoint']) == (CONTAINERD, CONTAINERD)
    assert first['diff']['after'] == _read(tree / HOLLOW_KUBELET) == _expected(original, release, CONTAINERD)
    second = run_module(kubemark_cri_patch, dict(src=str(tree), endpoint=CONTAINERD), diff=True)
    assert second['changed'] is False
    assert second['diff']['before'] == second['diff']['after']


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
