# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clusterloader2's report directory, read into the suite's report.

clusterloader2 writes one JSON file per measurement summary, named
SUMMARY_TEST[_SCENARIO]_TIME.json, in the perfdash 'PerfData' shape: {"version", "dataItems":
[{"data": {"Perc50", "Perc90", "Perc99", ...}, "unit", "labels": {...}}]}, plus junit.xml. The
role adds status.json (written by the role, never by clusterloader2): whether it was built and
run, and why not. A missing or failed clusterloader2 is reported as such, never as a pass.
"""

from __future__ import annotations

import json
import os
import re
from xml.etree import ElementTree

STATUS_FILE = 'status.json'
NOT_RUN = 'not-run'
_SKIP = frozenset([STATUS_FILE, 'cl2-metadata.json'])


def _junit(path):
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as error:
        return {'error': str(error)}
    suites = [root] if root.tag == 'testsuite' else list(root.iter('testsuite'))
    tests = failures = errors = 0
    failed = []
    for suite in suites:
        tests += int(suite.get('tests', 0) or 0)
        failures += int(suite.get('failures', 0) or 0)
        errors += int(suite.get('errors', 0) or 0)
        for case in suite.iter('testcase'):
            if case.find('failure') is not None or case.find('error') is not None:
                failed.append(case.get('name', ''))
    return {'tests': tests, 'failures': failures, 'errors': errors, 'failed': failed}


def read(directory):
    """{'status', 'reason', ..., 'summaries': [...], 'junit': {...}} of a clusterloader2 directory.

    A directory that does not exist gives status 'not-run'.
    """
    if not directory or not os.path.isdir(directory):
        return {'status': NOT_RUN, 'reason': 'clusterloader2 was not run', 'summaries': []}
    result = {'status': 'unknown', 'summaries': []}
    status_path = os.path.join(directory, STATUS_FILE)
    if os.path.isfile(status_path):
        with open(status_path) as handle:
            try:
                result.update(json.load(handle))
            except ValueError:
                result.update(status='unknown', reason='%s is not JSON' % status_path)
    result['summaries'] = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name in _SKIP or not name.endswith('.json') or not os.path.isfile(path):
            continue
        try:
            with open(path) as handle:
                data = json.load(handle)
        except ValueError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get('dataItems'), list):
            continue
        # SUMMARY_TEST_TIME.json; SUMMARY may hold '_' itself (PodStartupLatency_SaturationPodStartupLatency).
        stem = re.sub(r'_\d{4}-\d{2}-\d{2}T[^_]*$', '', name[:-len('.json')])
        summary = stem.rsplit('_', 1)[0] if '_' in stem else stem
        result['summaries'].append({
            'file': name,
            'summary': summary,
            'version': data.get('version'),
            'items': [{'labels': item.get('labels') or {}, 'unit': item.get('unit'), 'data': item.get('data') or {}}
                      for item in data['dataItems'] if isinstance(item, dict)],
        })
    junit = os.path.join(directory, 'junit.xml')
    if os.path.isfile(junit):
        result['junit'] = _junit(junit)
    return result


def pod_startup(summaries):
    """Rows (summary, metric, unit, p50, p90, p99) of clusterloader2's pod startup summaries."""
    rows = []
    for summary in summaries:
        if 'PodStartupLatency' not in summary['summary']:
            continue
        for item in summary['items']:
            data = item['data']
            rows.append({
                'summary': summary['summary'],
                'metric': item['labels'].get('Metric', ''),
                'unit': item.get('unit') or '',
                'p50': data.get('Perc50'),
                'p90': data.get('Perc90'),
                'p99': data.get('Perc99'),
            })
    return rows
