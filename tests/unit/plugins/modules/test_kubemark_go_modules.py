# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of kubemark_go_modules against the real Go module proxy."""

from __future__ import annotations

import shutil

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_go_modules


class _Exited(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


@pytest.fixture
def run_check(monkeypatch):
    if shutil.which('go') is None:
        pytest.fail('these tests need the Go toolchain: "go" is not on PATH', pytrace=False)

    def exit_json(module, **result):
        raise _Exited(result)

    def fail_json(module, msg, **result):
        result.update(failed=True, msg=msg)
        raise _Exited(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(args):
        with patch_module_args(dict(args, _ansible_check_mode=True)):
            try:
                kubemark_go_modules.main()
            except _Exited as exited:
                return exited.result
        pytest.fail('the module returned without exit_json or fail_json')

    return run


def test_served_versions_are_found_and_unknown_ones_named(run_check):
    result = run_check(dict(modules=['k8s.io/kubernetes@v1.37.2', 'k8s.io/kubernetes@v1.99.0', 'sigs.k8s.io/kwok@v0.8.0']))
    assert not result['changed']
    assert sorted(result['found']) == ['k8s.io/kubernetes@v1.37.2', 'sigs.k8s.io/kwok@v0.8.0'], result
    assert list(result['missing']) == ['k8s.io/kubernetes@v1.99.0'], result
    assert result['proxy']


def test_a_release_whose_staging_modules_the_proxy_refuses(run_check):
    # v1.31.14: k8s.io/kubernetes is served, some of its staging modules at v0.31.14 are not.
    result = run_check(dict(modules=['k8s.io/kubernetes@v1.31.14']))
    assert 'k8s.io/kubernetes@v1.31.14' in result['found']
    assert result['missing'] and all(name.endswith('@v0.31.14') for name in result['missing']), result
    without = run_check(dict(modules=['k8s.io/kubernetes@v1.31.14'], kubernetes_staging=False))
    assert without['missing'] == {}


def test_a_malformed_spec_fails(run_check):
    assert run_check(dict(modules=['k8s.io/kubernetes']))['failed']
