# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of kubemark_go_build with the real Go toolchain on a small module of two commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_go_build


class _Exited(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


@pytest.fixture
def run_build(monkeypatch):
    def exit_json(module, **result):
        result.setdefault('changed', False)
        raise _Exited(result)

    def fail_json(module, msg, **result):
        result.update(failed=True, msg=msg)
        raise _Exited(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(args, check_mode=False):
        with patch_module_args(dict(args, _ansible_check_mode=check_mode)):
            try:
                kubemark_go_build.main()
            except _Exited as exited:
                return exited.result
        pytest.fail('the module returned without exit_json or fail_json')

    return run


@pytest.fixture(scope='module')
def gocache(tmp_path_factory):
    # One Go build cache for the module's tests: the standard library compiles once.
    return tmp_path_factory.mktemp('go-build')


@pytest.fixture
def source(tmp_path):
    if shutil.which('go') is None:
        pytest.fail('these tests need the Go toolchain: "go" is not on PATH', pytrace=False)
    root = tmp_path / 'src'
    for name, word in (('hello', 'hello'), ('bye', 'bye')):
        (root / 'cmd' / name).mkdir(parents=True)
        (root / 'cmd' / name / 'main.go').write_text('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("%s") }\n' % word)
    (root / 'go.mod').write_text('module example.local/tools\n\ngo 1.22\n')
    return root


@pytest.fixture
def build_args(gocache):
    def make(source, dest, **extra):
        args = dict(dest=str(dest), chdir=str(source), inputs={'version': 'v1'},
                    targets=[{'package': './cmd/hello'}], toolchain='local', nice=0, gocache=str(gocache))
        args.update(extra)
        return args
    return make


def _output(path):
    return subprocess.run([path], capture_output=True, text=True, check=True).stdout.strip()


def test_builds_once_then_changes_nothing(run_build, source, tmp_path, build_args):
    dest = tmp_path / 'artifact'
    first = run_build(build_args(source, dest))
    assert first['changed'] and first['built'] == ['hello'], first
    assert _output(str(dest / 'bin' / 'hello')) == 'hello'
    assert os.readlink(str(dest / 'bin')) == 'builds/' + first['id']
    assert (dest / 'builds' / first['id'] / 'build.json').exists()
    second = run_build(build_args(source, dest))
    assert not second['changed'] and second['built'] == [] and second['id'] == first['id'], second
    assert second['seconds'] == {}, 'a run that built nothing reports no build seconds'


def test_a_new_target_joins_the_build_of_the_same_inputs(run_build, source, tmp_path, build_args):
    dest = tmp_path / 'artifact'
    first = run_build(build_args(source, dest))
    both = run_build(build_args(source, dest, targets=[{'package': './cmd/hello'}, {'package': './cmd/bye'}]))
    assert both['changed'] and both['built'] == ['bye'] and both['id'] == first['id'], both
    assert _output(both['binaries']['bye']) == 'bye'
    assert sorted(both['available']) == ['bye', 'hello']
    # Each run reports the seconds of what it built; the record keeps those of both runs.
    assert list(first['seconds']) == ['hello'] and list(both['seconds']) == ['bye'], (first, both)
    assert all(isinstance(value, float) and value >= 0 for value in list(first['seconds'].values()) + list(both['seconds'].values()))
    record = json.loads((tmp_path / 'artifact' / 'builds' / first['id'] / 'build.json').read_text())
    assert record['seconds'] == dict(first['seconds'], **both['seconds']) and record['id'] == first['id'], record
    hello_only = run_build(build_args(source, dest))
    assert sorted(hello_only['available']) == ['bye', 'hello'] and sorted(hello_only['binaries']) == ['hello']


def test_new_inputs_make_a_new_build_and_remove_the_old_one(run_build, source, tmp_path, build_args):
    dest = tmp_path / 'artifact'
    first = run_build(build_args(source, dest))
    check = run_build(build_args(source, dest, inputs={'version': 'v2'}), check_mode=True)
    assert check['changed'] and check['built'] == ['hello'] and check['removed'] == [first['id']], check
    assert os.readlink(str(dest / 'bin')) == 'builds/' + first['id'], 'check mode changed the link'
    second = run_build(build_args(source, dest, inputs={'version': 'v2'}))
    assert second['changed'] and second['id'] != first['id'] and second['removed'] == [first['id']], second
    assert sorted(os.listdir(str(dest / 'builds'))) == [second['id']]


def test_command_outputs(run_build, source, tmp_path, build_args):
    dest = tmp_path / 'artifact'
    result = run_build(build_args(source, dest, targets=[], commands=[
        {'name': 'note.txt', 'argv': ['sh', '-c', 'ls {source}/cmd > {output}']}]))
    assert result['changed'] and result['built'] == ['note.txt'], result
    assert (dest / 'bin' / 'note.txt').read_text().split() == ['bye', 'hello']


def test_a_failed_build_leaves_the_cache_as_it_was(run_build, source, tmp_path, build_args):
    dest = tmp_path / 'artifact'
    first = run_build(build_args(source, dest))
    (source / 'cmd' / 'bye' / 'main.go').write_text('package main\n\nfunc main() { undefined() }\n')
    failed = run_build(build_args(source, dest, targets=[{'package': './cmd/hello'}, {'package': './cmd/bye'}]))
    assert failed['failed'] and 'undefined' in failed['msg'], failed
    assert sorted(os.listdir(str(dest / 'builds' / first['id']))) == ['build.json', 'hello']
    assert sorted(os.listdir(str(dest / 'builds'))) == [first['id']], 'a partial build was left behind'


def test_bad_module_spec_and_missing_chdir(run_build, tmp_path):
    bad = run_build(dict(dest=str(tmp_path / 'a'), module='example.local/x', targets=[{'package': './cmd/x'}]))
    assert bad['failed'] and 'path and version' in bad['msg']
    missing = run_build(dict(dest=str(tmp_path / 'a'), chdir=str(tmp_path / 'nope'), targets=[{'package': './cmd/x'}]))
    assert missing['failed'] and 'not a directory' in missing['msg']
