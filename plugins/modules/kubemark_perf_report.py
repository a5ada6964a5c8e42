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
  - Reads the samples directory M(kubemark.kubemark.kubemark_density) wrote (and the C(clusterloader2/) and C(e2e/)
    directories the perf role adds) and writes the report next to it.
  - Percentiles are exact (nearest rank over the raw samples), so the same directory always gives the same figures.
  - "C(report.md) holds one table per measure: one row per percentile (p10, p50, p90, p99) and one column per
    load level, for pod startup latency and for every verb and resource of the API calls, each with its SLO verdict; then
    node startup latency, the scheduler's figures (attempts, pods scheduled per second, attempt duration, pending pods), the
    API server's own latencies per verb and resource, clusterloader2, e2e.test and the profiles."
  - "clusterloader2 (C(clusterloader2/<config name>/), one directory per test config, each with junit.xml, the summaries
    and the role's status.json) gets one table per config with every measurement and its status (passed, failed with
    its error, or skipped when it needs Prometheus, which the cluster does not run, although clusterloader2 counts it as
    passed), then pod startup latency, scheduling throughput, scheduler latencies, etcd latencies (from histogram
    buckets) and database size, control-plane CPU and memory, and system pod restarts. Latencies are in milliseconds."
  - "e2e.test (C(e2e/), its junit_01.xml and the role's status.json) gets the counts of passed, failed, skipped and not
    selected tests, every failure with the first line of its message, and the label filter, focus and skip used."
  - A clusterloader2 config or an e2e.test run that failed, or that could not run, makes the verdict C(fail). A suite
    whose directory is absent was not run; that does not change the verdict.
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
  compare_dirs:
    description:
      - Samples directories of other runs to set beside this one in a section of the report (C(fidelity) in report.json),
        typically the same density test at the same size on another backend of fake nodes (kubemark's hollow kubelets
        against kwok's nodes).
      - "Per run: its backends (from the nodes' C(hollow-nodes.kubemark.io/backend) label), pod startup and client-side API
        call percentiles at the busiest level, the API server's requests per node and minute by verb and resource, its CPU
        and memory, the watches open and the objects stored at the end, and etcd's CPU and memory when the perf role
        scraped them (C(metrics/etcd.json)); with two runs, each figure of this run divided by the other's."
    type: list
    elements: path
    default: []
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

- name: Fail when e2e.test did not pass
  ansible.builtin.assert:
    that: report.e2e_status in ['ok', 'not-run']
    fail_msg: "e2e.test {{ report.e2e_status }}, {{ report.e2e_reason }}"

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
  description:
    - C(pass) when the run is complete, every SLO passed and no suite failed; otherwise C(fail), C(no-data) or
      C(incomplete).
    - A failed clusterloader2 or e2e.test makes it C(fail) (an incomplete run stays C(incomplete)).
  returned: success
  type: str
  sample: pass
slo_verdict:
  description: The verdict of the built-in test's SLO checks alone (C(pass), C(fail), C(no-data) or C(incomplete)).
  returned: success
  type: str
  sample: pass
suites:
  description: Status of every suite, as in report.json; C(not-run) when its directory is absent.
  returned: success
  type: dict
  sample:
    clusterloader2: {"status": "ok", "reason": "", "configs": {"load": "ok"}}
    e2e: {"status": "failed", "reason": "2 of 69 tests failed", "passed": 67, "failed": 2, "skipped": 0, "not_selected": 3137}
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
  description: The pod startup latency table (rows p10, p50, p90, p99, columns the load levels), in Markdown.
  returned: success
  type: str
  sample: "| | 10%-full | ... |"
clusterloader2_status:
  description:
    - Status of clusterloader2 in this run, over all its test configs.
    - C(ok) when every config passed; C(failed) when one failed, when clusterloader2 could not be got or built, or when
      there is no result; C(not-run) when the run has no C(clusterloader2/) directory.
  returned: success
  type: str
  sample: ok
clusterloader2_reason:
  description: Why clusterloader2 did not pass (each failed config with its failed measurements); empty when it passed.
  returned: success
  type: str
  sample: "load: TestMetrics failed: measurement call TestMetrics - TestMetrics error: [action gather failed for EtcdMetrics measurement]"
clusterloader2_configs:
  description: Status (C(ok) or C(failed)) of every clusterloader2 test config, by its directory name.
  returned: success
  type: dict
  sample: {"load": "ok", "scheduler-throughput": "failed"}
e2e_status:
  description:
    - Status of e2e.test in this run.
    - C(ok) when the role recorded success and at least one test ran and none failed; C(failed) when a test or the suite
      setup failed, when no test ran, or when e2e.test could not run; C(not-run) when the run has no C(e2e/) directory.
  returned: success
  type: str
  sample: ok
e2e_reason:
  description: Why e2e.test did not pass; empty when it passed.
  returned: success
  type: str
  sample: "2 of 69 tests failed"
e2e_counts:
  description: Tests of e2e.test that passed, failed, were skipped at run time and were not selected; null when not run.
  returned: success
  type: dict
  sample: {"passed": 96, "failed": 0, "skipped": 0, "not_selected": 3110, "other": 0}
fidelity:
  description: The comparison with the runs of O(compare_dirs) (see report.json's C(fidelity)); null without them.
  returned: success
  type: dict
  sample: {"runs": [{"run_id": "fidelity-kwok-100", "backend": "100 kwok"}, {"run_id": "fidelity-kubemark-100"}]}
e2e_failures:
  description: Failed e2e tests, each with the first line of its failure message.
  returned: success
  type: list
  elements: dict
  sample: [{"name": "[sig-apps] Deployment should ...", "status": "failed", "message": "[FAILED] Timed out after 300.001s."}]
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
            compare_dirs=dict(type='list', elements='path', default=[]),
        ),
        supports_check_mode=True,
    )
    directory = module.params['samples_dir']
    dest = module.params['dest'] or directory
    try:
        data = report.build(directory, module.params['slo'], module.params['compare_dirs'])
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
        pod_startup_table=table, slo_verdict=data['slo_verdict'], suites=data['suites'],
        clusterloader2_status=data['clusterloader2']['status'], clusterloader2_reason=data['clusterloader2'].get('reason') or '',
        clusterloader2_configs=data['suites']['clusterloader2']['configs'],
        e2e_status=data['e2e']['status'], e2e_reason=data['e2e'].get('reason') or '', e2e_counts=data['e2e'].get('counts'),
        e2e_failures=data['e2e'].get('failures') or [], fidelity=data['fidelity'])


if __name__ == '__main__':
    main()
