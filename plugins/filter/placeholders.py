# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: placeholders
short_description: Variables that still hold an inventory placeholder
version_added: 0.1.0
author:
  - kubemark collection developers (@kubemark)
description:
  - Walks the variables of one host (C(hostvars[inventory_hostname])), into nested lists and
    dictionaries, and returns every variable whose value is a string that starts with O(prefix),
    such as C(REPLACE_ME_master_public_ip) in a sample inventory.
  - Each variable is templated as it is read; a variable that cannot be templated (it needs facts
    that were not gathered, or another variable that is not defined) is skipped, since it cannot
    hold a placeholder the inventory gave.
  - Variables an inventory sets from another one (C(master_etcd_disk) from
    C(kubemark_master_etcd_disk)) are listed too; the result is sorted so that C(kubemark_*) and
    connection (C(ansible_*)) variables, which users fill in, come first.
positional: prefix
options:
  _input:
    description: The variables of one host, such as C(hostvars[inventory_hostname]).
    type: dict
    required: true
  prefix:
    description: Values starting with this string are placeholders.
    type: str
    default: REPLACE_ME
  skip:
    description: Top-level variable names not to look at.
    type: list
    elements: str
    default: [hostvars, vars, groups, group_names, omit, play_hosts, ansible_play_hosts, ansible_play_batch]
"""

EXAMPLES = r"""
- name: Fail when the inventory still holds placeholders
  vars:
    unfilled: "{{ hostvars[inventory_hostname] | kubemark.kubemark.placeholders }}"
  ansible.builtin.assert:
    that: unfilled | length == 0
    fail_msg: "Fill in: {{ unfilled | map(attribute='name') | join(', ') }}"
"""

RETURN = r"""
_value:
  description:
    - One dict per placeholder, C(name) (the variable, with C([index]) or C(.key) for nested
      values, such as C(master_apiserver_extra_sans[0])) and C(value).
  type: list
  elements: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

DEFAULT_SKIP = ("hostvars", "vars", "groups", "group_names", "omit", "play_hosts", "ansible_play_hosts",
                "ansible_play_batch")
MAX_DEPTH = 20


def _read(container, key):
    """Read (and so template) one value; None with ok=False when it cannot be templated."""
    try:
        return container[key], True
    except Exception:
        # Any error here (undefined variable, missing fact, bad template) means the value is not a
        # placeholder string the inventory set; other checks report real template errors.
        return None, False


def _walk(value, name, prefix, found, depth, seen):
    if isinstance(value, str):
        if value.startswith(prefix):
            found.append({"name": name, "value": str(value)})
        return
    if depth >= MAX_DEPTH or id(value) in seen:
        return
    if isinstance(value, Mapping):
        seen.add(id(value))
        for key in list(value.keys()):
            child, ok = _read(value, key)
            if ok:
                _walk(child, "%s.%s" % (name, key), prefix, found, depth + 1, seen)
    elif is_sequence(value):
        seen.add(id(value))
        for index in range(len(value)):
            child, ok = _read(value, index)
            if ok:
                _walk(child, "%s[%d]" % (name, index), prefix, found, depth + 1, seen)


def _order(item):
    top = item["name"].split(".")[0].split("[")[0]
    user_filled = top.startswith("kubemark_") or top.startswith("ansible_")
    return (0 if user_filled else 1, item["name"])


def placeholders(variables, prefix="REPLACE_ME", skip=None):
    if not isinstance(variables, Mapping):
        raise AnsibleFilterError("placeholders expects the variables of a host (hostvars[inventory_hostname]), got %s"
                                 % type(variables).__name__)
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError("placeholders: prefix must be a non-empty string")
    skip = set(DEFAULT_SKIP if skip is None else skip)
    found = []
    seen = set()
    for key in sorted(str(k) for k in variables.keys()):
        if key in skip:
            continue
        value, ok = _read(variables, key)
        if ok:
            _walk(value, key, prefix, found, 0, seen)
    return sorted(found, key=_order)


class FilterModule(object):
    def filters(self):
        return {"placeholders": placeholders}
