#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_htpasswd
short_description: Keep one user with a bcrypt password in an htpasswd file
version_added: 0.1.0
description:
  - Makes the htpasswd file at O(path) hold O(username) with a bcrypt hash of O(password), the only
    hash docker-registry (distribution v2) accepts, at cost 10. Other users in the file are kept.
  - The file is rewritten only when the user is missing or the stored hash does not match the
    password, so a second run reports no change (bcrypt hashes carry a random salt).
  - Hashes with the Python C(bcrypt) package when it is installed, else with the C library's
    C(crypt) (glibc with libxcrypt, as on Debian 12, supports bcrypt C($2b$)).
author:
  - kubemark collection developers (@kubemark)
requirements:
  - The Python C(bcrypt) package, or the C(crypt) module of Python 3.12 or older with a C library
    that supports bcrypt.
options:
  path:
    description:
      - The htpasswd file. Created with O(mode) when missing.
    type: path
    required: true
  username:
    description:
      - The user name.
    type: str
    required: true
  password:
    description:
      - The password. Never logged or returned.
    type: str
    required: true
  mode:
    description:
      - File mode of the htpasswd file.
    type: raw
    default: '0600'
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change without writing it.
  diff_mode:
    support: none
    description: The file holds password hashes; no difference is shown.
"""

EXAMPLES = r"""
- name: Let the registry's user log in
  kubemark.kubemark.kubemark_htpasswd:
    path: /etc/kubemark/registry.htpasswd
    username: kubemark
    password: "{{ registry_password }}"
"""

RETURN = r"""
path:
  description: The htpasswd file.
  returned: always
  type: str
"""

import os
import traceback
import warnings

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic
from ansible_collections.kubemark.kubemark.plugins.module_utils.registry_auth import (
    RegistryAuthError,
    htpasswd_entries,
    render_htpasswd,
)

BCRYPT_IMPORT_ERROR = None
try:
    import bcrypt
except ImportError:
    bcrypt = None
    BCRYPT_IMPORT_ERROR = traceback.format_exc()

CRYPT_IMPORT_ERROR = None
try:
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import crypt
except ImportError:
    crypt = None
    CRYPT_IMPORT_ERROR = traceback.format_exc()


def _crypt_bcrypt():
    """The crypt module when the C library hashes bcrypt with it, else None."""
    if crypt is None or not hasattr(crypt, 'METHOD_BLOWFISH'):
        return None
    if crypt.METHOD_BLOWFISH not in crypt.methods:
        return None
    return crypt


# bcrypt cost 10 (2^10 rounds): docker-registry checks the hash on every request of a push or a
# pull, so the cost is paid per blob; 12, the libraries' default, costs four times as much.
BCRYPT_COST = 10


def hash_password(password):
    if bcrypt is not None:
        return bcrypt.hashpw(password.encode('utf-8'), bcrypt.gensalt(rounds=BCRYPT_COST)).decode('ascii')
    backend = _crypt_bcrypt()
    return backend.crypt(password, backend.mksalt(backend.METHOD_BLOWFISH, rounds=2 ** BCRYPT_COST))


def password_matches(password, hashed):
    if not hashed or not hashed.startswith(('$2a$', '$2b$', '$2y$')):
        return False
    if bcrypt is not None:
        try:
            return bcrypt.checkpw(password.encode('utf-8'), hashed.encode('ascii'))
        except ValueError:
            return False
    backend = _crypt_bcrypt()
    return backend.crypt(password, hashed) == hashed


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            username=dict(type='str', required=True),
            password=dict(type='str', required=True, no_log=True),
            mode=dict(type='raw', default='0600'),
        ),
        supports_check_mode=True,
    )
    if bcrypt is None and _crypt_bcrypt() is None:
        module.fail_json(msg=missing_required_lib('bcrypt') + ' (the crypt module of this Python cannot hash bcrypt either)',
                         exception=BCRYPT_IMPORT_ERROR)
    path = module.params['path']
    username = module.params['username']
    password = module.params['password']
    existing = None
    if os.path.exists(path):
        with open(path) as handle:
            existing = handle.read()
    entries = htpasswd_entries(existing)
    changed = not password_matches(password, entries.get(username))
    if changed:
        entries[username] = hash_password(password)
        try:
            content = render_htpasswd(entries)
        except RegistryAuthError as exc:
            module.fail_json(msg=str(exc))
        if not module.check_mode:
            # A new file starts private; the mode option is applied below, to a new file and an old one alike.
            write_atomic(path, content, 0o600, keep_attributes=True)
    file_args = module.load_file_common_arguments(dict(path=path, mode=module.params['mode']))
    if not module.check_mode or os.path.exists(path):
        changed = module.set_fs_attributes_if_different(file_args, changed)
    module.exit_json(changed=changed, path=path)


if __name__ == '__main__':
    main()
