# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The raw samples directory of one run: what the density test writes and the report reads.

    run.json            metadata, parameters, the levels with their times, status and error
    pod_startup.jsonl   one line per pod: level, name, node, created, scheduled, started,
                        observed (epoch seconds; created and scheduled are the API server's
                        second-resolution timestamps, observed is the watch event's arrival)
    api_calls.jsonl     one line per timed API call: level, verb, resource, scope, seconds,
                        status, source (probe or load), t
    node_startup.jsonl  one line per node: name, created, ready (Ready condition transition)
    metrics/            raw /metrics scrapes: LEVEL-{before,after}-{apiserver,scheduler}.prom
    profiles/           pprof profiles taken during the busiest level
    clusterloader2/     clusterloader2's results, one directory per test config, when it ran
    e2e/                the Kubernetes e2e suite's junit file and status.json, when it ran

status in run.json is 'running' while the test runs, then 'complete' or 'incomplete'; a run
that died without updating it stays 'running', which the report treats as incomplete.
"""

from __future__ import annotations

import json
import os

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic

FORMAT = 1
RUN_FILE = 'run.json'
POD_STARTUP_FILE = 'pod_startup.jsonl'
API_CALLS_FILE = 'api_calls.jsonl'
NODE_STARTUP_FILE = 'node_startup.jsonl'
METRICS_DIR = 'metrics'
PROFILES_DIR = 'profiles'
CLUSTERLOADER2_DIR = 'clusterloader2'
E2E_DIR = 'e2e'

COMPLETE = 'complete'
INCOMPLETE = 'incomplete'
RUNNING = 'running'


class SamplesError(Exception):
    """The samples directory is missing or unreadable."""


def write_json(path, data):
    write_atomic(path, json.dumps(data, indent=2, sort_keys=True) + '\n', 0o644, dir_mode=0o755)


def append_jsonl(path, records):
    """Append records, one JSON object a line; the file is flushed so a crash loses nothing written."""
    if not records:
        return
    with open(path, 'a') as handle:
        for record in records:
            handle.write(json.dumps(record, sort_keys=True) + '\n')
        handle.flush()
        os.fsync(handle.fileno())


def read_jsonl(path):
    """Records of a JSON-lines file; a torn last line (a crash while writing) is skipped."""
    if not os.path.exists(path):
        return []
    records = []
    with open(path) as handle:
        lines = handle.read().splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            if number == len(lines):
                continue
            raise SamplesError('%s line %d is not JSON' % (path, number))
    return records


def read_run(directory):
    path = os.path.join(directory, RUN_FILE)
    if not os.path.isfile(path):
        raise SamplesError('%s is not a samples directory of the density test: %s is missing' % (directory, RUN_FILE))
    try:
        with open(path) as handle:
            run = json.load(handle)
    except ValueError as error:
        raise SamplesError('%s is not JSON: %s' % (path, error))
    if run.get('format') != FORMAT:
        raise SamplesError('%s has format %r; this version reads format %d' % (path, run.get('format'), FORMAT))
    return run


def read_text(directory, relative):
    """Text of a file inside the samples directory, or None when it is absent."""
    if not relative:
        return None
    path = os.path.join(directory, relative)
    if not os.path.isfile(path):
        return None
    with open(path) as handle:
        return handle.read()


def load(directory):
    """Everything of a samples directory: {'run', 'pods', 'api_calls', 'nodes'}."""
    run = read_run(directory)
    return {
        'run': run,
        'pods': read_jsonl(os.path.join(directory, POD_STARTUP_FILE)),
        'api_calls': read_jsonl(os.path.join(directory, API_CALLS_FILE)),
        'nodes': read_jsonl(os.path.join(directory, NODE_STARTUP_FILE)),
    }
