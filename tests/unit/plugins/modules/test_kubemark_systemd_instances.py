# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_systemd_instances with systemctl replaced by a recorder of a fake unit table."""

from __future__ import annotations

import pytest

from ansible.module_utils import basic
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_systemd_instances as module


@pytest.fixture
def systemctl(monkeypatch):
    """A fake systemd: {instance: active state} and the enabled set; records every command."""
    state = {'active': {}, 'enabled': set(), 'commands': []}

    def run_command(self, args, **kwargs):
        state['commands'].append(list(args))
        if args[1] == 'list-units':
            lines = ['hollow-node@%s.service loaded %s running x' % (i, s) for i, s in state['active'].items()]
            return 0, '\n'.join(lines) + '\n', ''
        return 0, '', ''

    monkeypatch.setattr(basic.AnsibleModule, 'run_command', run_command)
    monkeypatch.setattr(module.os, 'listdir', lambda path: ['hollow-node@%s.service' % i for i in state['enabled']])
    return state


def test_start_and_enable_in_one_command_each(systemctl, run_module):
    result = run_module(module, dict(name='hollow-node', instances=['1', '2', '3']))
    assert result['changed'] and result['started'] == ['1', '2', '3']
    assert systemctl['commands'][1:] == [
        ['systemctl', 'enable', 'hollow-node@1.service', 'hollow-node@2.service', 'hollow-node@3.service'],
        ['systemctl', 'start', '--no-block', 'hollow-node@1.service', 'hollow-node@2.service', 'hollow-node@3.service'],
    ]


def test_steady_state_is_not_a_change(systemctl, run_module):
    systemctl['active'] = {'1': 'active', '2': 'activating'}
    systemctl['enabled'] = {'1', '2'}
    result = run_module(module, dict(name='hollow-node', instances=['1', '2']))
    assert result['changed'] is False and len(systemctl['commands']) == 1


def test_scale_down_disables_and_stops_the_rest(systemctl, run_module):
    systemctl['active'] = {'1': 'active', '2': 'active', '3': 'failed'}
    systemctl['enabled'] = {'1', '2', '3'}
    result = run_module(module, dict(name='hollow-node', instances=['1']))
    assert result['stopped'] == ['2', '3'] and result['disabled_instances'] == ['2', '3']
    assert ['systemctl', 'disable', '--now', 'hollow-node@2.service', 'hollow-node@3.service'] in systemctl['commands']


def test_check_mode_only_reads(systemctl, run_module):
    result = run_module(module, dict(name='hollow-node', instances=['1']), check_mode=True)
    assert result['changed'] and len(systemctl['commands']) == 1


def test_not_enabled_units_are_only_stopped(systemctl, run_module):
    systemctl['active'] = {'4': 'active'}
    result = run_module(module, dict(name='hollow-node', instances=[], enabled=False))
    assert result['stopped'] == ['4']
    assert systemctl['commands'][-2] == ['systemctl', 'stop', 'hollow-node@4.service']


def test_many_instances_are_batched(systemctl, run_module):
    instances = [str(i) for i in range(1, 1201)]
    run_module(module, dict(name='hollow-node', instances=instances))
    starts = [command for command in systemctl['commands'] if command[1] == 'start']
    assert [len(command) - 3 for command in starts] == [500, 500, 200]


@pytest.mark.parametrize('name', ['hollow-node@', 'hollow-node.service', 'a/b'])
def test_bad_names(systemctl, run_module, name):
    assert run_module(module, dict(name=name, instances=['1']))['failed']
