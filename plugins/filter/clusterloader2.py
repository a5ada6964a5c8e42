# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: cl2_drop_measurements
short_description: A clusterloader2 test config without the measurements of some methods
version_added: 0.1.0
author:
  - kubemark collection developers (@kubemark)
description:
  - Takes the text of a clusterloader2 test config (a Go template, so not YAML before clusterloader2
    renders it) and removes every measurement item (C(- Identifier ...) with its C(Method), C(Params)
    and whatever else belongs to it) whose C(Method) is one of the given methods.
  - Everything else, template actions included, is kept byte for byte, so relative paths in the
    config still resolve when the result is written beside the original.
  - Fails when removing leaves a step with an empty C(measurements) list, naming the step's line.
positional: methods
options:
  _input:
    description: The test config's text.
    type: str
    required: true
  methods:
    description: Measurement methods to remove, such as C(TestMetrics).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Write the density config without TestMetrics beside the original
  ansible.builtin.copy:
    dest: "{{ cl2_src }}/testing/density/config.kubemark.yaml"
    content: "{{ lookup('ansible.builtin.file', cl2_src ~ '/testing/density/config.yaml') | kubemark.kubemark.cl2_drop_measurements(['TestMetrics']) }}"
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The test config's text without those measurements.
  type: str
"""

import re

from ansible.errors import AnsibleFilterError

_ITEM = re.compile(r'^(?P<indent>[ \t]*)- Identifier:')
_METHOD = re.compile(r'^[ \t]*Method:[ \t]*(?P<method>[A-Za-z0-9_]+)[ \t]*$')
_LIST_KEY = re.compile(r'^(?P<indent>[ \t]*)(- )?measurements:[ \t]*$')


def _indent(line):
    return len(line) - len(line.lstrip(' \t'))


def _item_end(lines, start, indent):
    """Index just past the measurement item that starts at lines[start].

    The item is every following line indented deeper than its dash; blank lines belong to it only
    when a deeper line follows them.
    """
    end = start + 1
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.strip():
            if _indent(line) <= indent:
                break
            end = index + 1
        index += 1
    return end


def cl2_drop_measurements(text, methods):
    if not isinstance(text, str):
        raise AnsibleFilterError('cl2_drop_measurements: the input must be the text of a test config, got %s'
                                 % type(text).__name__)
    if not isinstance(methods, (list, tuple)) or not all(isinstance(name, str) for name in methods):
        raise AnsibleFilterError('cl2_drop_measurements: methods must be a list of measurement method names')
    wanted = set(methods)
    lines = text.splitlines(True)
    kept = []
    index = 0
    while index < len(lines):
        match = _ITEM.match(lines[index])
        if not match:
            kept.append(lines[index])
            index += 1
            continue
        end = _item_end(lines, index, len(match.group('indent')))
        item_methods = [m.group('method') for m in (_METHOD.match(line) for line in lines[index:end]) if m]
        if not (item_methods and item_methods[0] in wanted):
            kept.extend(lines[index:end])
        index = end
    for number, line in enumerate(kept):
        match = _LIST_KEY.match(line)
        if not match:
            continue
        # Template actions ({{if ...}}) say nothing about the list: look at the next real line.
        following = next((other for other in kept[number + 1:] if other.strip() and not other.strip().startswith('{{')), '')
        if not _ITEM.match(following) or _indent(following) < len(match.group('indent')):
            raise AnsibleFilterError(
                'cl2_drop_measurements: removing %s leaves the measurements list at line %d of the result empty; '
                'clusterloader2 refuses such a step. Remove fewer methods (perf_clusterloader2_drop_measurements).'
                % (', '.join(sorted(wanted)), number + 1))
    return ''.join(kept)


class FilterModule(object):
    def filters(self):
        return {'cl2_drop_measurements': cl2_drop_measurements}
