# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's one way of writing files: atomic replace, comparison and directories with modes."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import _files


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_write_atomic_sets_the_mode_and_leaves_no_temporary(tmp_path):
    target = tmp_path / 'secret.key'
    target.write_bytes(b'old')
    os.chmod(str(target), 0o644)

    _files.write_atomic(str(target), b'new', 0o600)

    assert target.read_bytes() == b'new'
    assert mode_of(target) == 0o600
    assert os.listdir(str(tmp_path)) == ['secret.key']


def test_write_atomic_writes_text_as_utf8(tmp_path):
    target = tmp_path / 'hosts'

    _files.write_atomic(str(target), 'h\u00f4te\n', 0o644)

    assert target.read_bytes() == 'h\u00f4te\n'.encode('utf-8')
    assert mode_of(target) == 0o644


def test_keep_attributes_keeps_the_mode_of_an_existing_file_only(tmp_path):
    existing = tmp_path / 'server.go'
    existing.write_text('package app\n')
    os.chmod(str(existing), 0o444)

    _files.write_atomic(str(existing), 'package app // patched\n', 0o644, keep_attributes=True)

    assert existing.read_text() == 'package app // patched\n'
    assert mode_of(existing) == 0o444
    new = tmp_path / 'htpasswd'
    _files.write_atomic(str(new), 'user:hash\n', 0o600, keep_attributes=True)
    assert mode_of(new) == 0o600


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / 'run.json'
    target.write_text('{}\n')

    with pytest.raises(TypeError):
        _files.write_atomic(str(target), {'not': 'bytes'}, 0o644)

    assert target.read_text() == '{}\n'
    assert os.listdir(str(tmp_path)) == ['run.json']


def test_dir_mode_creates_the_missing_directories(tmp_path):
    target = tmp_path / 'state' / 'machines' / 'm1' / 'machine.json'

    _files.write_atomic(str(target), '{}\n', 0o600, dir_mode=0o700)

    assert mode_of(target.parent) == 0o700
    assert mode_of(tmp_path / 'state') == 0o755
    with pytest.raises(FileNotFoundError):
        _files.write_atomic(str(tmp_path / 'missing' / 'file'), 'x', 0o644)


def test_file_matches_compares_content_and_mode(tmp_path):
    target = tmp_path / 'hostname'
    assert not _files.file_matches(str(target), 'm1\n', 0o644)
    _files.write_atomic(str(target), 'm1\n', 0o644)
    assert _files.file_matches(str(target), 'm1\n', 0o644)
    assert _files.file_matches(str(target), b'm1\n', 0o644)
    assert not _files.file_matches(str(target), 'm2\n', 0o644)
    assert not _files.file_matches(str(target), 'm1\n', 0o600)


def test_make_dirs_sets_the_target_mode_and_parent_mode(tmp_path):
    target = tmp_path / 'a' / 'b' / 'c'

    _files.make_dirs(str(target), 0o700)

    assert mode_of(target) == 0o700
    assert mode_of(tmp_path / 'a') == 0o755
    os.chmod(str(target), 0o750)
    _files.make_dirs(str(target), 0o700)
    assert mode_of(target) == 0o750  # an existing directory is left alone


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can give a file to another user')
def test_keep_attributes_keeps_the_owner(tmp_path):
    target = tmp_path / 'owned'
    target.write_text('old\n')
    os.chown(str(target), 4321, 4322)

    _files.write_atomic(str(target), 'new\n', 0o644, keep_attributes=True)

    assert (os.stat(str(target)).st_uid, os.stat(str(target)).st_gid) == (4321, 4322)
