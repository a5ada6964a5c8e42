# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Service level objectives and their verdicts.

The defaults are the Kubernetes scalability SLOs (sig-scalability/slos/slos.md) and the node
startup objective of the density test:

- pod startup (creation timestamp to all containers running, observed by watch): p99 <= 5 s;
- API calls: p99 <= 1 s for calls on a single object (GET, POST, PUT, PATCH, DELETE) and for
  LIST of scope "resource"; LIST of scope "namespace" <= 5 s, of scope "cluster" <= 30 s;
- node startup (node creation to Ready): p99 <= 4 s.

Every verdict is on an exact percentile of raw samples. A verdict is 'pass', 'fail' or 'no-data'
(no sample: never counted as a pass). The other suites of a run (clusterloader2, e2e.test) count
too: one that failed makes the run's verdict 'fail'; one that was not run does not count.
"""

from __future__ import annotations

PASS = 'pass'
FAIL = 'fail'
NO_DATA = 'no-data'
INCOMPLETE = 'incomplete'
SUITE_OK = 'ok'
SUITE_NOT_RUN = 'not-run'

DEFAULTS = {
    'pod_startup_seconds': 5.0,
    'pod_startup_percentile': 99,
    'api_call_seconds': 1.0,
    'api_list_namespace_seconds': 5.0,
    'api_list_cluster_seconds': 30.0,
    'api_call_percentile': 99,
    'node_startup_seconds': 4.0,
    'node_startup_percentile': 99,
}


def merged(overrides=None):
    """The SLO settings: DEFAULTS with the given (non-None) overrides."""
    settings = dict(DEFAULTS)
    for key, value in (overrides or {}).items():
        if key not in DEFAULTS:
            raise ValueError('unknown SLO setting %r (known: %s)' % (key, ', '.join(sorted(DEFAULTS))))
        if value is not None:
            settings[key] = value
    return settings


def api_threshold(settings, verb, scope):
    """Seconds allowed at the API-call percentile for a verb and scope."""
    if verb.upper() == 'LIST':
        if scope == 'cluster':
            return settings['api_list_cluster_seconds']
        if scope == 'namespace':
            return settings['api_list_namespace_seconds']
    return settings['api_call_seconds']


def verdict(value, threshold):
    if value is None:
        return NO_DATA
    return PASS if value <= threshold else FAIL


def check(name, level, subject, percentile, value, threshold, count):
    """One SLO check as a dict the report keeps."""
    return {
        'slo': name,
        'level': level,
        'subject': subject,
        'percentile': percentile,
        'value': value,
        'threshold': threshold,
        'count': count,
        'verdict': verdict(value, threshold),
    }


def overall(checks, complete):
    """'pass' only when the run is complete, there is at least one check and every check passed."""
    if not complete:
        return INCOMPLETE
    if not checks:
        return NO_DATA
    if any(c['verdict'] == FAIL for c in checks):
        return FAIL
    if any(c['verdict'] == NO_DATA for c in checks):
        return NO_DATA
    return PASS


def with_suites(verdict, suites):
    """The run's verdict: that of the SLO checks, made 'fail' by a suite whose status is neither 'ok' nor 'not-run'.

    An incomplete run stays 'incomplete' (never a pass either way); suites: {name: {'status', ...}}.
    """
    if verdict == INCOMPLETE:
        return verdict
    if any((suite or {}).get('status') not in (SUITE_OK, SUITE_NOT_RUN) for suite in suites.values()):
        return FAIL
    return verdict
