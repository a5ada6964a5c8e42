#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_file_set
short_description: Keep exactly a set of files in a directory, in one call
version_added: 0.2.0
description:
  - Writes every file of O(files) into O(path) whose content or mode differs (atomically), and
    with O(prune) removes the other files of O(path) whose name ends with O(suffix).
  - One call for hundreds of small files, such as the kubeconfigs of a host's hollow kubelets,
    where a loop of M(ansible.builtin.copy) would cost a round trip per file.
  - The contents are never returned. Use C(no_log) on the task when they are secrets.
author:
  - kubemark collection developers (@kubemark)
options:
  path:
    description: The directory; created with O(directory_mode) when missing.
    type: path
    required: true
  files:
    description: File name (no slash) to content.
    type: dict
    required: true
  mode:
    description: Mode of the files O(modes) does not name.
    type: str
    default: '0600'
  modes:
    description: File name to mode, for the files whose mode is not O(mode) (certificates beside their keys).
    type: dict
    default: {}
  directory_mode:
    description: Mode of O(path) when it is created.
    type: str
    default: '0700'
  prune:
    description: Remove the files of O(path) ending with O(suffix) that O(files) does not name.
    type: bool
    default: true
  suffix:
    description: Which files O(prune) may remove.
    type: str
    default: ''
attributes:
  check_mode:
    support: full
    description: Reports what would be written and removed.
  diff_mode:
    support: none
    description: Nothing is shown as a difference.
  idempotent:
    support: full
    description: Writes nothing when every file is already as asked.
"""

EXAMPLES = r"""
- name: Install the kubeconfigs of this host's hollow kubelets
  kubemark.kubemark.kubemark_file_set:
    path: /etc/kubemark/hollow-nodes/kubelets
    files: "{{ hollow_node_kubeconfigs }}"
    suffix: .kubeconfig
  no_log: true

- name: Install a PKI directory, keys private and certificates readable
  kubemark.kubemark.kubemark_file_set:
    path: /etc/kubernetes/pki
    files:
      ca.crt: "{{ ca_certificate }}"
      ca.key: "{{ ca_key }}"
    modes:
      ca.crt: '0644'
    prune: false
  no_log: true
"""

RETURN = r"""
written:
  description: Names written (or that would be).
  returned: always
  type: list
  elements: str
removed:
  description: Names removed (or that would be).
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import _files


def _mode(module, value, option):
    try:
        return int(value, 8)
    except (TypeError, ValueError):
        module.fail_json(msg='%s must be an octal mode such as "0600", not %r' % (option, value))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            files=dict(type='dict', required=True, no_log=True),
            mode=dict(type='str', default='0600'),
            modes=dict(type='dict', default={}),
            directory_mode=dict(type='str', default='0700'),
            prune=dict(type='bool', default=True),
            suffix=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    params = module.params
    directory = params['path']
    mode = _mode(module, params['mode'], 'mode')
    directory_mode = _mode(module, params['directory_mode'], 'directory_mode')
    modes = dict((name, _mode(module, value, 'modes[%s]' % name)) for name, value in params['modes'].items())
    unknown = sorted(set(modes) - set(params['files']))
    if unknown:
        module.fail_json(msg='modes names files that files does not: %r' % unknown[:5])
    bad = [name for name in params['files'] if not name or '/' in name or name in ('.', '..')]
    if bad:
        module.fail_json(msg='files: %r are not plain file names' % bad[:5])
    wanted = dict((name, content.encode('utf-8') if isinstance(content, str) else content)
                  for name, content in params['files'].items())
    existing = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    written = sorted(name for name, data in wanted.items()
                     if name not in existing
                     or not _files.file_matches(os.path.join(directory, name), data, modes.get(name, mode)))
    removed = [name for name in existing
               if params['prune'] and name not in wanted and name.endswith(params['suffix'])
               and os.path.isfile(os.path.join(directory, name))]
    if (written or removed) and not module.check_mode:
        try:
            _files.make_dirs(directory, directory_mode)
            for name in written:
                _files.write_atomic(os.path.join(directory, name), wanted[name], modes.get(name, mode))
            for name in removed:
                os.unlink(os.path.join(directory, name))
        except OSError as error:
            module.fail_json(msg='cannot write %s: %s' % (directory, error))
    module.exit_json(changed=bool(written or removed), written=written, removed=removed)


if __name__ == '__main__':
    main()
