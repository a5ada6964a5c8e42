# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared fixtures for unit tests: real Kubernetes sources from the Go module cache.

The source-patching modules are only worth something if they match the files upstream really
ships, so their tests run on files of released Kubernetes versions downloaded with
'go mod download', never on excerpts kept in this repository. The releases are listed in
tests/unit/utils/kubernetes_releases.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest


@pytest.fixture(scope='session')
def go_binary():
    """Path of the go command; a missing toolchain fails the tests, it never skips them."""
    go = shutil.which('go')
    if go is None:
        pytest.fail('the source-patch tests need the Go toolchain: "go" is not on PATH', pytrace=False)
    return go


@pytest.fixture(scope='session')
def kubernetes_module_dir(go_binary, tmp_path_factory):
    """Return a function mapping a version such as v1.31.14 to its read-only module cache Dir."""
    downloaded = {}
    # Run outside any go.mod so the download cannot be affected by the working directory.
    workdir = str(tmp_path_factory.mktemp('go-mod-download'))
    env = dict(os.environ, GOFLAGS='-mod=mod')

    def module_dir(version):
        if version not in downloaded:
            command = [go_binary, 'mod', 'download', '-json', 'k8s.io/kubernetes@' + version]
            process = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
            try:
                info = json.loads(process.stdout)
            except ValueError:
                info = {}
            if process.returncode != 0 or info.get('Error') or not info.get('Dir'):
                pytest.fail('%s failed (exit %d): %s %s' % (
                    ' '.join(command), process.returncode, info.get('Error', ''), process.stderr), pytrace=False)
            downloaded[version] = info['Dir']
        return downloaded[version]

    return module_dir


@pytest.fixture
def kubernetes_tree(kubernetes_module_dir, tmp_path):
    """Return a function that copies some files of a release into a writable tree under tmp_path.

    Only the files a test patches are copied, at their paths relative to the module root, so the
    copy is a valid 'src' for the modules. Their read-only mode from the module cache is kept on
    purpose: the modules must preserve a file's mode when they replace it.
    """
    def make_tree(version, *relative_paths):
        root = tmp_path / ('kubernetes-' + version)
        for relative_path in relative_paths:
            target = root / relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(kubernetes_module_dir(version), relative_path), str(target))
        return root

    return make_tree


@pytest.fixture(scope='session')
def gofmt_unformatted(go_binary):
    """Return a function listing what 'gofmt -e -l' reports for a file: an empty string when clean.

    gofmt parses the file, so this also catches patches that break Go syntax (-e: all errors).
    """
    gofmt = os.path.join(os.path.dirname(os.path.realpath(go_binary)), 'gofmt')
    if not os.path.exists(gofmt):
        gofmt = shutil.which('gofmt')
    if gofmt is None:
        pytest.fail('gofmt is not next to %s nor on PATH' % go_binary, pytrace=False)

    def unformatted(path):
        process = subprocess.run([gofmt, '-e', '-l', str(path)], capture_output=True, text=True, check=False)
        return (process.stdout + process.stderr).strip() or ('gofmt exit %d' % process.returncode if process.returncode else '')

    return unformatted


class _ModuleExited(Exception):
    """Raised instead of exiting the test process when a module calls exit_json or fail_json."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


@pytest.fixture
def run_module(monkeypatch):
    """Return a function that runs a module's main() with arguments and returns its result dict.

    A failed module returns a result with failed=True, so a test can assert on its message.
    """
    from ansible.module_utils import basic
    from ansible.module_utils.testing import patch_module_args

    def exit_json(module, **result):
        result.setdefault('changed', False)
        raise _ModuleExited(result)

    def fail_json(module, msg, **result):
        result.update(failed=True, msg=msg)
        raise _ModuleExited(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(module, args, check_mode=False, diff=False):
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(module_args):
            try:
                module.main()
            except _ModuleExited as exited:
                return exited.result
        pytest.fail('%s returned without calling exit_json or fail_json' % module.__name__)

    return run
