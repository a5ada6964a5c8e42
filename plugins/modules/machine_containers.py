#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: machine_containers
short_description: Create and remove machine containers that stand in for cloud VMs
version_added: 0.1.0
author:
  - kubemark collection developers (@kubemark)
description:
  - Manages a set of "machines" on one Linux host, in one call. Each machine is a privileged
    containerd container that boots systemd as PID 1 from its own copy of a Debian root file
    system, with its own network namespace and IPv4 address on a host bridge, its own SSH host
    key and machine-id, and optional block devices backed by loop devices (seen inside as
    C(/dev/vdb) and so on, like the volumes of a cloud VM).
  - The host cgroup tree is mounted read-write so that containerd and a kubelet inside the
    machine can run containers of their own.
  - Every name and address is checked before anything is changed. A containerd container or a
    network namespace with a machine's name that this module did not make is never touched.
  - Disks are never shrunk or reformatted; removing a machine (O(state=absent)) deletes its root
    file system copy and its disk images.
options:
  machines:
    description:
      - The machines. With O(state=absent) only C(name) is used.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Machine name; becomes the hostname and the containerd container id.
        type: str
        required: true
      address:
        description: IPv4 address of the machine inside O(network_cidr).
        type: str
      disks:
        description: Block devices of the machine.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Device name inside the machine, such as C(vdb), C(sdb), C(xvdb) or C(nvme1n1).
            type: str
            required: true
          size:
            description: Size such as C(4G); sparse, so it takes no space until written.
            type: str
            required: true
  state:
    description: Whether the machines should exist and run, or be gone.
    type: str
    choices: [present, absent]
    default: present
  rootfs:
    description:
      - Root file system to copy for new machines (a debootstrap tree with systemd and sshd).
      - Required with O(state=present).
    type: path
  state_dir:
    description: Where machine root file systems, disk images and records are kept.
    type: path
    default: /var/lib/kubemark/machines
  network_cidr:
    description: The machine network.
    type: str
    default: 10.199.0.0/24
  network_gateway:
    description: Address of the host on the machine bridge; the first host address when empty.
    type: str
  bridge:
    description: Name of the host bridge that connects the machines.
    type: str
    default: kubemark0
  remove_network:
    description:
      - With O(state=absent), also delete the bridge once no machine of O(state_dir) is left.
    type: bool
    default: true
  authorized_key:
    description: SSH public key allowed to log in as root. Required with O(state=present).
    type: str
  known_hosts_path:
    description:
      - File to write with the host keys of all machines of O(state_dir), so that SSH to them
        can check host keys strictly.
    type: path
  containerd_address:
    description: Socket of the containerd that runs the machines.
    type: path
    default: /run/kubemark/machines/containerd.sock
  containerd_namespace:
    description: containerd namespace of the machine containers.
    type: str
    default: kubemark
notes:
  - Needs root, containerd with runc, iproute2, util-linux and openssh-client on the host.
attributes:
  check_mode:
    support: full
    description: Reports what would be created or removed without changing anything.
  diff_mode:
    support: full
    description: The diff lists the machines before and after and the actions taken.
"""

EXAMPLES = r"""
- name: Create a master and a hollow-node host
  kubemark.kubemark.machine_containers:
    rootfs: /root/.cache/kubemark/rootfs/bookworm-0123abcd
    authorized_key: "{{ lookup('ansible.builtin.file', '/var/lib/kubemark/machines/ssh/id_ed25519.pub') }}"
    known_hosts_path: /var/lib/kubemark/machines/ssh/known_hosts
    machines:
      - name: kubemark-master
        address: 10.199.0.10
        disks:
          - name: vdb
            size: 8G
      - name: kubemark-hollow-1
        address: 10.199.0.11

- name: Remove them and the bridge
  kubemark.kubemark.machine_containers:
    state: absent
    machines:
      - name: kubemark-master
      - name: kubemark-hollow-1
"""

RETURN = r"""
machines:
  description: The machines after the run, by name.
  returned: always
  type: dict
  sample:
    kubemark-master:
      address: 10.199.0.10
      status: RUNNING
      devices:
        vdb: /dev/loop3
      host_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... root@kubemark-master
remaining:
  description: Names of all machines of O(state_dir) after the run, listed or not.
  returned: always
  type: list
  elements: str
  sample: ["kubemark-master"]
actions:
  description: What was changed (or, in check mode, would be).
  returned: always
  type: list
  elements: str
  sample: ["create network namespace kubemark-kubemark-master connected to kubemark0"]
"""

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.kubemark.kubemark.plugins.module_utils.machines import (
    MachineHost,
    MachineHostError,
    MachineSpecError,
    render_hosts,
    render_known_hosts,
    validate_network,
    validate_specs,
)


def argument_spec():
    return dict(
        machines=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                name=dict(type="str", required=True),
                address=dict(type="str"),
                disks=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        name=dict(type="str", required=True),
                        size=dict(type="str", required=True),
                    ),
                ),
            ),
        ),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        rootfs=dict(type="path"),
        state_dir=dict(type="path", default="/var/lib/kubemark/machines"),
        network_cidr=dict(type="str", default="10.199.0.0/24"),
        network_gateway=dict(type="str"),
        bridge=dict(type="str", default="kubemark0"),
        remove_network=dict(type="bool", default=True),
        authorized_key=dict(type="str", no_log=False),
        known_hosts_path=dict(type="path"),
        containerd_address=dict(type="path", default="/run/kubemark/machines/containerd.sock"),
        containerd_namespace=dict(type="str", default="kubemark"),
    )


def describe(host, names):
    tasks = host.tasks()
    machines = {}
    for name in names:
        record = host.load_record(name)
        if record is None:
            continue
        machines[name] = dict(
            address=record["address"],
            status=tasks.get(name, "MISSING"),
            devices=record.get("devices", {}),
            host_key=host.host_key(name),
        )
    return machines


def write_known_hosts(host, path):
    entries = {}
    for name in host.known_machines():
        key = host.host_key(name)
        if key:
            entries[name] = (host.load_record(name)["address"], key)
    host.write_file(path, render_known_hosts(entries), 0o600, "known_hosts %s" % path)


def ensure_present(module, host):
    params = module.params
    specs, network, gateway = validate_specs(params["machines"], params["network_cidr"], params["network_gateway"])
    if not params["rootfs"] or not params["authorized_key"]:
        raise MachineSpecError("state=present needs rootfs and authorized_key")
    host.preflight(specs)
    host.check_clashes(specs)
    host.check_rootfs(params["rootfs"])
    # /etc/hosts lists every machine so that they find each other by name, like on a cloud VPC.
    hosts_text = render_hosts(
        specs + [
            dict(name=n, address=host.load_record(n)["address"])
            for n in host.known_machines() if n not in [s["name"] for s in specs]
        ]
    )
    host.ensure_bridge(network, gateway)
    containers = host.containers()
    tasks = host.tasks()
    for spec in specs:
        host.ensure_rootfs(spec, params["rootfs"], params["authorized_key"], hosts_text)
        host.ensure_netns(spec, network, gateway)
        devices = host.ensure_disks(spec)
        host.ensure_container(spec, devices, containers, tasks)
        host.save_record(spec, devices)
    if params["known_hosts_path"]:
        write_known_hosts(host, params["known_hosts_path"])
    return [s["name"] for s in specs]


def ensure_absent(module, host):
    params = module.params
    validate_network(params["network_cidr"], params["network_gateway"])
    containers = host.containers()
    tasks = host.tasks()
    for spec in params["machines"]:
        host.remove(spec["name"], containers, tasks)
    if params["known_hosts_path"]:
        write_known_hosts(host, params["known_hosts_path"])
    if params["remove_network"] and not host.known_machines():
        host.remove_bridge()
    return []


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        required_if=[("state", "present", ("rootfs", "authorized_key"))],
    )
    host = MachineHost(module, module.params)
    before = sorted(host.known_machines())
    try:
        if module.params["state"] == "present":
            names = ensure_present(module, host)
        else:
            names = ensure_absent(module, host)
    except (MachineSpecError, MachineHostError) as exc:
        module.fail_json(msg=str(exc), actions=host.actions)
    result = dict(
        changed=bool(host.actions),
        actions=host.actions,
        machines=describe(host, names),
        remaining=host.known_machines(),
    )
    if module._diff:
        after = sorted(host.known_machines())
        result["diff"] = dict(
            before=json.dumps(before, indent=2) + "\n",
            after=json.dumps(after, indent=2) + "\n" + "".join("# %s\n" % a for a in host.actions),
        )
    module.exit_json(**result)


if __name__ == "__main__":
    main()
