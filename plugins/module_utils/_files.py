# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing files so that a reader never sees half of one, for every module of the collection.

Internal to the collection (the leading underscore): other collections must not import it.
Check mode is the caller's business: these functions always write.
"""

from __future__ import annotations

import os
import stat
import tempfile


def _as_bytes(data):
    return data.encode('utf-8') if isinstance(data, str) else data


def make_dirs(path, mode, parent_mode=0o755):
    """Create the directory path with mode, and its missing parents with parent_mode.

    Directories that exist are left alone, modes included. The modes are set with chmod after
    mkdir, so the umask cannot narrow them.
    """
    if os.path.isdir(path):
        return
    parent = os.path.dirname(path)
    if parent and parent != path:
        make_dirs(parent, parent_mode, parent_mode)
    os.mkdir(path, mode)
    os.chmod(path, mode)


def file_matches(path, data, mode):
    """Whether path is a file holding exactly data (bytes, or str as UTF-8) with permission bits mode."""
    try:
        with open(path, 'rb') as handle:
            current = handle.read()
            current_mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
    except FileNotFoundError:
        return False
    return current == _as_bytes(data) and current_mode == mode


def write_atomic(path, data, mode, keep_attributes=False, dir_mode=None):
    """Replace path with data (bytes, or str written as UTF-8) in one rename.

    The data goes to a temporary file in the same directory (so the rename stays on one file
    system), is flushed to disk, given its final mode while still private (mkstemp makes it 0600:
    a key is never readable by others, not even for a moment) and renamed over path. Readers see
    the old file or the new one, never a part. On any error the temporary file is removed and
    path is left as it was.

    mode is the mode of the new file. With keep_attributes, a file already at path keeps its
    mode, owner and group (a patched source file stays read-only, a file owned by a service user
    stays its), and mode only applies when path is new.
    With dir_mode, a missing parent directory is created with that mode (see make_dirs).
    """
    directory, name = os.path.split(path)
    directory = directory or '.'
    if dir_mode is not None:
        make_dirs(directory, dir_mode)
    existing = None
    if keep_attributes:
        try:
            existing = os.stat(path)
        except FileNotFoundError:
            pass
    handle, temporary = tempfile.mkstemp(prefix='.%s.' % name, dir=directory)
    try:
        with os.fdopen(handle, 'wb') as output:
            output.write(_as_bytes(data))
            output.flush()
            os.fsync(output.fileno())
        if existing is not None:
            try:
                os.chown(temporary, existing.st_uid, existing.st_gid)
            except PermissionError:
                # Only root may give a file away: like Ansible's atomic_move, a user who may
                # replace the file but not chown it still replaces it, as its own.
                pass
            # After chown, which clears set-user-ID and set-group-ID bits.
            mode = stat.S_IMODE(existing.st_mode)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
