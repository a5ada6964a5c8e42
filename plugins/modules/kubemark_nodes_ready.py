#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_nodes_ready
short_description: Count Ready nodes of a cluster and report their startup time
version_added: 0.1.0
description:
  - Lists the Node objects that match O(label_selector) (and, when given, whose names are in
    O(names)), counts those whose C(Ready) condition is C(True), and waits up to O(wait_timeout)
    seconds for at least O(count) of them.
  - Reports the startup time of each Ready node, from its C(creationTimestamp) to the
    C(lastTransitionTime) of its C(Ready) condition, as min, p50, p90, p99 and max.
  - Never fails because too few nodes are Ready unless O(fail_on_timeout) is set, so a task can
    call it in an C(until) loop with a short O(wait_timeout) and show progress at every retry.
  - The kubeconfig's credentials must be allowed to list nodes (the admin kubeconfig of the cluster).
author:
  - kubemark collection developers (@kubemark)
extends_documentation_fragment:
  - kubemark.kubemark.kubeconfig
options:
  label_selector:
    description:
      - Label selector of the nodes to look at.
    type: str
    default: hollow-node=true
  names:
    description:
      - Only these node names count; names with no Node are reported in RV(missing).
      - All nodes that match O(label_selector) count when not set.
    type: list
    elements: str
  count:
    description:
      - Number of Ready nodes to wait for.
    type: int
    required: true
  wait_timeout:
    description:
      - Seconds to wait for O(count) Ready nodes; C(0) looks once.
    type: int
    default: 0
  poll_interval:
    description:
      - Seconds between two looks while waiting.
    type: int
    default: 2
  fail_on_timeout:
    description:
      - Fail when fewer than O(count) nodes are Ready at the end of O(wait_timeout).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: The module only reads.
  diff_mode:
    support: none
    description: Nothing to show a difference of.
notes:
  - The startup time of a node that became NotReady and Ready again (a restarted master) counts
    from its creation to its last transition to Ready.
seealso:
  - module: kubemark.kubemark.kubemark_whoami
"""

EXAMPLES = r"""
- name: Wait until 100 hollow nodes are Ready, looking every 15 seconds
  kubemark.kubemark.kubemark_nodes_ready:
    kubeconfig: ~/.local/share/kubemark/kubemark/admin.kubeconfig
    count: 100
    wait_timeout: 15
  register: hollow_ready
  until: hollow_ready.reached
  retries: 40
  delay: 0
"""

RETURN = r"""
reached:
  description: Whether at least O(count) nodes are Ready.
  returned: success
  type: bool
ready:
  description: Number of Ready nodes.
  returned: success
  type: int
registered:
  description: Number of matching nodes, Ready or not.
  returned: success
  type: int
ready_names:
  description: Names of the Ready nodes, in natural order.
  returned: success
  type: list
  elements: str
not_ready:
  description: Names of the matching nodes that are not Ready.
  returned: success
  type: list
  elements: str
missing:
  description: Names of O(names) that have no Node object.
  returned: success
  type: list
  elements: str
startup:
  description: Startup seconds (creation to Ready) over the Ready nodes.
  returned: success
  type: dict
  sample: {count: 5, min: 2.0, p50: 3.0, p90: 4.0, p99: 4.0, max: 4.0}
elapsed:
  description: Seconds this call waited.
  returned: success
  type: float
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import hollow_nodes
from ansible_collections.kubemark.kubemark.plugins.module_utils._kube import (
    KUBECONFIG_ARGS,
    KUBECONFIG_SOURCES,
    ApiError,
    client_for_module,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            KUBECONFIG_ARGS,
            label_selector=dict(type='str', default='hollow-node=true'),
            names=dict(type='list', elements='str'),
            count=dict(type='int', required=True),
            wait_timeout=dict(type='int', default=0),
            poll_interval=dict(type='int', default=2),
            fail_on_timeout=dict(type='bool', default=False),
        ),
        required_one_of=KUBECONFIG_SOURCES,
        mutually_exclusive=KUBECONFIG_SOURCES,
        supports_check_mode=True,
    )
    params = module.params
    if params['count'] < 0:
        module.fail_json(msg='count must be 0 or more, not %d' % params['count'])
    if params['wait_timeout'] < 0 or params['poll_interval'] < 1:
        module.fail_json(msg='wait_timeout must be 0 or more and poll_interval 1 or more')

    api = client_for_module(module, timeout=15)

    start = time.monotonic()
    deadline = start + params['wait_timeout']
    while True:
        try:
            nodes = api.list_nodes(params['label_selector'])
        except ApiError as error:
            module.fail_json(msg='cannot list the nodes (%s) with %s: %s' % (params['label_selector'], api.source, error))
        summary = hollow_nodes.readiness(nodes, params['names'])
        reached = summary['ready'] >= params['count']
        pause = hollow_nodes.seconds_to_next_look(time.monotonic(), deadline, params['poll_interval'])
        if reached or pause is None:
            break
        time.sleep(pause)

    result = dict(summary, changed=False, reached=reached, elapsed=round(time.monotonic() - start, 3))
    if not reached and params['fail_on_timeout']:
        module.fail_json(msg='%d of %d nodes Ready after %d s (%d registered; not Ready: %s; missing: %s)' % (
            summary['ready'], params['count'], params['wait_timeout'], summary['registered'],
            ', '.join(summary['not_ready'][:20]) or 'none', ', '.join(summary['missing'][:20]) or 'none'), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
