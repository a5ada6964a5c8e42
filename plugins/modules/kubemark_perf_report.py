#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_perf_report
short_description: Turn the raw samples of a density run into report.json, report.md and report.html
version_added: 0.1.0
description:
  - Reads the samples directory M(kubemark.kubemark.kubemark_density) wrote (and the C(clusterloader2/) directory the perf
    role adds) and writes the report next to it.
  - Percentiles are exact (nearest rank over the raw samples), so the same directory always gives the same figures.
  - "C(report.md) holds the tables of the seed-002 test design: one row per percentile (p10, p50, p90, p99) and one column per
    load level, for pod startup latency and for every verb and resource of the API calls, each with its SLO verdict; then
    node startup latency, the scheduler's figures (attempts, pods scheduled per second, attempt duration, pending pods), the
    API server's own latencies per verb and resource, clusterloader2's summaries and the profiles."
  - C(report.html) holds the same tables and plots as inline SVG (pod startup latency against load, API call p99 against
    load, the pod and node startup CDFs, scheduling throughput over time). It loads nothing from anywhere.
  - A run that is incomplete (C(run.json) status other than C(complete), or a level that did not finish) gets the verdict
    C(incomplete), never C(pass); so does every SLO without samples (C(no-data)).
author:
  - kubemark collection developers (@kubemark)
options:
  samples_dir:
    description:
      - The samples directory of one run.
    type: path
    required: true
  dest:
    description:
      - Directory of the report files; O(samples_dir) when omitted.
    type: path
  formats:
    description:
      - Report files to write.
    type: list
    elements: str
    choices: [json, md, html]
    default: [json, md, html]
  slo:
    description:
      - SLO settings that replace the defaults.
    type: dict
    suboptions:
      pod_startup_seconds:
        description: Pod startup latency allowed at O(slo.pod_startup_percentile).
        type: float
        default: 5.0
      pod_startup_percentile:
        description: Percentile the pod startup SLO is checked at.
        type: int
        default: 99
      api_call_seconds:
        description: Latency allowed for calls on single objects and LIST of scope C(resource).
        type: float
        default: 1.0
      api_list_namespace_seconds:
        description: Latency allowed for LIST of scope C(namespace).
        type: float
        default: 5.0
      api_list_cluster_seconds:
        description: Latency allowed for LIST of scope C(cluster).
        type: float
        default: 30.0
      api_call_percentile:
        description: Percentile the API call SLOs are checked at.
        type: int
        default: 99
      node_startup_seconds:
        description: Node startup latency allowed at O(slo.node_startup_percentile).
        type: float
        default: 4.0
      node_startup_percentile:
        description: Percentile the node startup SLO is checked at.
        type: int
        default: 99
attributes:
  check_mode:
    support: full
    description: Computes the report and tells whether the files would change; writes nothing.
  diff_mode:
    support: none
    description: Report files are rewritten whole; no diff is shown.
seealso:
  - module: kubemark.kubemark.kubemark_density
"""

EXAMPLES = r"""
- name: Write the report of a run
  kubemark.kubemark.kubemark_perf_report:
    samples_dir: /var/tmp/perf/run-1
  register: report

- name: Fail unless every SLO passed
  ansible.builtin.assert:
    that: report.verdict == 'pass'
    fail_msg: "{{ report.failed_checks }}"

- name: Only the Markdown, with a 2 s pod startup objective
  kubemark.kubemark.kubemark_perf_report:
    samples_dir: /var/tmp/perf/run-1
    dest: /var/tmp/perf/reports
    formats: [md]
    slo:
      pod_startup_seconds: 2
"""

RETURN = r"""
verdict:
  description: C(pass) when the run is complete and every SLO passed; otherwise C(fail), C(no-data) or C(incomplete).
  returned: success
  type: str
  sample: pass
status:
  description: C(complete) or C(incomplete).
  returned: success
  type: str
  sample: complete
errors:
  description: Errors the run recorded.
  returned: success
  type: list
  elements: str
  sample: []
files:
  description: The report files, by format.
  returned: success
  type: dict
  sample: {"json": /var/tmp/perf/run-1/report.json, "md": /var/tmp/perf/run-1/report.md}
failed_checks:
  description: SLO checks whose verdict is not C(pass).
  returned: success
  type: list
  elements: dict
  sample: [{"slo": "pod_startup", "level": 100, "subject": "pods", "percentile": 99, "value": 6.2, "threshold": 5, "verdict": "fail"}]
pod_startup_table:
  description: The seed-002 table of pod startup latency, in Markdown.
  returned: success
  type: str
  sample: "| | 10%-full | ... |"
clusterloader2_status:
  description: Status of clusterloader2 in this run (C(not-run), C(unavailable), C(ok), C(failed)).
  returned: success
  type: str
  sample: not-run
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import render_html, report, samples, slo


def _current(path):
    if not os.path.isfile(path):
        return None
    with open(path) as handle:
        return handle.read()


def main():
    slo_options = dict((name, dict(type='int' if name.endswith('percentile') else 'float', default=value))
                       for name, value in slo.DEFAULTS.items())
    module = AnsibleModule(
        argument_spec=dict(
            samples_dir=dict(type='path', required=True),
            dest=dict(type='path'),
            formats=dict(type='list', elements='str', choices=['json', 'md', 'html'], default=['json', 'md', 'html']),
            slo=dict(type='dict', options=slo_options),
        ),
        supports_check_mode=True,
    )
    directory = module.params['samples_dir']
    dest = module.params['dest'] or directory
    try:
        data = report.build(directory, module.params['slo'])
    except (samples.SamplesError, ValueError) as error:
        module.fail_json(msg=str(error))
    contents = {}
    if 'json' in module.params['formats']:
        contents['json'] = json.dumps(data, indent=2, sort_keys=True) + '\n'
    if 'md' in module.params['formats']:
        contents['md'] = report.markdown(data)
    if 'html' in module.params['formats']:
        contents['html'] = render_html.render(data)
    files = dict((fmt, os.path.join(dest, 'report.' + fmt)) for fmt in contents)
    changed = False
    for fmt, text in contents.items():
        if _current(files[fmt]) != text:
            changed = True
            if not module.check_mode:
                write_atomic(files[fmt], text, 0o644, dir_mode=0o755)
    table = '\n'.join(report.percentile_table(data, data['pod_startup'], report.checks_for(data, 'pod_startup', 'pods')))
    module.exit_json(
        changed=changed, verdict=data['verdict'], status=data['status'], errors=data['errors'], files=files,
        failed_checks=[check for check in data['slo_checks'] if check['verdict'] != slo.PASS],
        pod_startup_table=table, clusterloader2_status=data['clusterloader2'].get('status'))


if __name__ == '__main__':
    main()
