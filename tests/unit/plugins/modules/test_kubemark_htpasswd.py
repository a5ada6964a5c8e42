# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_htpasswd writes its file in one piece, private until the mode option says otherwise."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_htpasswd

pytestmark = pytest.mark.skipif(kubemark_htpasswd.bcrypt is None and kubemark_htpasswd._crypt_bcrypt() is None,
                                reason='neither bcrypt nor a crypt module that hashes bcrypt')


def test_a_new_file_gets_the_mode_and_a_second_run_changes_nothing(run_module, tmp_path):
    path = tmp_path / 'htpasswd'
    args = dict(path=str(path), username='pusher', password='s3cret-pass')

    first = run_module(kubemark_htpasswd, args)
    second = run_module(kubemark_htpasswd, args)

    assert first['changed'] and not second['changed']
    assert path.read_text().startswith('pusher:$2')
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == ['htpasswd']


def test_an_existing_file_keeps_its_users_and_takes_the_mode_option(run_module, tmp_path):
    path = tmp_path / 'htpasswd'
    run_module(kubemark_htpasswd, dict(path=str(path), username='puller', password='first-pass'))
    os.chmod(str(path), 0o644)

    result = run_module(kubemark_htpasswd, dict(path=str(path), username='pusher', password='second-pass', mode='0640'))

    assert result['changed']
    assert [line.split(':')[0] for line in path.read_text().splitlines()] == ['puller', 'pusher']
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o640


def test_check_mode_writes_nothing(run_module, tmp_path):
    path = tmp_path / 'htpasswd'
    result = run_module(kubemark_htpasswd, dict(path=str(path), username='pusher', password='s3cret-pass'), check_mode=True)
    assert result['changed'] and not path.exists()
