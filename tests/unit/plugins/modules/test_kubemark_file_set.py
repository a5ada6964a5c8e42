# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_file_set on real files, run through the real AnsibleModule output path."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat

import pytest

from ansible.module_utils.testing import patch_module_args
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_file_set


@pytest.fixture
def run():
    def _run(args, check_mode=False):
        output = io.StringIO()
        with patch_module_args(dict(args, _ansible_check_mode=check_mode)), contextlib.redirect_stdout(output):
            with pytest.raises(SystemExit):
                kubemark_file_set.main()
        return json.loads(output.getvalue())
    return _run


def _mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


PKI = {'ca.crt': 'CERT\n', 'ca.key': 'KEY\n', 'sa.pub': 'PUB\n'}
PUBLIC = {'ca.crt': '0644', 'sa.pub': '0644'}


def test_writes_each_file_with_its_mode_then_changes_nothing(run, tmp_path):
    directory = tmp_path / 'pki'
    first = run(dict(path=str(directory), files=PKI, modes=PUBLIC, prune=False))
    assert first['changed'] and first['written'] == ['ca.crt', 'ca.key', 'sa.pub'], first
    assert (directory / 'ca.key').read_text() == 'KEY\n'
    assert [_mode(directory / name) for name in ('ca.crt', 'ca.key', 'sa.pub')] == [0o644, 0o600, 0o644]
    assert _mode(directory) == 0o700
    second = run(dict(path=str(directory), files=PKI, modes=PUBLIC, prune=False))
    assert not second['changed'] and second['written'] == [] and second['removed'] == [], second


def test_a_changed_mode_or_content_rewrites_only_that_file(run, tmp_path):
    directory = tmp_path / 'pki'
    run(dict(path=str(directory), files=PKI, modes=PUBLIC, prune=False))
    os.chmod(str(directory / 'ca.crt'), 0o600)
    check = run(dict(path=str(directory), files=dict(PKI, **{'ca.key': 'NEW\n'}), modes=PUBLIC, prune=False),
                check_mode=True)
    assert check['changed'] and check['written'] == ['ca.crt', 'ca.key'], check
    assert (directory / 'ca.key').read_text() == 'KEY\n', 'check mode wrote'
    result = run(dict(path=str(directory), files=dict(PKI, **{'ca.key': 'NEW\n'}), modes=PUBLIC, prune=False))
    assert result['written'] == ['ca.crt', 'ca.key'] and _mode(directory / 'ca.crt') == 0o644, result
    assert (directory / 'ca.key').read_text() == 'NEW\n'


def test_prune_removes_only_unnamed_files_with_the_suffix(run, tmp_path):
    directory = tmp_path / 'kubelets'
    run(dict(path=str(directory), files={'a.kubeconfig': 'a', 'b.kubeconfig': 'b'}, suffix='.kubeconfig'))
    (directory / 'notes.txt').write_text('kept')
    result = run(dict(path=str(directory), files={'a.kubeconfig': 'a'}, suffix='.kubeconfig'))
    assert result['changed'] and result['removed'] == ['b.kubeconfig'] and result['written'] == [], result
    assert sorted(os.listdir(str(directory))) == ['a.kubeconfig', 'notes.txt']


def test_bad_input_changes_nothing(run, tmp_path):
    directory = tmp_path / 'pki'
    stray = run(dict(path=str(directory), files=PKI, modes={'other.crt': '0644'}))
    assert stray['failed'] and 'other.crt' in stray['msg'], stray
    bad_mode = run(dict(path=str(directory), files=PKI, modes={'ca.crt': 'rw'}))
    assert bad_mode['failed'] and 'modes[ca.crt]' in bad_mode['msg'], bad_mode
    bad_name = run(dict(path=str(directory), files={'../x': 'x'}))
    assert bad_name['failed'] and 'plain file names' in bad_name['msg'], bad_name
    assert not directory.exists()
    assert 'KEY' not in json.dumps(run(dict(path=str(directory), files=PKI))), 'a content was returned'
