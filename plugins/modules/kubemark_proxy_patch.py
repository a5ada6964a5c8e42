#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_proxy_patch
short_description: Keep the kubemark hollow kube-proxy from panicking on a nil health server
version_added: 0.1.0
description:
  - In Kubernetes v1.30 to v1.33 the hollow kube-proxy (C(kubemark --morph=proxy)) crashes on the
    first node event with a nil pointer dereference in C(ProxierHealthServer.SyncNode)
    (kubernetes/kubernetes#133526). C(ProxyServer.Run) in C(cmd/kube-proxy/app/server.go) registers a
    C(proxy.NodeEligibleHandler) that calls the health server, but the hollow proxy never
    creates one.
  - This module wraps that registration in C(if s.HealthzServer != nil { ... }) in a Kubernetes
    source tree before kubemark is built. A real kube-proxy with a health server still registers
    the handler, so its behaviour does not change.
  - The module reads the source to decide. Trees that register the handler (v1.28 to v1.33; in
    v1.28 and v1.29 behind a feature gate that is off by default) are patched. Trees whose
    C(ProxyServer.Run) has no such handler (v1.27 and older, and v1.34 and newer after the
    kube-proxy NodeManager refactor) are left alone and reported with RV(needed=false).
  - A tree that already has the guard is recognised, so a second run changes nothing.
  - Any other shape, for example a changed registration or a missing C(ProxyServer.Run), fails
    with a message naming the file and the shapes the module knows.
author:
  - kubemark collection developers (@kubemark)
options:
  src:
    description:
      - Root of a Kubernetes source tree, the directory holding C(cmd/kube-proxy/app/server.go);
        for example a writable copy of C(k8s.io/kubernetes@VERSION) from the Go module cache.
      - The Go module cache itself is read-only; patch a copy.
    type: path
    required: true
  version:
    description:
      - Kubernetes version of the tree in O(src), such as C(v1.31.14).
      - When set, the module also checks that the source has the shape that version is known to
        have, and fails if it does not. The decision to patch still comes from the source.
    type: str
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change without writing it.
  diff_mode:
    support: full
    description: Returns the whole file before and after the change.
notes:
  - The file is replaced atomically and keeps its mode and owner.
seealso:
  - module: kubemark.kubemark.kubemark_cri_patch
"""

EXAMPLES = r"""
- name: Guard the hollow kube-proxy against the nil health server
  kubemark.kubemark.kubemark_proxy_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.31.14
    version: v1.31.14
  register: proxy_patch

- name: Report whether the tree needed the guard
  ansible.builtin.debug:
    msg: "hollow kube-proxy guard needed: {{ proxy_patch.needed }}"
"""

RETURN = r"""
path:
  description: The file that was inspected and, if needed, rewritten.
  returned: success
  type: str
  sample: /var/lib/kubemark/src/kubernetes-v1.31.14/cmd/kube-proxy/app/server.go
needed:
  description:
    - Whether the source registers the handler that needs the guard. It stays V(true) once the
      guard is in place; C(changed) tells whether this run added it.
  returned: success
  type: bool
  sample: true
shape:
  description:
    - What the source looks like.
    - V(gated_registration) is the registration inside the C(KubeProxyDrainingTerminatingNodes)
      feature gate check (v1.28 to v1.32).
    - V(unconditional_registration) is the registration without the gate (v1.33).
    - V(no_registration) is a C(ProxyServer.Run) without the handler (v1.27 and older, v1.34 and newer).
  returned: success
  type: str
  sample: gated_registration
line:
  description: Line number in the original file where the registration starts; null without one.
  returned: success
  type: int
  sample: 568
patch:
  description: The change as a unified diff relative to O(src), empty when nothing changed.
  returned: success
  type: str
  sample: "--- a/cmd/kube-proxy/app/server.go\n+++ b/cmd/kube-proxy/app/server.go\n@@ -565,9 +565,13 @@\n..."
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import (
    KUBE_PROXY_SERVER_FILE,
    guard_proxy_healthz,
    parse_minor,
    run_patch_module,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type='path', required=True),
            version=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    version = module.params['version']

    def check_arguments():
        if version:
            parse_minor(version)

    run_patch_module(
        module, KUBE_PROXY_SERVER_FILE, check_arguments,
        lambda text, path: guard_proxy_healthz(text, version=version, path=path),
        lambda patch: dict(needed=patch.needed, shape=patch.shape, line=patch.line))


if __name__ == '__main__':
    main()
