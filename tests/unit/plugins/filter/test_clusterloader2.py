# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.kubemark.kubemark.plugins.filter.clusterloader2 import cl2_drop_measurements

# Shaped like clusterloader2's testing/density/config.yaml: template actions, a measurement whose
# Params hold template calls, a blank line inside a step, steps with several measurements.
TEST_METRICS_START = """\
  - Identifier: TestMetrics
    Method: TestMetrics
    Params:
      action: start
      nodeMode: {{$NODE_MODE}}

      restartCountThresholdOverrides: {{YamlQuote $RESTART_COUNT_THRESHOLD_OVERRIDES 4}}
"""
TEST_METRICS_GATHER = """\
  - Identifier: TestMetrics
    Method: TestMetrics
    Params:
      action: gather
"""
CONFIG_WITHOUT = """\
{{$NODE_MODE := DefaultParam .NODE_MODE "allnodes"}}
name: density
steps:
- name: Starting measurements
  measurements:
  - Identifier: APIResponsivenessPrometheus
    Method: APIResponsivenessPrometheus
    Params:
      action: start
%s
- name: Gather
  measurements:
  {{if not $USE_SIMPLE_LATENCY_QUERY}}
  - Identifier: APIResponsivenessPrometheus
    Method: APIResponsivenessPrometheus
  {{end}}
%s"""
CONFIG = CONFIG_WITHOUT % (TEST_METRICS_START, TEST_METRICS_GATHER)


def test_removes_every_item_of_the_method_and_keeps_the_rest_verbatim():
    result = cl2_drop_measurements(CONFIG, ['TestMetrics'])
    assert result == CONFIG_WITHOUT % ('', '')
    # The blank line that ended the first step is still there, and so are the template actions.
    assert '\n\n- name: Gather\n' in result
    assert '  {{if not $USE_SIMPLE_LATENCY_QUERY}}\n' in result and '  {{end}}\n' in result


def test_nothing_to_remove_returns_the_text_unchanged():
    assert cl2_drop_measurements(CONFIG, []) == CONFIG
    assert cl2_drop_measurements(CONFIG, ['EtcdMetrics']) == CONFIG


def test_matches_the_method_not_the_identifier():
    config = CONFIG.replace('Identifier: TestMetrics', 'Identifier: Everything')
    result = cl2_drop_measurements(config, ['TestMetrics'])
    assert 'Everything' not in result
    assert cl2_drop_measurements(config, ['Everything']) == config


def test_a_step_left_without_measurements_is_an_error_naming_the_variable():
    with pytest.raises(AnsibleFilterError, match='perf_clusterloader2_drop_measurements'):
        cl2_drop_measurements(CONFIG, ['TestMetrics', 'APIResponsivenessPrometheus'])


@pytest.mark.parametrize('text, methods', [
    (None, ['TestMetrics']),
    (CONFIG, 'TestMetrics'),
    (CONFIG, [1]),
])
def test_bad_input(text, methods):
    with pytest.raises(AnsibleFilterError):
        cl2_drop_measurements(text, methods)
