# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""SLO thresholds and verdicts."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import slo


def test_api_thresholds_follow_the_scalability_slos():
    settings = slo.merged()
    assert slo.api_threshold(settings, 'GET', 'resource') == 1.0
    assert slo.api_threshold(settings, 'POST', 'namespace') == 1.0
    assert slo.api_threshold(settings, 'LIST', 'resource') == 1.0
    assert slo.api_threshold(settings, 'LIST', 'namespace') == 5.0
    assert slo.api_threshold(settings, 'LIST', 'cluster') == 30.0


def test_overrides_and_unknown_settings():
    assert slo.merged({'pod_startup_seconds': 2, 'api_call_seconds': None})['pod_startup_seconds'] == 2
    assert slo.merged({'api_call_seconds': None})['api_call_seconds'] == 1.0
    with pytest.raises(ValueError, match='unknown SLO setting'):
        slo.merged({'pod_start': 1})


def test_verdicts():
    assert slo.verdict(5.0, 5.0) == slo.PASS
    assert slo.verdict(5.01, 5.0) == slo.FAIL
    assert slo.verdict(None, 5.0) == slo.NO_DATA


def test_overall_never_passes_an_incomplete_or_empty_run():
    good = slo.check('pod_startup', 10, 'pods', 99, 1.0, 5.0, 100)
    bad = slo.check('pod_startup', 50, 'pods', 99, 6.0, 5.0, 100)
    empty = slo.check('node_startup', None, 'nodes', 99, None, 4.0, 0)
    assert slo.overall([good], True) == 'pass'
    assert slo.overall([good], False) == 'incomplete'
    assert slo.overall([good, bad], True) == 'fail'
    assert slo.overall([good, empty], True) == 'no-data'
    assert slo.overall([], True) == 'no-data'
    assert bad['verdict'] == 'fail' and bad['threshold'] == 5.0 and bad['count'] == 100
