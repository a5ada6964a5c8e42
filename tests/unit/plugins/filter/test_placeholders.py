# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.kubemark.kubemark.plugins.filter.placeholders import placeholders


class LazyVars(dict):
    """Like hostvars[host]: values are templated on access, and some cannot be."""

    def __init__(self, values, broken):
        super(LazyVars, self).__init__(values)
        self.broken = set(broken)

    def __getitem__(self, key):
        if key in self.broken:
            raise RuntimeError("'%s' is undefined" % key)
        return super(LazyVars, self).__getitem__(key)


def test_nothing_to_fill():
    assert placeholders({"kubemark_kubernetes_version": "v1.33.13", "master_etcd_disk": "/dev/vdb", "n": 3}) == []


def test_finds_top_level_and_nested_values_user_variables_first():
    variables = {
        "master_apiserver_extra_sans": ["10.0.0.5", "REPLACE_ME_master_public_ip"],
        "kubemark_master_public_ip": "REPLACE_ME_master_public_ip",
        "ansible_host": "REPLACE_ME_hollow_1_private_ip",
        "nested": {"a": {"b": "REPLACE_ME_deep"}, "c": "fine"},
    }
    assert placeholders(variables) == [
        {"name": "ansible_host", "value": "REPLACE_ME_hollow_1_private_ip"},
        {"name": "kubemark_master_public_ip", "value": "REPLACE_ME_master_public_ip"},
        {"name": "master_apiserver_extra_sans[1]", "value": "REPLACE_ME_master_public_ip"},
        {"name": "nested.a.b", "value": "REPLACE_ME_deep"},
    ]


def test_only_values_that_start_with_the_prefix():
    assert placeholders({"note": "see REPLACE_ME_x", "x": "REPLACE_ME"}) == [{"name": "x", "value": "REPLACE_ME"}]


def test_other_prefix():
    assert placeholders({"a": "CHANGEME_1", "b": "REPLACE_ME_2"}, "CHANGEME") == [{"name": "a", "value": "CHANGEME_1"}]


def test_variables_that_cannot_be_templated_are_skipped():
    variables = LazyVars({"needs_facts": "{{ ansible_facts.default_ipv4.address }}", "kubemark_x": "REPLACE_ME_x"},
                         broken=["needs_facts"])
    assert placeholders(variables) == [{"name": "kubemark_x", "value": "REPLACE_ME_x"}]


def test_magic_variables_are_skipped_by_default_and_skip_is_configurable():
    variables = {"hostvars": {"other": {"kubemark_y": "REPLACE_ME_y"}}, "kubemark_z": "REPLACE_ME_z"}
    assert placeholders(variables) == [{"name": "kubemark_z", "value": "REPLACE_ME_z"}]
    assert placeholders(variables, skip=["kubemark_z"]) == [
        {"name": "hostvars.other.kubemark_y", "value": "REPLACE_ME_y"}]


def test_cycles_do_not_loop():
    loop = {"kubemark_a": "REPLACE_ME_a"}
    loop["self"] = loop
    assert placeholders({"root": loop}) == [{"name": "root.kubemark_a", "value": "REPLACE_ME_a"}]


@pytest.mark.parametrize("bad", [None, "text", ["a"]])
def test_bad_input_is_a_clear_error(bad):
    with pytest.raises(AnsibleFilterError, match="hostvars"):
        placeholders(bad)


def test_empty_prefix_is_refused():
    with pytest.raises(AnsibleFilterError, match="prefix"):
        placeholders({}, "")
