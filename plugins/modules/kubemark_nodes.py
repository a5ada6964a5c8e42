#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_nodes
short_description: Keep exactly a set of Node objects that no kubelet owns (kwok nodes)
version_added: 0.2.0
description:
  - Makes the Node objects of O(names) exist, and deletes the other Node objects that match
    O(selector). kwok keeps such nodes alive; nothing else creates them.
  - A new Node carries O(labels) (plus C(kubernetes.io/hostname), C(kubernetes.io/os) and
    C(kubernetes.io/arch)), O(taints), and the status a kubelet would register with, namely the
    InternalIP O(address), the Hostname, O(capacity) as capacity and allocatable, and nodeInfo
    with O(kubelet_version). The API server accepts a Node's status on create.
  - Existing nodes are kept as they are, except that missing labels of O(labels) are added.
  - Creations and deletions go out on O(workers) connections at once, so thousands of nodes take
    seconds, in one module call.
author:
  - kubemark collection developers (@kubemark)
extends_documentation_fragment:
  - kubemark.kubemark.kubeconfig
options:
  names:
    description: Node names that must exist (lower-case DNS-1123 subdomains).
    type: list
    elements: str
    required: true
  selector:
    description:
      - Label selector of the nodes this set is made of. Matching nodes not in O(names) are deleted.
      - Every name of O(names) must match it through O(labels).
    type: str
    required: true
  labels:
    description: Labels of new nodes.
    type: dict
    default: {}
  taints:
    description: Taints of new nodes, as C(key=value:Effect) or C(key:Effect).
    type: list
    elements: str
    default: []
  address:
    description: InternalIP of new nodes.
    type: str
  capacity:
    description: Capacity (and allocatable) of new nodes, resource name to quantity, such as cpu 1, memory 4026531840, pods 110.
    type: dict
    default: {}
  kubelet_version:
    description: The kubelet version new nodes report.
    type: str
    default: ''
  workers:
    description: Requests in flight at once.
    type: int
    default: 32
attributes:
  check_mode:
    support: full
    description: Lists what would be created and deleted.
  diff_mode:
    support: none
    description: Nothing is shown as a difference.
  idempotent:
    support: full
    description: A second run with the same names changes nothing.
seealso:
  - module: kubemark.kubemark.kubemark_nodes_ready
"""

EXAMPLES = r"""
- name: Make this host's 1000 kwok nodes
  kubemark.kubemark.kubemark_nodes:
    kubeconfig: /root/.local/share/kubemark/kubemark/admin.kubeconfig
    names: "{{ range(1, 1001) | map('regex_replace', '^', 'kwok-hollow-1-') | list }}"
    selector: hollow-node=true,hollow-nodes.kubemark.io/backend=kwok,hollow-nodes.kubemark.io/host=hollow-1
    labels:
      hollow-node: "true"
      hollow-nodes.kubemark.io/backend: kwok
      hollow-nodes.kubemark.io/host: hollow-1
    address: 10.199.0.11
    capacity: {cpu: "1", memory: "4026531840", pods: "110"}
    kubelet_version: v1.37.2
  delegate_to: localhost
"""

RETURN = r"""
created:
  description: Nodes created (or that would be).
  returned: always
  type: int
deleted:
  description: Nodes deleted (or that would be).
  returned: always
  type: int
kept:
  description: Nodes that existed and stay.
  returned: always
  type: int
"""

import re

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import _kube

_NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
_TAINT_RE = re.compile(r'^(?P<key>[^=:\s]+)(=(?P<value>[^:\s]*))?:(?P<effect>NoSchedule|PreferNoSchedule|NoExecute)$')


def parse_taints(taints):
    parsed = []
    for taint in taints:
        match = _TAINT_RE.match(taint)
        if not match:
            raise ValueError('taint %r is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute' % taint)
        entry = {'key': match.group('key'), 'effect': match.group('effect')}
        if match.group('value'):
            entry['value'] = match.group('value')
        parsed.append(entry)
    return parsed


def node_object(name, params, taints):
    labels = dict(params['labels'])
    labels.setdefault('kubernetes.io/hostname', name)
    labels.setdefault('kubernetes.io/os', 'linux')
    labels.setdefault('kubernetes.io/arch', 'amd64')
    capacity = dict((key, str(value)) for key, value in params['capacity'].items())
    addresses = [{'type': 'Hostname', 'address': name}]
    if params['address']:
        addresses.insert(0, {'type': 'InternalIP', 'address': params['address']})
    node = {
        'apiVersion': 'v1',
        'kind': 'Node',
        'metadata': {'name': name, 'labels': labels},
        'spec': {'taints': taints} if taints else {},
        'status': {
            'capacity': capacity,
            'allocatable': capacity,
            'addresses': addresses,
            'nodeInfo': {
                'architecture': 'amd64',
                'operatingSystem': 'linux',
                'kubeletVersion': params['kubelet_version'],
                'containerRuntimeVersion': 'kwok://fake',
                'kernelVersion': '', 'osImage': '', 'machineID': '', 'systemUUID': '', 'bootID': '',
                'kubeProxyVersion': '',
            },
        },
    }
    return node


def main():
    argument_spec = dict(_kube.KUBECONFIG_ARGS)
    argument_spec.update(
        names=dict(type='list', elements='str', required=True),
        selector=dict(type='str', required=True),
        labels=dict(type='dict', default={}),
        taints=dict(type='list', elements='str', default=[]),
        address=dict(type='str'),
        capacity=dict(type='dict', default={}),
        kubelet_version=dict(type='str', default=''),
        workers=dict(type='int', default=32),
    )
    module = AnsibleModule(argument_spec=argument_spec, required_one_of=_kube.KUBECONFIG_SOURCES,
                           mutually_exclusive=_kube.KUBECONFIG_SOURCES, supports_check_mode=True)
    params = module.params
    names = params['names']
    bad = [name for name in names if len(name) > 253 or not _NAME_RE.match(name)]
    if bad:
        module.fail_json(msg='names: %s are not valid node names' % ', '.join(bad[:5]))
    if not params['selector'].strip():
        module.fail_json(msg='selector must not be empty: it names the nodes this module may delete')
    try:
        taints = parse_taints(params['taints'])
    except ValueError as error:
        module.fail_json(msg=str(error))
    if params['workers'] < 1:
        module.fail_json(msg='workers must be at least 1')

    client = _kube.client_for_module(module)
    try:
        existing = dict((node['metadata']['name'], node) for node in client.list_nodes(params['selector']))
    except _kube.ApiError as error:
        module.fail_json(msg='cannot list the nodes of %s: %s' % (params['selector'], error))
    wanted = set(names)
    missing = [name for name in names if name not in existing]
    extra = sorted(name for name in existing if name not in wanted)
    relabel = [name for name in names if name in existing and any(
        (existing[name]['metadata'].get('labels') or {}).get(key) != value for key, value in params['labels'].items())]
    result = dict(changed=bool(missing or extra or relabel), created=len(missing), deleted=len(extra),
                  kept=len(names) - len(missing))
    if module.check_mode or not result['changed']:
        module.exit_json(**result)

    def create(name):
        client.request_json('POST', '/api/v1/nodes', body=node_object(name, params, taints))

    def delete(name):
        try:
            client.request_json('DELETE', '/api/v1/nodes/' + quote(name, safe=''))
        except _kube.ApiError as error:
            if error.status != 404:
                raise

    def label(name):
        client.request_json('PATCH', '/api/v1/nodes/' + quote(name, safe=''), body={'metadata': {'labels': params['labels']}},
                            content_type='application/merge-patch+json')

    errors = []
    with ThreadPoolExecutor(max_workers=params['workers']) as pool:
        futures = [pool.submit(create, name) for name in missing] + [pool.submit(delete, name) for name in extra] \
            + [pool.submit(label, name) for name in relabel]
        for future in futures:
            try:
                future.result()
            except _kube.ApiError as error:
                errors.append(str(error))
    if errors:
        module.fail_json(msg='%d of %d requests failed, the first: %s' % (len(errors), len(futures), errors[0]), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
