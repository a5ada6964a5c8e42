# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.kubemark.kubemark.plugins.filter.machines import machine_specs


def test_specs_come_from_inventory_hosts():
    hostvars = {
        "master": {"ansible_host": "10.199.0.10", "machines_disks": [{"name": "vdb", "size": "8G"}]},
        "hollow-1": {"ansible_host": "10.199.0.11"},
    }
    assert machine_specs(["master", "hollow-1"], hostvars, "10.199.0.0/24") == [
        {"name": "master", "address": "10.199.0.10", "disks": [{"name": "vdb", "size": "8G"}]},
        {"name": "hollow-1", "address": "10.199.0.11", "disks": []},
    ]


def test_bad_address_names_the_host_and_the_fix():
    with pytest.raises(AnsibleFilterError, match=r"\(master\): address 10\.1\.0\.10 is outside.*ansible_host"):
        machine_specs(["master"], {"master": {"ansible_host": "10.1.0.10"}}, "10.199.0.0/24")
