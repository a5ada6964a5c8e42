# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: machine_specs
short_description: Machine container specs from inventory hosts
version_added: 0.1.0
author:
  - kubemark collection developers (@kubemark)
description:
  - Turns a list of inventory host names into machine specs (name, address, disks) for
    M(kubemark.kubemark.machine_containers), taking each host's C(ansible_host) as its address
    and its C(machines_disks) as its disks.
  - Checks names, addresses and disks and fails with a message naming the host and the fix.
positional: hostvars, network_cidr, network_gateway
options:
  _input:
    description: Inventory host names.
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
  network_cidr:
    description: The machine network; every address must be inside it.
    type: str
    required: true
  network_gateway:
    description: The host's address on the machine network; empty for the first address.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Show the machines of the local inventory
  ansible.builtin.debug:
    msg: "{{ groups['kubemark_machine_containers'] | kubemark.kubemark.machine_specs(hostvars, '10.199.0.0/24') }}"
"""

RETURN = r"""
_value:
  description: One dict per host with C(name), C(address) and C(disks).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.kubemark.kubemark.plugins.module_utils.machines import (
    MachineSpecError,
    validate_specs,
)


def machine_specs(hosts, hostvars, network_cidr, network_gateway=""):
    specs = []
    for host in hosts:
        variables = hostvars[host]
        specs.append(
            {
                "name": host,
                "address": variables.get("ansible_host"),
                "disks": variables.get("machines_disks") or [],
            }
        )
    try:
        validate_specs(specs, network_cidr, network_gateway or None)
    except MachineSpecError as exc:
        raise AnsibleFilterError(
            "%s (machine specs come from the inventory group of machine containers: fix the "
            "host's ansible_host or machines_disks there)" % exc
        )
    return specs


class FilterModule(object):
    def filters(self):
        return {"machine_specs": machine_specs}
