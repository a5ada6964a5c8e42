# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Readiness, startup statistics and systemd instance plans of the hollow nodes."""

from __future__ import annotations

from ansible_collections.kubemark.kubemark.plugins.module_utils import hollow_nodes as hn


def node(name, created, ready_at=None, status='True'):
    conditions = [{'type': 'MemoryPressure', 'status': 'False', 'lastTransitionTime': created}]
    if ready_at is not None:
        conditions.append({'type': 'Ready', 'status': status, 'lastTransitionTime': ready_at})
    return {'metadata': {'name': name, 'creationTimestamp': created}, 'status': {'conditions': conditions}}


def test_node_summary_startup_from_creation_to_ready():
    summary = hn.node_summary(node('a', '2026-11-23T10:00:00Z', '2026-11-23T10:00:03Z'))
    assert summary == {'name': 'a', 'ready': True, 'startup_seconds': 3.0}
    not_ready = hn.node_summary(node('b', '2026-11-23T10:00:00Z', '2026-11-23T10:00:03Z', status='False'))
    assert not_ready == {'name': 'b', 'ready': False, 'startup_seconds': None}
    assert hn.node_summary(node('c', '2026-11-23T10:00:00Z'))['ready'] is False


def test_readiness_counts_only_the_names_asked_and_lists_missing():
    nodes = [
        node('hollow-h-1', '2026-11-23T10:00:00Z', '2026-11-23T10:00:02Z'),
        node('hollow-h-10', '2026-11-23T10:00:00Z', '2026-11-23T10:00:04Z'),
        node('hollow-h-2', '2026-11-23T10:00:00Z', '2026-11-23T10:00:01Z', status='Unknown'),
        node('other', '2026-11-23T10:00:00Z', '2026-11-23T10:00:01Z'),
    ]
    result = hn.readiness(nodes, ['hollow-h-1', 'hollow-h-2', 'hollow-h-10', 'hollow-h-3'])
    assert result['ready'] == 2
    assert result['registered'] == 3
    assert result['ready_names'] == ['hollow-h-1', 'hollow-h-10']
    assert result['not_ready'] == ['hollow-h-2']
    assert result['missing'] == ['hollow-h-3']
    assert result['startup'] == {'count': 2, 'min': 2.0, 'p50': 2.0, 'p90': 4.0, 'p99': 4.0, 'max': 4.0}


def test_readiness_without_names_counts_everything():
    result = hn.readiness([node('x', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00.5Z')])
    assert (result['ready'], result['missing'], result['startup']['p50']) == (1, [], 0.5)
    empty = hn.readiness([])
    assert empty['startup'] == {'count': 0, 'min': None, 'p50': None, 'p90': None, 'p99': None, 'max': None}


def test_natural_order():
    assert sorted(['n-10', 'n-2', 'n-1'], key=hn.natural_key) == ['n-1', 'n-2', 'n-10']


LIST_UNITS = """\
hollow-node@1.service  loaded    active     running Kubemark hollow kubelet hollow-h-1
hollow-node@2.service  loaded    failed     failed  Kubemark hollow kubelet hollow-h-2
hollow-node@3.service  loaded    inactive   dead    Kubemark hollow kubelet hollow-h-3
hollow-node@4.service  loaded    activating auto-restart Kubemark hollow kubelet hollow-h-4
hollow-node@9.service  not-found inactive   dead    hollow-node@9.service
hollow-proxy@1.service loaded    active     running Kubemark hollow kube-proxy hollow-h-1
"""


def test_parse_list_units_keeps_only_the_template_and_known_units():
    assert hn.parse_list_units(LIST_UNITS, 'hollow-node') == {'1': 'active', '2': 'failed', '3': 'inactive', '4': 'activating'}
    assert hn.parse_list_units(LIST_UNITS, 'hollow-proxy') == {'1': 'active'}
    assert hn.parse_list_units('\u25cf hollow-node@5.service loaded failed failed x\n', 'hollow-node') == {'5': 'failed'}


def test_parse_wants():
    names = ['hollow-node@1.service', 'hollow-node@12.service', 'ssh.service', 'hollow-proxy@1.service']
    assert hn.parse_wants(names, 'hollow-node') == {'1', '12'}


def test_plan_scale_up_down_and_steady():
    states = hn.parse_list_units(LIST_UNITS, 'hollow-node')
    plan = hn.plan_instances(['1', '2', '3', '4', '5'], states, {'1', '2', '3', '4'})
    assert plan == {'start': ['2', '3', '5'], 'enable': ['5'], 'stop': [], 'disable': []}

    down = hn.plan_instances(['1'], states, {'1', '2', '3', '4'})
    assert down == {'start': [], 'enable': [], 'stop': ['2', '4'], 'disable': ['2', '3', '4']}

    steady = hn.plan_instances(['1'], {'1': 'active'}, {'1'})
    assert steady == {'start': [], 'enable': [], 'stop': [], 'disable': []}

    no_prune = hn.plan_instances([], states, {'1'}, prune=False, enable=False)
    assert no_prune == {'start': [], 'enable': [], 'stop': [], 'disable': []}


def test_a_wait_shorter_than_the_poll_interval_still_waits_its_timeout():
    # hollow_nodes_wait_poll 2 with poll_interval 2: the module used to return at once, so the
    # role's retries ran out in a fraction of hollow_nodes_wait_timeout.
    assert hn.seconds_to_next_look(100.0, 102.0, 2) == 2.0
    assert hn.seconds_to_next_look(100.0, 101.0, 2) == 1.0


def test_the_last_look_is_at_the_deadline():
    assert hn.seconds_to_next_look(100.0, 110.0, 3) == 3
    assert hn.seconds_to_next_look(109.5, 110.0, 3) == 0.5
    assert hn.seconds_to_next_look(110.0, 110.0, 3) is None
    assert hn.seconds_to_next_look(111.0, 110.0, 3) is None
