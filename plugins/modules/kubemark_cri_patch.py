#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_cri_patch
short_description: Point the kubemark hollow kubelet's image service at a host CRI socket
version_added: 0.1.0
description:
  - Upstream kubemark hard-codes the CRI socket that hollow kubelets pull images through
    (C(unix:///run/containerd/containerd.sock)) in C(pkg/kubemark/hollow_kubelet.go).
    This module rewrites that one string literal in a Kubernetes source tree before kubemark is
    built, for example to use CRI-O's socket.
  - Kubernetes v1.21 to v1.26 set it in the kubelet flags as C(f.RemoteImageEndpoint = "...");
    v1.27 and newer set it in the kubelet configuration as C(c.ImageServiceEndpoint = "...").
    Before v1.21 the hollow kubelet always used a fake image service and there is nothing to patch.
  - The module fails, naming the file and the line shape it expected, when the source does not
    contain exactly one such assignment. It never reports success without having found the line.
author:
  - kubemark collection developers (@kubemark)
options:
  src:
    description:
      - Root of a Kubernetes source tree, the directory holding C(pkg/kubemark/hollow_kubelet.go);
        for example a writable copy of C(k8s.io/kubernetes@VERSION) from the Go module cache.
      - The Go module cache itself is read-only; patch a copy.
    type: path
    required: true
  endpoint:
    description:
      - CRI socket URL the hollow kubelet's image service connects to.
      - Must be a C(unix://) URL with an absolute, normalized socket path, such as
        C(unix:///run/crio/crio.sock).
    type: str
    required: true
  version:
    description:
      - Kubernetes version of the tree in O(src), such as C(v1.31.14).
      - When set, the module only accepts the line shape that version uses and fails on any other.
        When omitted, it accepts whichever known shape the file contains.
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
  - Running kubemark with C(--use-host-image-service=false) avoids the host socket altogether;
    hollow nodes then use their fake image service.
seealso:
  - module: kubemark.kubemark.kubemark_proxy_patch
"""

EXAMPLES = r"""
- name: Make hollow kubelets pull images through CRI-O
  kubemark.kubemark.kubemark_cri_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.31.14
    endpoint: unix:///run/crio/crio.sock
    version: v1.31.14

- name: Show what would change without writing anything
  kubemark.kubemark.kubemark_cri_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.26.15
    endpoint: unix:///run/containerd/containerd.sock
  check_mode: true
  diff: true
  register: cri_patch
"""

RETURN = r"""
path:
  description: The file that was inspected and, if needed, rewritten.
  returned: success
  type: str
  sample: /var/lib/kubemark/src/kubernetes-v1.31.14/pkg/kubemark/hollow_kubelet.go
field:
  description: The Go expression the endpoint is assigned to, which tells the source's generation.
  returned: success
  type: str
  sample: c.ImageServiceEndpoint
line:
  description: Line number of the assignment in RV(path).
  returned: success
  type: int
  sample: 171
previous_endpoint:
  description:
    - The endpoint the source contained before this run.
    - Kubernetes v1.21 and v1.22 contain a bare socket path rather than a URL.
  returned: success
  type: str
  sample: unix:///run/containerd/containerd.sock
endpoint:
  description: The endpoint the source contains after this run.
  returned: success
  type: str
  sample: unix:///run/crio/crio.sock
patch:
  description: The change as a unified diff relative to O(src), empty when nothing changed.
  returned: success
  type: str
  sample: "--- a/pkg/kubemark/hollow_kubelet.go\n+++ b/pkg/kubemark/hollow_kubelet.go\n@@ -168,7 +168,7 @@\n..."
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import (
    HOLLOW_KUBELET_FILE,
    cri_shape_for_version,
    run_patch_module,
    set_cri_endpoint,
    validate_cri_endpoint,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type='path', required=True),
            endpoint=dict(type='str', required=True),
            version=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    endpoint = module.params['endpoint']
    version = module.params['version']

    def check_arguments():
        validate_cri_endpoint(endpoint)
        if version:
            cri_shape_for_version(version)

    run_patch_module(
        module, HOLLOW_KUBELET_FILE, check_arguments,
        lambda text, path: set_cri_endpoint(text, endpoint, version=version, path=path),
        lambda patch: dict(field=patch.field, line=patch.line, previous_endpoint=patch.previous_endpoint,
                           endpoint=patch.endpoint))


if __name__ == '__main__':
    main()
