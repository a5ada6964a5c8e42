# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Kubernetes releases whose real sources the source-patch tests run on."""

from __future__ import annotations

from collections import namedtuple

# Released Kubernetes versions the source-patch tests run on, with what a human read in each
# file. This is the only list of test versions; add a release here to cover it.
#   cri_field: the assignment holding the hollow kubelet's image endpoint (None: there is none)
#   cri_endpoint: the literal upstream assigns to it
#   proxy_shape: how cmd/kube-proxy/app/server.go registers NodeEligibleHandler
K8sRelease = namedtuple('K8sRelease', ['version', 'cri_field', 'cri_endpoint', 'proxy_shape'])

_CONTAINERD = 'unix:///run/containerd/containerd.sock'
K8S_RELEASES = (
    K8sRelease('v1.20.15', None, None, 'no_registration'),
    K8sRelease('v1.21.14', 'f.RemoteImageEndpoint', '/run/containerd/containerd.sock', 'no_registration'),
    K8sRelease('v1.22.17', 'f.RemoteImageEndpoint', '/run/containerd/containerd.sock', 'no_registration'),
    K8sRelease('v1.26.15', 'f.RemoteImageEndpoint', _CONTAINERD, 'no_registration'),
    K8sRelease('v1.27.16', 'c.ImageServiceEndpoint', _CONTAINERD, 'no_registration'),
    K8sRelease('v1.28.15', 'c.ImageServiceEndpoint', _CONTAINERD, 'gated_registration'),
    K8sRelease('v1.30.14', 'c.ImageServiceEndpoint', _CONTAINERD, 'gated_registration'),
    K8sRelease('v1.31.14', 'c.ImageServiceEndpoint', _CONTAINERD, 'gated_registration'),
    K8sRelease('v1.32.13', 'c.ImageServiceEndpoint', _CONTAINERD, 'gated_registration'),
    K8sRelease('v1.33.13', 'c.ImageServiceEndpoint', _CONTAINERD, 'unconditional_registration'),
    K8sRelease('v1.34.4', 'c.ImageServiceEndpoint', _CONTAINERD, 'no_registration'),
    # Newest release the Go module proxy served when this list was last updated.
    K8sRelease('v1.37.2', 'c.ImageServiceEndpoint', _CONTAINERD, 'no_registration'),
)
