# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of the pure logic of the cached build."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import gobuild


def test_outputs_take_the_package_name_and_test_suffix():
    targets, commands = gobuild.check_outputs(
        [{'package': 'k8s.io/kubernetes/cmd/kubelet'}, {'package': 'k8s.io/kubernetes/test/e2e', 'test': True},
         {'package': './cmd/kwok', 'name': 'kwok-controller'}],
        [{'name': 'pinns', 'argv': ['gcc', '-o', '{output}', 'pinns.c']}])
    assert [target['name'] for target in targets] == ['kubelet', 'e2e.test', 'kwok-controller']
    assert commands == [{'name': 'pinns', 'argv': ['gcc', '-o', '{output}', 'pinns.c']}]


@pytest.mark.parametrize('targets, commands, message', [
    ([], [], 'nothing to build'),
    ([{'package': 'a/b'}, {'package': 'c/b'}], [], 'distinct: b'),
    ([{'package': 'a/b', 'name': '../b'}], [], 'plain file name'),
    ([{'package': 'a/b', 'name': 'build.json'}], [], 'plain file name'),
    ([{'package': 'a b'}], [], 'not a Go package'),
    ([], [{'name': 'x', 'argv': ['true']}], '{output}'),
    ([], [{'name': 'x', 'argv': []}], 'argv is empty'),
])
def test_bad_outputs_name_the_option(targets, commands, message):
    with pytest.raises(gobuild.BuildSpecError, match=message.replace('{', r'\{').replace('}', r'\}')):
        gobuild.check_outputs(targets, commands)


def test_module_spec():
    assert gobuild.parse_module('sigs.k8s.io/kwok@v0.8.0') == ('sigs.k8s.io/kwok', 'v0.8.0')
    with pytest.raises(gobuild.BuildSpecError, match='path and version'):
        gobuild.parse_module('sigs.k8s.io/kwok')


def test_id_covers_inputs_toolchain_and_flags_but_not_the_outputs():
    settings = {'ldflags': '-s -w', 'tags': [], 'cgo': False, 'mod': '', 'trimpath': True, 'env': {}}
    base = gobuild.build_id(gobuild.build_inputs({'version': 'v1'}, 'go1.26.8', settings))
    assert len(base) == gobuild.ID_LENGTH
    assert base == gobuild.build_id(gobuild.build_inputs({'version': 'v1'}, 'go1.26.8', dict(settings)))
    assert base != gobuild.build_id(gobuild.build_inputs({'version': 'v2'}, 'go1.26.8', settings))
    assert base != gobuild.build_id(gobuild.build_inputs({'version': 'v1'}, 'go1.26.9', settings))
    assert base != gobuild.build_id(gobuild.build_inputs({'version': 'v1'}, 'go1.26.8', dict(settings, tags=['x'])))


def test_missing_outputs_keep_their_order():
    targets, commands = gobuild.check_outputs([{'package': 'a/x'}, {'package': 'a/y'}],
                                              [{'name': 'z', 'argv': ['cc', '-o', '{output}']}])
    missing_targets, missing_commands = gobuild.missing_outputs(targets, commands, ['y', 'build.json'])
    assert [target['name'] for target in missing_targets] == ['x']
    assert [command['name'] for command in missing_commands] == ['z']


def test_go_argv():
    target = {'package': 'k8s.io/kubernetes/test/e2e', 'name': 'e2e.test', 'test': True}
    settings = {'ldflags': '-s -w', 'tags': ['a', 'b'], 'mod': 'vendor', 'trimpath': True}
    assert gobuild.go_argv('go', target, '/o/e2e.test', settings, nice=10) == [
        'nice', '-n', '10', 'go', 'test', '-c', '-mod=vendor', '-trimpath', '-tags', 'a,b', '-ldflags', '-s -w',
        '-o', '/o/e2e.test', 'k8s.io/kubernetes/test/e2e']
    plain = {'package': './cmd/kwok', 'name': 'kwok', 'test': False}
    assert gobuild.go_argv('go', plain, '/o/kwok', {'trimpath': False}) == ['go', 'build', '-o', '/o/kwok', './cmd/kwok']


def test_command_argv_fills_placeholders():
    command = {'name': 'pinns', 'argv': ['gcc', '-o', '{output}', '{source}/pinns/src/pinns.c']}
    assert gobuild.command_argv(command, '/b/pinns', '/m', nice=0) == ['gcc', '-o', '/b/pinns', '/m/pinns/src/pinns.c']


def test_superseded_and_error_tail():
    assert gobuild.superseded(['b', 'a', 'cur', '.cur.partial.x'], 'cur') == ['.cur.partial.x', 'a', 'b']
    assert gobuild.error_tail('\n'.join(str(n) for n in range(100)), lines=3) == '97\n98\n99'


def test_a_package_without_a_name_needs_one():
    with pytest.raises(gobuild.BuildSpecError, match=r'targets\[0\].name is needed'):
        gobuild.check_outputs([{'package': '.'}], [])


def test_json_stream_and_module_errors():
    text = '{\n "Path": "k8s.io/api",\n "Version": "v0.37.2"\n}\n{"Path": "k8s.io/api", "Version": "v0.99.0",' \
           ' "Error": {"Err": "403 Forbidden\\n"}}\n'
    listed = gobuild.parse_json_stream(text)
    assert [entry['Version'] for entry in listed] == ['v0.37.2', 'v0.99.0']
    assert gobuild.module_errors(listed) == {'k8s.io/api@v0.99.0': '403 Forbidden'}
    assert gobuild.parse_json_stream('  \n') == []
