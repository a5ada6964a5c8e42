#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_gomod_builder
short_description: Render a Go module that builds Kubernetes commands from the Go module proxy
version_added: 0.1.0
description:
  - C(k8s.io/kubernetes) requires its staging modules (C(k8s.io/api), C(k8s.io/client-go), ...) at
    C(v0.0.0) and replaces them with C(./staging/src/k8s.io/NAME). Those replaces only apply while
    C(k8s.io/kubernetes) is the main module, so C(go install k8s.io/kubernetes/cmd/kubemark@v1.Y.Z)
    is refused.
  - This module renders a small "builder" module in O(dest) instead. Its C(go.mod) requires
    C(k8s.io/kubernetes) at O(version) and replaces B(every) staging module that the release's own
    C(go.mod) names with the published tag C(v0.Y.Z). The list is read from the file given in
    O(gomod), never from a built-in list, so staging modules added by later releases are covered.
  - The C(go), C(toolchain) and C(godebug) directives are copied from the release's C(go.mod), so
    the Go command selects the toolchain that release needs.
  - A blank-import file (C(tools.go), build tag C(tools)) names the main packages in O(packages),
    so C(go mod tidy) and C(go mod vendor) pull exactly what building them needs.
  - C(go mod tidy) later adds require lines to C(go.mod). Those are left alone; the module only
    rewrites C(go.mod) when a directive it manages (module path, C(go), C(toolchain), C(godebug),
    the C(k8s.io/kubernetes) requirement, the replace set) differs, and then writes it from scratch.
  - The module does not run C(go); it only reads O(gomod) and writes two files.
author:
  - kubemark collection developers (@kubemark)
options:
  version:
    description:
      - Kubernetes release to build, such as C(v1.33.13).
    type: str
    required: true
  gomod:
    description:
      - Path of that release's C(go.mod), for example the C(GoMod) field printed by
        C(go mod download -json k8s.io/kubernetes@VERSION).
      - It must declare C(module k8s.io/kubernetes) and replace its staging modules with
        C(./staging/src/) directories.
    type: path
    required: true
  dest:
    description:
      - Directory of the builder module. It is created when missing.
    type: path
    required: true
  packages:
    description:
      - Import paths of the main packages to build, written as blank imports.
    type: list
    elements: str
    default:
      - k8s.io/kubernetes/cmd/kubemark
  module_path:
    description:
      - Module path written in the builder's C(go.mod).
    type: str
    default: kubemark.local/kubernetes-builder
  e2e_source:
    description:
      - Path of the release's C(test/e2e/e2e_test.go) (in the module cache). When set, the builder gets
        an entry point of C(e2e.test) of its own, C(e2e/e2e_test.go), importing the same test suites,
        so that C(go mod tidy) and C(go mod vendor) keep what C(go test -c ./e2e) compiles.
    type: path
  build_date:
    description:
      - Build date (RFC 3339, UTC) to put in RV(ldflags), for example the C(Time) of the release's
        C(.info) file in the module cache, which keeps builds reproducible.
    type: str
attributes:
  check_mode:
    support: full
    description: Reports whether the files would change without writing them.
  diff_mode:
    support: full
    description: Returns the whole rendered files before and after.
  idempotent:
    support: full
    description: A second run with the same options, even after C(go mod tidy), changes nothing.
notes:
  - Files are written atomically with mode C(0644); O(dest) is created with mode C(0755).
seealso:
  - module: kubemark.kubemark.kubemark_cri_patch
  - module: kubemark.kubemark.kubemark_proxy_patch
"""

EXAMPLES = r"""
- name: Find the release's go.mod in the module cache
  ansible.builtin.command:
    argv: [go, mod, download, -json, k8s.io/kubernetes@v1.33.13]
  register: k8s_download
  changed_when: false

- name: Render the builder module for kubemark and kubelet
  kubemark.kubemark.kubemark_gomod_builder:
    version: v1.33.13
    gomod: "{{ (k8s_download.stdout | from_json).GoMod }}"
    dest: /var/tmp/kubemark-builder/v1.33.13
    packages:
      - k8s.io/kubernetes/cmd/kubemark
      - k8s.io/kubernetes/cmd/kubelet
  register: builder

- name: Show the directives without writing anything
  kubemark.kubemark.kubemark_gomod_builder:
    version: v1.37.2
    gomod: /root/go/pkg/mod/cache/download/k8s.io/kubernetes/@v/v1.37.2.mod
    dest: /var/tmp/kubemark-builder/v1.37.2
  check_mode: true
  diff: true
"""

RETURN = r"""
dest:
  description: Directory of the builder module.
  returned: always
  type: str
  sample: /var/tmp/kubemark-builder/v1.33.13
files:
  description: The files the module manages, with whether each one was (or would be) rewritten.
  returned: always
  type: dict
  sample: {"go.mod": true, "tools.go": false}
staging_modules:
  description: The staging modules replaced with their published tag, as read from O(gomod).
  returned: always
  type: list
  elements: str
  sample: [k8s.io/api, k8s.io/apimachinery, k8s.io/client-go]
staging_version:
  description: The tag the staging modules are pinned to.
  returned: always
  type: str
  sample: v0.33.13
go:
  description: The C(go) directive copied from the release's C(go.mod).
  returned: always
  type: str
  sample: 1.24.0
toolchain:
  description: The C(toolchain) directive copied from the release's C(go.mod), or null.
  returned: always
  type: str
  sample: null
packages:
  description: The main packages imported by the blank-import file, sorted.
  returned: always
  type: list
  elements: str
ldflags:
  description:
    - The C(-X) linker flags Kubernetes sets for its version information (C(gitVersion),
      C(gitMajor), C(gitMinor) and, with O(build_date), C(buildDate)), joined by spaces.
  returned: always
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic
from ansible_collections.kubemark.kubemark.plugins.module_utils.gomod import (
    BUILDER_MODULE_PATH,
    E2E_TEST_FILE,
    GOMOD_FILE,
    TOOLS_FILE,
    GoModError,
    check_packages,
    gomod_up_to_date,
    parse_gomod,
    render_e2e_test,
    render_gomod,
    render_tools,
    staging_modules,
    staging_version,
    version_ldflags,
)


def _read(path):
    try:
        with open(path, 'r') as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            version=dict(type='str', required=True),
            gomod=dict(type='path', required=True),
            dest=dict(type='path', required=True),
            packages=dict(type='list', elements='str', default=['k8s.io/kubernetes/cmd/kubemark']),
            module_path=dict(type='str', default=BUILDER_MODULE_PATH),
            build_date=dict(type='str'),
            e2e_source=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    dest = params['dest']

    source = _read(params['gomod'])
    if source is None:
        module.fail_json(msg='%s does not exist; run "go mod download -json k8s.io/kubernetes@%s" first'
                         % (params['gomod'], params['version']))
    try:
        kubernetes_gomod = parse_gomod(source)
        packages = check_packages(params['packages'])
        wanted = {
            GOMOD_FILE: render_gomod(kubernetes_gomod, params['version'], params['module_path']),
            TOOLS_FILE: render_tools(packages),
        }
        if params['e2e_source']:
            e2e_text = _read(params['e2e_source'])
            if e2e_text is None:
                raise GoModError('e2e_source %s does not exist' % params['e2e_source'])
            wanted[E2E_TEST_FILE] = render_e2e_test(e2e_text, params['version'])
        ldflags = ' '.join(version_ldflags(params['version'], build_date=params['build_date']))
    except GoModError as error:
        module.fail_json(msg=str(error))

    if os.path.exists(dest) and not os.path.isdir(dest):
        module.fail_json(msg='dest %s exists and is not a directory' % dest)

    files = {}
    diffs = []
    for name in sorted(wanted):
        path = os.path.join(dest, name)
        current = _read(path)
        if name == GOMOD_FILE:
            differs = not gomod_up_to_date(current, wanted[name])
        else:
            differs = current != wanted[name]
        files[name] = differs
        if differs:
            diffs.append(dict(before_header=path, after_header=path,
                              before=current or '', after=wanted[name]))

    changed = any(files.values())
    if changed and not module.check_mode:
        for name, differs in files.items():
            if differs:
                write_atomic(os.path.join(dest, name), wanted[name], 0o644, dir_mode=0o755)

    result = dict(
        changed=changed,
        dest=dest,
        files=files,
        staging_modules=staging_modules(kubernetes_gomod),
        staging_version=staging_version(params['version']),
        go=kubernetes_gomod.go,
        toolchain=kubernetes_gomod.toolchain,
        packages=packages,
        ldflags=ldflags,
    )
    if module._diff:
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
