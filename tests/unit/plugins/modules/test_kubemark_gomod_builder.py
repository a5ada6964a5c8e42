# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of the kubemark_gomod_builder module on the real go.mod of released versions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_gomod_builder

# The oldest release the collection targets and the newest one the Go module proxy served.
BUILDER_RELEASES = ('v1.31.14', 'v1.37.2')


def _go():
    go = shutil.which('go')
    if go is None:
        pytest.fail('these tests need the Go toolchain: "go" is not on PATH', pytrace=False)
    return go


def _go_json(argv, cwd=None):
    process = subprocess.run([_go()] + argv, capture_output=True, text=True, check=False, cwd=cwd)
    if process.returncode != 0:
        pytest.fail('go %s failed: %s' % (' '.join(argv), process.stderr.strip()), pytrace=False)
    return json.loads(process.stdout)


@pytest.fixture(scope='session')
def builder_gomods():
    """Map each release to its go.mod in the Go module cache, downloading it when missing."""
    return dict((version, _go_json(['mod', 'download', '-json', 'k8s.io/kubernetes@' + version])['GoMod'])
                for version in BUILDER_RELEASES)


class _Exited(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


@pytest.fixture
def run_builder(monkeypatch):
    """Run the module's main() with arguments and return its result (failed=True on fail_json)."""
    def exit_json(module, **result):
        result.setdefault('changed', False)
        raise _Exited(result)

    def fail_json(module, msg, **result):
        result.update(failed=True, msg=msg)
        raise _Exited(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(args, check_mode=False, diff=False):
        with patch_module_args(dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)):
            try:
                kubemark_gomod_builder.main()
            except _Exited as exited:
                return exited.result
        pytest.fail('the module returned without exit_json or fail_json')

    return run


def _args(builder_gomods, version, dest, **extra):
    args = dict(version=version, gomod=builder_gomods[version], dest=str(dest))
    args.update(extra)
    return args


@pytest.mark.parametrize('version', BUILDER_RELEASES)
def test_renders_then_idempotent(run_builder, builder_gomods, version, tmp_path):
    dest = tmp_path / 'builder'
    first = run_builder(_args(builder_gomods, version, dest))
    assert first['changed'] is True and 'failed' not in first
    assert first['files'] == {'go.mod': True, 'tools.go': True}
    assert first['staging_version'] == 'v0.' + version[3:]
    assert 'k8s.io/client-go' in first['staging_modules']
    assert oct(os.stat(str(dest / 'go.mod')).st_mode & 0o777) == '0o644'
    assert oct(os.stat(str(dest)).st_mode & 0o777) == '0o755'

    parsed = _go_json(['mod', 'edit', '-json', str(dest / 'go.mod')])
    assert parsed['Require'] == [{'Path': 'k8s.io/kubernetes', 'Version': version}]
    assert sorted(r['Old']['Path'] for r in parsed['Replace']) == first['staging_modules']
    assert '_ "k8s.io/kubernetes/cmd/kubemark"' in (dest / 'tools.go').read_text()

    second = run_builder(_args(builder_gomods, version, dest))
    assert second['changed'] is False
    assert second['files'] == {'go.mod': False, 'tools.go': False}


def test_go_directive_and_godebug_of_newest(run_builder, builder_gomods, tmp_path):
    result = run_builder(_args(builder_gomods, 'v1.37.2', tmp_path / 'b'))
    upstream = _go_json(['mod', 'edit', '-json', builder_gomods['v1.37.2']])
    builder = _go_json(['mod', 'edit', '-json', str(tmp_path / 'b' / 'go.mod')])
    assert result['go'] == upstream['Go'] == builder['Go']
    assert result['toolchain'] == upstream.get('Toolchain')
    assert builder.get('Godebug') == upstream.get('Godebug')
    assert {'k8s.io/cri-streaming', 'k8s.io/externaljwt', 'k8s.io/streaming'} <= set(result['staging_modules'])


def test_requires_added_by_tidy_keep_it_unchanged(run_builder, builder_gomods, tmp_path):
    dest = tmp_path / 'b'
    run_builder(_args(builder_gomods, 'v1.31.14', dest))
    # "go mod edit" changes the file the way "go mod tidy" does: extra requirements.
    subprocess.run([_go(), 'mod', 'edit', '-require=k8s.io/component-base@v0.31.14',
                    '-require=github.com/spf13/cobra@v1.8.1', str(dest / 'go.mod')], check=True)
    assert 'github.com/spf13/cobra' in (dest / 'go.mod').read_text()
    again = run_builder(_args(builder_gomods, 'v1.31.14', dest))
    assert again['changed'] is False


def test_version_change_rewrites_gomod(run_builder, builder_gomods, tmp_path):
    dest = tmp_path / 'b'
    run_builder(_args(builder_gomods, 'v1.31.14', dest))
    subprocess.run([_go(), 'mod', 'edit', '-require=github.com/spf13/cobra@v1.8.1', str(dest / 'go.mod')], check=True)
    result = run_builder(_args(builder_gomods, 'v1.37.2', dest), diff=True)
    assert result['files'] == {'go.mod': True, 'tools.go': False}
    text = (dest / 'go.mod').read_text()
    assert 'v1.31.14' not in text and 'cobra' not in text and 'k8s.io/kubernetes v1.37.2' in text
    assert len(result['diff']) == 1 and 'v1.31.14' in result['diff'][0]['before']


def test_packages_change_rewrites_tools_only(run_builder, builder_gomods, tmp_path):
    dest = tmp_path / 'b'
    run_builder(_args(builder_gomods, 'v1.31.14', dest))
    packages = ['k8s.io/kubernetes/cmd/kubemark', 'k8s.io/component-base/logs/kube-log-runner']
    result = run_builder(_args(builder_gomods, 'v1.31.14', dest, packages=packages))
    assert result['files'] == {'go.mod': False, 'tools.go': True}
    assert result['packages'] == sorted(packages)
    assert '_ "k8s.io/component-base/logs/kube-log-runner"' in (dest / 'tools.go').read_text()


def test_check_mode_writes_nothing(run_builder, builder_gomods, tmp_path):
    dest = tmp_path / 'b'
    result = run_builder(_args(builder_gomods, 'v1.31.14', dest), check_mode=True, diff=True)
    assert result['changed'] is True
    assert not dest.exists()
    assert [d['after_header'] for d in result['diff']] == [str(dest / 'go.mod'), str(dest / 'tools.go')]
    assert all(d['before'] == '' for d in result['diff'])

    run_builder(_args(builder_gomods, 'v1.31.14', dest))
    (dest / 'tools.go').write_text('package builder\n')
    before = (dest / 'tools.go').read_text()
    result = run_builder(_args(builder_gomods, 'v1.31.14', dest), check_mode=True)
    assert result['changed'] is True and result['files']['tools.go'] is True
    assert (dest / 'tools.go').read_text() == before


def test_no_diff_without_diff_mode(run_builder, builder_gomods, tmp_path):
    result = run_builder(_args(builder_gomods, 'v1.31.14', tmp_path / 'b'))
    assert 'diff' not in result
    result = run_builder(_args(builder_gomods, 'v1.31.14', tmp_path / 'b'), diff=True)
    assert result['diff'] == []


def test_ldflags(run_builder, builder_gomods, tmp_path):
    result = run_builder(_args(builder_gomods, 'v1.31.14', tmp_path / 'b', build_date='2025-11-12T10:00:00Z'))
    flags = result['ldflags']
    assert '-X k8s.io/component-base/version.gitVersion=v1.31.14' in flags
    assert '-X k8s.io/client-go/pkg/version.gitVersion=v1.31.14' in flags
    assert '-X k8s.io/component-base/version.buildDate=2025-11-12T10:00:00Z' in flags


def test_failures(run_builder, builder_gomods, tmp_path):
    missing = run_builder(dict(version='v1.31.14', gomod=str(tmp_path / 'none.mod'), dest=str(tmp_path / 'b')))
    assert missing['failed'] and 'go mod download -json k8s.io/kubernetes@v1.31.14' in missing['msg']

    bad_version = run_builder(dict(_args(builder_gomods, 'v1.31.14', tmp_path / 'b'), version='1.31.14'))
    assert bad_version['failed'] and 'not a Kubernetes release version' in bad_version['msg']

    other = tmp_path / 'other.mod'
    other.write_text('module example.test/x\n\ngo 1.22.0\n')
    not_k8s = run_builder(dict(version='v1.31.14', gomod=str(other), dest=str(tmp_path / 'b')))
    assert not_k8s['failed'] and 'not k8s.io/kubernetes' in not_k8s['msg']

    bad_package = run_builder(_args(builder_gomods, 'v1.31.14', tmp_path / 'b', packages=['./cmd/kubemark']))
    assert bad_package['failed'] and 'import path' in bad_package['msg']

    afile = tmp_path / 'afile'
    afile.write_text('')
    not_dir = run_builder(_args(builder_gomods, 'v1.31.14', afile))
    assert not_dir['failed'] and 'not a directory' in not_dir['msg']
    assert not (tmp_path / 'b').exists()
