#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_systemd_instances
short_description: Run exactly a given set of instances of a systemd template unit
version_added: 0.1.0
description:
  - Makes the instances O(instances) of the template unit C(NAME@.service) run (and, with
    O(enabled), start at boot), and with O(prune) stops and disables every other instance of it,
    with one C(systemctl) command per action for all instances at once, so hundreds of hollow
    nodes cost a handful of commands instead of hundreds of tasks.
  - Reads the state first (C(systemctl list-units) and the C(.wants) directory of
    O(wanted_by)), so it reports C(changed) only when it starts, stops, enables or disables
    something.
author:
  - kubemark collection developers (@kubemark)
options:
  name:
    description:
      - Name of the template unit without C(@.service), such as C(hollow-node).
    type: str
    required: true
  instances:
    description:
      - Instance names (such as C(1), C(2), ...) that must run. An empty list with O(prune) stops
        them all.
    type: list
    elements: str
    required: true
  enabled:
    description:
      - Also enable the instances (start at boot) and, with O(prune), disable the others.
    type: bool
    default: true
  prune:
    description:
      - Stop (and disable) the instances that are not in O(instances).
    type: bool
    default: true
  wanted_by:
    description:
      - Target whose C(.wants) directory under C(/etc/systemd/system) records enabled instances;
        the C([Install]) section of the template must name the same target.
    type: str
    default: multi-user.target
  reset_failed:
    description:
      - Reset the failed state of the instances that were stopped, so they leave no trace in
        C(systemctl --failed).
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Reports what it would start, stop, enable and disable.
  diff_mode:
    support: none
    description: Nothing to show a difference of.
"""

EXAMPLES = r"""
- name: Run hollow-node@1 to hollow-node@50 and nothing else
  kubemark.kubemark.kubemark_systemd_instances:
    name: hollow-node
    instances: "{{ range(1, 51) | map('string') | list }}"
"""

RETURN = r"""
started:
  description: Instances started.
  returned: always
  type: list
  elements: str
stopped:
  description: Instances stopped.
  returned: always
  type: list
  elements: str
enabled_instances:
  description: Instances enabled.
  returned: always
  type: list
  elements: str
disabled_instances:
  description: Instances disabled.
  returned: always
  type: list
  elements: str
running:
  description: Instances that were active, activating or reloading before the module acted.
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import hollow_nodes

# systemctl takes many units per command; keep command lines far below ARG_MAX.
BATCH = 500


def units(name, instances):
    return ['%s@%s.service' % (name, instance) for instance in instances]


def run_batched(module, action, unit_names):
    for index in range(0, len(unit_names), BATCH):
        command = ['systemctl'] + action + unit_names[index:index + BATCH]
        rc, out, err = module.run_command(command)
        if rc != 0:
            module.fail_json(msg='%s failed (exit %d): %s' % (' '.join(command[:4]) + ' ...', rc, (err or out).strip()),
                             rc=rc, stdout=out, stderr=err)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            instances=dict(type='list', elements='str', required=True),
            enabled=dict(type='bool', default=True),
            prune=dict(type='bool', default=True),
            wanted_by=dict(type='str', default='multi-user.target'),
            reset_failed=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    name = params['name']
    if not name or '@' in name or '/' in name or name.endswith('.service'):
        module.fail_json(msg='name must be a template unit name without @.service, such as hollow-node, not %r' % name)
    bad = [instance for instance in params['instances'] if not instance or '/' in instance or ' ' in instance]
    if bad:
        module.fail_json(msg='invalid instance names: %s' % bad)

    rc, out, err = module.run_command(['systemctl', 'list-units', '--all', '--plain', '--no-legend', '--no-pager',
                                       '%s@*.service' % name])
    if rc != 0:
        module.fail_json(msg='systemctl list-units failed (exit %d): %s' % (rc, (err or out).strip()))
    states = hollow_nodes.parse_list_units(out, name)
    wants_dir = os.path.join('/etc/systemd/system', params['wanted_by'] + '.wants')
    try:
        enabled = hollow_nodes.parse_wants(os.listdir(wants_dir), name)
    except OSError:
        enabled = set()

    plan = hollow_nodes.plan_instances(params['instances'], states, enabled,
                                       prune=params['prune'], enable=params['enabled'])
    if not params['enabled']:
        plan['disable'] = []
    result = dict(
        changed=any(plan[key] for key in plan),
        started=plan['start'], stopped=plan['stop'],
        enabled_instances=plan['enable'], disabled_instances=plan['disable'],
        running=sorted((instance for instance, state in states.items() if state in ('active', 'activating', 'reloading')),
                       key=hollow_nodes.natural_key),
    )
    if module.check_mode or not result['changed']:
        module.exit_json(**result)

    if plan['stop'] or plan['disable']:
        # Stop and disable the extra instances first, so a scale-down frees memory before anything starts.
        stop_and_disable = sorted(set(plan['stop']) | set(plan['disable']), key=hollow_nodes.natural_key)
        # disable --now also stops instances that were running without being enabled.
        run_batched(module, ['disable', '--now'] if params['enabled'] else ['stop'], units(name, stop_and_disable))
        if params['reset_failed']:
            # Units that are not failed make reset-failed complain; that is not an error here.
            module.run_command(['systemctl', 'reset-failed'] + units(name, stop_and_disable))
    if plan['enable']:
        run_batched(module, ['enable'], units(name, plan['enable']))
    if plan['start']:
        # --no-block: the units start in parallel; readiness is checked against the API server.
        run_batched(module, ['start', '--no-block'], units(name, plan['start']))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
