# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Self-contained kubeconfigs (one cluster, one user, one context, everything embedded as data).

Shared by the modules that write kubeconfigs: kubemark_kubeconfig (one file) and
kubemark_node_credentials (one per hollow node). Pure logic on dicts and bytes.
"""

from __future__ import annotations

import base64


def b64(data):
    return base64.b64encode(data).decode('ascii')


def build(server, ca_data, user, cluster_name, user_name, context_name=None):
    """The kubeconfig dict; user holds token or client-certificate-data/client-key-data."""
    context_name = context_name or '%s@%s' % (user_name, cluster_name)
    return {
        'apiVersion': 'v1',
        'kind': 'Config',
        'clusters': [{'name': cluster_name, 'cluster': {'server': server, 'certificate-authority-data': b64(ca_data)}}],
        'users': [{'name': user_name, 'user': user}],
        'contexts': [{'name': context_name, 'context': {'cluster': cluster_name, 'user': user_name}}],
        'current-context': context_name,
        'preferences': {},
    }


def client_certificate_user(cert_pem, key_pem):
    return {'client-certificate-data': b64(cert_pem), 'client-key-data': b64(key_pem)}


def single_entry(config, section, field):
    """The field of the only entry of a section (clusters, users), or None."""
    if not isinstance(config, dict):
        return None
    entries = config.get(section)
    if not isinstance(entries, list) or len(entries) != 1 or not isinstance(entries[0], dict):
        return None
    inner = entries[0].get(section[:-1])
    return inner.get(field) if isinstance(inner, dict) else None


def decoded(config, section, field):
    """Bytes of a base64 *-data field of the only entry of a section, or None."""
    value = single_entry(config, section, field)
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return None
