#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_cri_patch
short_description: Let the kubemark hollow kubelet's image service dial a CRI socket chosen at run time
version_added: 0.1.0
description:
  - Upstream kubemark hard-codes the CRI socket that hollow kubelets pull images through
    (C(unix:///run/containerd/containerd.sock)) in C(pkg/kubemark/hollow_kubelet.go).
    This module patches that file in a Kubernetes source tree before kubemark is built, so that the
    socket is read from the environment variable C(KUBEMARK_IMAGE_SERVICE_ENDPOINT) when kubemark
    runs; one build then serves containerd and CRI-O hosts alike.
  - The string literal assigned to the socket becomes the argument of a call of the function
    C(kubemarkImageServiceEndpoint), with O(endpoint) as the built-in value. The module adds that
    function at the end of the file, with a comment naming this collection, and the C("os") import
    where C(gofmt) sorts it. The function returns C(KUBEMARK_IMAGE_SERVICE_ENDPOINT) when it is set
    and not empty, else the built-in value. The file stays C(gofmt) clean.
  - Kubernetes v1.21 to v1.26 set the socket in the kubelet flags (C(f.RemoteImageEndpoint));
    v1.27 and newer in the kubelet configuration (C(c.ImageServiceEndpoint)).
    Before v1.21 the hollow kubelet always used a fake image service and there is nothing to patch.
  - Running the module on a file it patched before only replaces the built-in value, and changes
    nothing when that is already O(endpoint). A file patched by older versions of this module,
    which assigned a plain string literal, gets the new form.
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
      - CRI socket URL built into kubemark, which the hollow kubelet's image service connects to
        when C(KUBEMARK_IMAGE_SERVICE_ENDPOINT) is empty or unset in its environment.
      - Must be a C(unix://) URL with an absolute, normalized socket path, such as
        C(unix:///run/crio/crio.sock).
      - The environment variable is not checked by kubemark; whatever it holds is dialled.
    type: str
    default: unix:///run/containerd/containerd.sock
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
  - Set C(KUBEMARK_IMAGE_SERVICE_ENDPOINT) in the environment of the kubemark process, for example
    with C(Environment=) in its systemd unit or in the C(env) of its container.
  - Running kubemark with C(--use-host-image-service=false) avoids the host socket altogether;
    hollow nodes then use their fake image service.
seealso:
  - module: kubemark.kubemark.kubemark_proxy_patch
"""

EXAMPLES = r"""
- name: Let hollow kubelets pull images through the socket named at run time, containerd's by default
  kubemark.kubemark.kubemark_cri_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.31.14
    version: v1.31.14

- name: Build kubemark for CRI-O hosts (KUBEMARK_IMAGE_SERVICE_ENDPOINT still wins when set)
  kubemark.kubemark.kubemark_cri_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.31.14
    endpoint: unix:///run/crio/crio.sock
    version: v1.31.14

- name: Show what would change without writing anything
  kubemark.kubemark.kubemark_cri_patch:
    src: /var/lib/kubemark/src/kubernetes-v1.26.15
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
  description: Line number of the assignment in RV(path) after this run.
  returned: success
  type: int
  sample: 172
previous_endpoint:
  description:
    - The built-in endpoint the source contained before this run, upstream's or that of an earlier run.
    - Kubernetes v1.21 and v1.22 contain a bare socket path rather than a URL.
  returned: success
  type: str
  sample: unix:///run/containerd/containerd.sock
endpoint:
  description:
    - The built-in endpoint the source contains after this run, which the hollow kubelet's image
      service dials when RV(env) is empty or unset.
  returned: success
  type: str
  sample: unix:///run/crio/crio.sock
env:
  description: The environment variable that, when set and not empty, overrides RV(endpoint) at run time.
  returned: success
  type: str
  sample: KUBEMARK_IMAGE_SERVICE_ENDPOINT
patch:
  description: The change as a unified diff relative to O(src), empty when nothing changed.
  returned: success
  type: str
  sample: "--- a/pkg/kubemark/hollow_kubelet.go\n+++ b/pkg/kubemark/hollow_kubelet.go\n@@ -19,6 +19,7 @@\n..."
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import (
    DEFAULT_CRI_ENDPOINT,
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
            endpoint=dict(type='str', default=DEFAULT_CRI_ENDPOINT),
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
                           endpoint=patch.endpoint, env=patch.env))


if __name__ == '__main__':
    main()
