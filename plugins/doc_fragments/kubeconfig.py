# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of the modules that talk to a Kubernetes API server (module_utils/_kube.py's KUBECONFIG_ARGS)."""

from __future__ import annotations


class ModuleDocFragment:

    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path of the kubeconfig, on the host that runs the module.
      - Exactly one of O(kubeconfig) and O(kubeconfig_content) is needed.
    type: path
  kubeconfig_content:
    description:
      - The kubeconfig as YAML text, for example slurped from the master.
      - Never logged, since it can carry a token or a client key.
    type: str
  context:
    description:
      - Context of the kubeconfig to use; its current context when not set.
    type: str
requirements:
  - kubernetes (the Python client) on the host that runs the module (normally the control host)
notes:
  - The kubeconfig is loaded by the C(kubernetes) Python package, so the credentials C(kubectl) takes work here too
    (token, token file, client certificate, exec credential plugin).
"""
