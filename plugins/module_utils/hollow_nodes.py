# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of the hollow nodes: readiness and startup times of Node objects, and the instance
sets of systemd template units.

Nothing here talks to an API server or to systemd, so all of it is unit-tested with plain data.
"""

from __future__ import annotations

import re

from ansible_collections.kubemark.kubemark.plugins.module_utils._stats import parse_time, summarize


def node_summary(node):
    """Name, Ready state and startup seconds (creation to Ready) of a Node given as a dict.

    The Ready condition's lastTransitionTime is the moment the node last became Ready: for a node
    that went NotReady and back (a restarted master) the figure covers the last transition.
    """
    metadata = node.get('metadata') or {}
    conditions = (node.get('status') or {}).get('conditions') or []
    ready = None
    for condition in conditions:
        if condition.get('type') == 'Ready':
            ready = condition
    is_ready = bool(ready) and ready.get('status') == 'True'
    startup = None
    created = parse_time(metadata.get('creationTimestamp'))
    if is_ready and created is not None and ready.get('lastTransitionTime'):
        startup = max(0.0, parse_time(ready['lastTransitionTime']) - created)
    return {'name': metadata.get('name'), 'ready': is_ready, 'startup_seconds': startup}


def readiness(nodes, names=None):
    """Summarise a list of Node dicts, restricted to 'names' when given.

    Returns ready (count), registered (count), ready_names, not_ready (registered, not Ready),
    missing (expected names with no Node) and startup statistics in seconds over the Ready nodes.
    """
    summaries = [node_summary(node) for node in nodes]
    if names is not None:
        wanted = set(names)
        summaries = [summary for summary in summaries if summary['name'] in wanted]
        missing = sorted(wanted - set(summary['name'] for summary in summaries), key=natural_key)
    else:
        missing = []
    ready = [summary for summary in summaries if summary['ready']]
    startups = [summary['startup_seconds'] for summary in ready if summary['startup_seconds'] is not None]
    return {
        'ready': len(ready),
        'registered': len(summaries),
        'ready_names': sorted((summary['name'] for summary in ready), key=natural_key),
        'not_ready': sorted((summary['name'] for summary in summaries if not summary['ready']), key=natural_key),
        'missing': missing,
        'startup': startup_stats(startups),
    }


def seconds_to_next_look(now, deadline, poll_interval):
    """Seconds to sleep before the next look while waiting until deadline; None: stop now.

    The last look is at the deadline itself, so a call waits its whole timeout even when the
    timeout is not a multiple of the poll interval (or is shorter than it).
    """
    remaining = deadline - now
    if remaining <= 0:
        return None
    return min(poll_interval, remaining)


def startup_stats(values):
    """count, min, p50, p90, p99 and max of startup seconds, rounded to milliseconds (None when empty)."""
    summary = summarize(values, (50, 90, 99))
    del summary['mean']
    return dict((key, value if key == 'count' or value is None else round(value, 3)) for key, value in summary.items())


def natural_key(name):
    """Sort key that puts hollow-x-2 before hollow-x-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', name or '')]


_UNIT_LINE = re.compile(r'^\s*(?P<unit>[^\s@]+@(?P<instance>[^\s.]+)\.service)\s+(?P<load>\S+)\s+(?P<active>\S+)\s+(?P<sub>\S+)')


def parse_list_units(text, template):
    """Parse 'systemctl list-units --all --plain --no-legend TEMPLATE@*' into {instance: active state}."""
    states = {}
    for line in text.splitlines():
        match = _UNIT_LINE.match(line.lstrip('\u25cf* '))
        if not match or not match.group('unit').startswith(template + '@'):
            continue
        if match.group('load') == 'not-found' and match.group('active') == 'inactive':
            continue
        states[match.group('instance')] = match.group('active')
    return states


def parse_wants(file_names, template):
    """Instances enabled through the wants directory: file names like TEMPLATE@3.service."""
    pattern = re.compile(r'^' + re.escape(template) + r'@([^.]+)\.service$')
    return set(match.group(1) for match in (pattern.match(name) for name in file_names) if match)


def plan_instances(wanted, active_states, enabled, prune=True, enable=True):
    """What to do so that exactly the 'wanted' instances run (and are enabled when 'enable').

    active_states maps instance to its ActiveState; enabled is the set of enabled instances.
    Returns start (wanted, not active or activating), enable (wanted, not enabled), stop (not
    wanted, active or failed) and disable (not wanted, enabled). With prune false nothing is
    stopped or disabled.
    """
    wanted = [str(instance) for instance in wanted]
    running = set(instance for instance, state in active_states.items() if state in ('active', 'activating', 'reloading'))
    start = [instance for instance in wanted if instance not in running]
    to_enable = [instance for instance in wanted if instance not in enabled] if enable else []
    stop, disable = [], []
    if prune:
        wanted_set = set(wanted)
        stop = sorted((instance for instance, state in active_states.items()
                       if instance not in wanted_set and state not in ('inactive',)), key=natural_key)
        disable = sorted((instance for instance in enabled if instance not in wanted_set), key=natural_key)
    return {'start': start, 'enable': to_enable, 'stop': stop, 'disable': disable}
