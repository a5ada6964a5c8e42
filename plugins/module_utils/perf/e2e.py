# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Kubernetes e2e suite's results of one run (<run>/e2e/), read into the suite's report.

The perf role runs e2e.test with --report-dir=<run>/e2e and writes status.json beside its
junit_01.xml: {"status": "ok" or "failed", "exit_code", "version", "focus", "skip",
"label_filter", "reason"}.

junit_01.xml (ginkgo v2, the e2e framework's options) holds one <testsuite> with every spec of the
binary as a testcase, selected or not, plus the suite's setup nodes:

- specs are the testcases named "[It] <full spec text>";
- passed: status="passed"; failed: a <failure> or <error> child (failed, timedout, panicked,
  interrupted, aborted); its text begins with "[FAILED] <message>";
- not selected by focus, skip or label filter: status="skipped" with <skipped message="skipped"/>;
  they are counted, never listed;
- skipped at run time (the test skipped itself): status="skipped" with another message,
  "skipped - <reason>";
- "[SynchronizedBeforeSuite]": when it failed, no spec ran at all. Run by ginkgo's runner over
  several processes, the file holds one per process (and one "[SynchronizedAfterSuite]" each).

Pure functions over directories; nothing here imports Ansible.
"""

from __future__ import annotations

import glob
import json
import os
from xml.etree import ElementTree

STATUS_FILE = 'status.json'
JUNIT_GLOB = 'junit*.xml'
NOT_RUN = 'not-run'
OK = 'ok'
FAILED = 'failed'
SUITE_SETUP = '[SynchronizedBeforeSuite]'
SPEC_PREFIX = '[It] '
NOT_SELECTED_MESSAGE = 'skipped'
FAILED_STATES = frozenset(['failed', 'timedout', 'panicked', 'interrupted', 'aborted'])


def _first_line(text):
    for line in (text or '').splitlines():
        if line.strip():
            return line.strip()
    return ''


def read_status(directory):
    path = os.path.join(directory, STATUS_FILE)
    if not os.path.isfile(path):
        return {}
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        return {'error': '%s: %s' % (STATUS_FILE, error)}
    if not isinstance(data, dict):
        return {'error': '%s is not a JSON object' % STATUS_FILE}
    return data


def _failure(case):
    """First line of a testcase's failure or error text; None when it did not fail."""
    element = case.find('failure')
    if element is None:
        element = case.find('error')
    if element is None:
        return case.get('status') if case.get('status') in FAILED_STATES else None
    return _first_line(element.text) or element.get('message') or element.get('type') or 'failed'


def read_junit(paths):
    """Counts, failures and the suite's setup of e2e junit files (normally one, junit_01.xml)."""
    counts = {'passed': 0, 'failed': 0, 'skipped': 0, 'not_selected': 0, 'other': 0}
    failures, skipped, errors = [], [], []
    setup = None
    properties = {}
    suite = {'tests': 0, 'failures': 0, 'errors': 0, 'skipped': 0, 'time': 0.0}
    for path in paths:
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError) as error:
            errors.append('%s: %s' % (os.path.basename(path), error))
            continue
        for testsuite in [root] if root.tag == 'testsuite' else root.iter('testsuite'):
            for key in ('tests', 'failures', 'errors', 'skipped'):
                try:
                    suite[key] += int(testsuite.get(key) or 0)
                except ValueError:
                    pass
            try:
                suite['time'] += float(testsuite.get('time') or 0)
            except ValueError:
                pass
            for prop in testsuite.iter('property'):
                properties.setdefault(prop.get('name'), prop.get('value'))
        for case in root.iter('testcase'):
            name = case.get('name', '')
            status = case.get('status', '')
            failure = _failure(case)
            if name == SUITE_SETUP:
                # One per process when ginkgo's runner ran the suite in parallel: the setup failed
                # when any of them did.
                if setup is None or setup['status'] != FAILED:
                    setup = {'status': FAILED if failure is not None else (status or 'passed'), 'message': failure or ''}
                continue
            if not name.startswith(SPEC_PREFIX):
                continue
            spec = name[len(SPEC_PREFIX):]
            if failure is not None:
                counts['failed'] += 1
                failures.append({'name': spec, 'status': status or 'failed', 'message': failure})
            elif status == 'passed':
                counts['passed'] += 1
            elif status == 'skipped' or case.find('skipped') is not None:
                element = case.find('skipped')
                message = element.get('message', '') if element is not None else ''
                if message == NOT_SELECTED_MESSAGE:
                    counts['not_selected'] += 1
                else:
                    counts['skipped'] += 1
                    skipped.append({'name': spec, 'reason': message})
            else:
                counts['other'] += 1
    return {'counts': counts, 'failures': failures, 'skipped': skipped, 'suite_setup': setup, 'suite': suite,
            'properties': properties, 'errors': errors}


def read(directory):
    """{'status', 'reason', 'counts', 'failures', 'skipped', 'suite_setup', 'focus', ...} of <run>/e2e.

    status: 'not-run' when the directory does not exist; 'ok' only when status.json says ok, the
    junit file is there, the suite's setup passed, at least one test ran and none failed.
    """
    if not directory or not os.path.isdir(directory):
        return {'status': NOT_RUN, 'reason': 'e2e.test was not run', 'counts': None, 'failures': [], 'skipped': []}
    status = read_status(directory)
    paths = sorted(glob.glob(os.path.join(directory, JUNIT_GLOB)))
    junit = read_junit(paths) if paths else None
    properties = (junit or {}).get('properties') or {}
    result = {
        'status': OK,
        'reason': '',
        'exit_code': status.get('exit_code'),
        'version': status.get('version'),
        'focus': status.get('focus', properties.get('FocusStrings')),
        'skip': status.get('skip', properties.get('SkipStrings')),
        'label_filter': status.get('label_filter', properties.get('LabelFilter')),
        'junit': [os.path.basename(path) for path in paths],
        'counts': (junit or {}).get('counts'),
        'failures': (junit or {}).get('failures') or [],
        'skipped': (junit or {}).get('skipped') or [],
        'suite_setup': (junit or {}).get('suite_setup'),
        'duration_seconds': (junit or {}).get('suite', {}).get('time') if junit else None,
    }
    problems = []
    if junit is None:
        problems.append('no junit file: e2e.test wrote no report')
    else:
        problems += junit['errors']
        setup = junit['suite_setup']
        counts = junit['counts']
        if setup and setup['status'] == FAILED:
            problems.append('the suite setup (%s) failed, so no test ran: %s' % (SUITE_SETUP, setup['message']))
        elif counts['failed']:
            problems.append('%d of %d tests failed: %s' % (
                counts['failed'], counts['failed'] + counts['passed'], ', '.join(f['name'] for f in junit['failures'][:3])
                + (', ...' if counts['failed'] > 3 else '')))
        elif not counts['passed'] and not junit['errors']:
            problems.append('no test ran: the focus, skip and label filter selected none')
    if 'error' in status:
        problems.append(status['error'])
    elif not status:
        problems.append('no %s: the role did not finish e2e.test' % STATUS_FILE)
    elif status.get('status') != OK:
        problems.append(status.get('reason') or 'e2e.test exited with %s' % status.get('exit_code'))
    if problems:
        result['status'] = FAILED
        result['reason'] = '; '.join(problems)
    return result
