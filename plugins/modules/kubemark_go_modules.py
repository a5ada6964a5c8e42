#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_go_modules
short_description: Ask the Go module proxy whether module versions can be fetched
version_added: 0.2.0
description:
  - Runs C(go list -m -json -e) for every module version of O(modules) in one command, so a run
    learns that a version cannot be fetched before it builds or changes anything.
  - For C(k8s.io/kubernetes), the staging modules its C(go.mod) replaces (C(k8s.io/api),
    C(k8s.io/client-go), ...) are checked too at the published tag C(v0.Y.Z), because a builder
    module needs them and the proxy refuses some of them for some patch releases. The example modules
    C(k8s.io/sample-*) are left out, because no command the collection builds imports them and the
    proxy lacks some of them even for current releases.
  - Reads only (the module cache gains the C(.info) and C(.mod) files of what it asks for). Never
    fails for a missing version; it lists them in RV(missing) for the caller to report.
author:
  - kubemark collection developers (@kubemark)
options:
  modules:
    description: Module versions as C(path@version).
    type: list
    elements: str
    required: true
  kubernetes_staging:
    description: Also check the staging modules of every C(k8s.io/kubernetes) version.
    type: bool
    default: true
  go:
    description: The go command.
    type: str
    default: go
  toolchain:
    description: C(GOTOOLCHAIN) of the go command.
    type: str
    default: auto
attributes:
  check_mode:
    support: full
    description: Runs the same read-only query.
  diff_mode:
    support: none
    description: Nothing is shown as a difference.
  idempotent:
    support: full
    description: Changes nothing.
seealso:
  - module: kubemark.kubemark.kubemark_go_build
"""

EXAMPLES = r"""
- name: Check that the versions asked for can be fetched
  kubemark.kubemark.kubemark_go_modules:
    modules:
      - k8s.io/kubernetes@v1.37.2
      - sigs.k8s.io/kwok@v0.8.0
  register: go_modules

- name: Name the variable to fix
  ansible.builtin.assert:
    that: go_modules.missing | length == 0
    fail_msg: "{{ go_modules.missing }}"
"""

RETURN = r"""
missing:
  description: The module versions the proxy does not serve, with its answer.
  returned: always
  type: dict
  sample: {"k8s.io/api@v0.31.14": "reading https://proxy.golang.org/k8s.io/api/@v/v0.31.14.info: 403 Forbidden"}
found:
  description: The module versions found, with their publication time.
  returned: always
  type: dict
  sample: {"k8s.io/kubernetes@v1.37.2": "2026-10-27T12:01:04Z"}
gomod:
  description: Path of the C(go.mod) of every module version found, in the module cache.
  returned: always
  type: dict
  sample: {"sigs.k8s.io/kwok@v0.8.0": "/root/go/pkg/mod/cache/download/sigs.k8s.io/kwok/@v/v0.8.0.mod"}
proxy:
  description: GOPROXY of the go command.
  returned: always
  type: str
"""

import os
import subprocess
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import gobuild
from ansible_collections.kubemark.kubemark.plugins.module_utils.gomod import (
    KUBERNETES_MODULE,
    GoModError,
    parse_gomod,
    staging_modules,
    staging_version,
)

# Staging modules that are examples of how to write Kubernetes code, not parts of it.
EXAMPLE_PREFIX = 'k8s.io/sample-'


def _go_list(module, specs, env):
    with tempfile.TemporaryDirectory(prefix='kubemark-go-list-') as work:
        process = subprocess.run([module.params['go'], 'list', '-m', '-json', '-e'] + specs, cwd=work, env=env,
                                 capture_output=True, text=True, check=False)
    try:
        listed = gobuild.parse_json_stream(process.stdout)
    except ValueError:
        listed = []
    if not listed:
        module.fail_json(msg='go list -m failed (exit %d): %s' % (process.returncode, process.stderr.strip()))
    return listed


def main():
    module = AnsibleModule(
        argument_spec=dict(
            modules=dict(type='list', elements='str', required=True),
            kubernetes_staging=dict(type='bool', default=True),
            go=dict(type='str', default='go'),
            toolchain=dict(type='str', default='auto'),
        ),
        supports_check_mode=True,
    )
    specs = []
    for spec in module.params['modules']:
        try:
            gobuild.parse_module(spec)
        except gobuild.BuildSpecError as error:
            module.fail_json(msg=str(error))
        specs.append(spec)
    env = dict(os.environ, GOTOOLCHAIN=module.params['toolchain'], GOFLAGS='-mod=mod')
    listed = _go_list(module, specs, env)
    missing = gobuild.module_errors(listed)
    found = dict(('%s@%s' % (entry['Path'], entry['Version']), entry.get('Time', ''))
                 for entry in listed if not entry.get('Error'))
    gomods = dict(('%s@%s' % (entry['Path'], entry['Version']), entry.get('GoMod', ''))
                  for entry in listed if not entry.get('Error'))

    if module.params['kubernetes_staging']:
        staging = []
        for entry in listed:
            if entry.get('Path') != KUBERNETES_MODULE or entry.get('Error') or not entry.get('GoMod'):
                continue
            try:
                with open(entry['GoMod']) as handle:
                    gomod = parse_gomod(handle.read())
                tag = staging_version(entry['Version'])
            except (OSError, GoModError) as error:
                missing['%s@%s' % (KUBERNETES_MODULE, entry['Version'])] = str(error)
                continue
            staging += ['%s@%s' % (path, tag) for path in staging_modules(gomod) if not path.startswith(EXAMPLE_PREFIX)]
        if staging:
            staged = _go_list(module, sorted(set(staging)), env)
            missing.update(gobuild.module_errors(staged))

    proxy = subprocess.run([module.params['go'], 'env', 'GOPROXY'], env=env, capture_output=True, text=True,
                           check=False).stdout.strip()
    module.exit_json(changed=False, missing=missing, found=found, gomod=gomods, proxy=proxy)


if __name__ == '__main__':
    main()
