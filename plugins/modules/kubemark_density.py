#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_density
short_description: Run the density/load test of a kubemark cluster and save its raw samples
version_added: 0.1.0
description:
  - Fills a cluster level by level to O(load_levels) percent of its capacity (O(nodes) x O(pods_per_node) pods) with
    Deployments or ReplicationControllers of pause pods created at O(pod_creation_qps) pods per second, the test design of
    the Kubernetes density test (30 pods per node; levels 10, 25, 50, 90 and 100 %).
  - "Measures, per level: pod startup latency as the SLO defines it (from the pod's creation timestamp to all its containers
    running, observed by a watch), client-side latency of API calls per verb and resource (POST, GET, PUT, LIST and DELETE on
    nodes, pods and replication controllers, O(api_probes) rounds at O(api_qps) calls per second, plus the calls that create
    the load), and node startup latency (creation to the Ready condition) once."
  - Scrapes kube-apiserver C(/metrics) (through the API) and kube-scheduler C(/metrics) (O(scheduler_metrics_url)) before
    and after every level, and can take pprof CPU and heap profiles of both during the last (busiest) level.
  - Writes every sample to O(output_dir) as it is measured (C(run.json), C(pod_startup.jsonl), C(api_calls.jsonl),
    C(node_startup.jsonl), C(metrics/), C(profiles/)), so that percentiles can be recomputed from the raw samples;
    M(kubemark.kubemark.kubemark_perf_report) turns the directory into the report.
  - "When the run fails (too few Ready nodes, a level whose pods do not start within O(level_timeout), an unreachable metrics
    endpoint, ...), the samples measured so far stay in O(output_dir), C(run.json) says C(status: incomplete) with the
    error, and the task fails: a partial run is never a pass."
  - The test's objects live in one namespace C(kubemark-perf-RUN_ID) labelled C(kubemark.io/perf=true); with O(cleanup=true)
    namespaces and probe nodes of earlier runs are removed first and the run's namespace is deleted at the end.
  - The kubeconfig is that of the cluster under test, with cluster-admin rights (the admin kubeconfig of the master).
author:
  - kubemark collection developers (@kubemark)
extends_documentation_fragment:
  - kubemark.kubemark.kubeconfig
options:
  output_dir:
    description:
      - Directory for the raw samples of this run. Created when missing. It should be empty or new; files of an earlier run
        in it would be mixed into the report.
    type: path
    required: true
  run_id:
    description:
      - Identifier of the run, used in the namespace name and labels. A time stamp with a random suffix when omitted.
    type: str
  nodes:
    description:
      - Number of nodes the capacity is computed from. The run fails unless at least this many nodes are Ready and
        schedulable.
      - V(0) uses every Ready schedulable node.
    type: int
    default: 0
  pods_per_node:
    description:
      - Pods per node at 100 % load (the density test's 30; at most the hollow nodes' C(--max-pods), 110 by default).
    type: int
    default: 30
  load_levels:
    description:
      - Load levels in percent of capacity, measured in increasing order; each level adds pods to those of the previous ones.
      - A level above 100 or at or below 0 is an error.
    type: list
    elements: float
    default: [10, 25, 50, 90, 100]
  workload:
    description:
      - Kind of the controllers that create the pods.
    type: str
    choices: [deployment, replicationcontroller]
    default: deployment
  pods_per_controller:
    description:
      - Replicas of each controller; a level's pods are split into controllers of at most this size.
    type: int
    default: 10
  pod_creation_qps:
    description:
      - Pods created per second, on average (controllers are created so that their replicas follow this rate). The SLOs
        assume a churn of at most 20 per second.
    type: float
    default: 20
  api_qps:
    description:
      - Rate of the timed probe calls, in calls per second.
    type: float
    default: 20
  api_probes:
    description:
      - Rounds of probe calls per level. One round is 15 calls (POST, GET, PUT, LIST, DELETE on nodes, pods and replication
        controllers). A p99 needs 100 samples to be more than the maximum.
    type: int
    default: 50
  level_timeout:
    description:
      - Seconds a level may take from its first pod creation until all its pods run.
    type: int
    default: 900
  pod_image:
    description:
      - Image of the pods. Hollow nodes run no container, so the image is never pulled by them.
    type: str
    default: registry.k8s.io/pause:3.10
  pod_cpu_request:
    description:
      - CPU request of every pod.
    type: str
    default: 1m
  pod_memory_request:
    description:
      - Memory request of every pod.
    type: str
    default: 10Mi
  scheduler_metrics_url:
    description:
      - URL of kube-scheduler's metrics, for example C(https://MASTER:10259/metrics). The kubeconfig's client certificate or
        token is sent. An empty value skips the scheduler metrics (and its profiles).
      - An endpoint that cannot be scraped fails the run.
    type: str
    default: ''
  component_validate_certs:
    description:
      - Verify the serving certificate of O(scheduler_metrics_url) (and of its pprof endpoints).
      - A master made by the kubemark.kubemark.master role gives kube-scheduler a serving certificate from the cluster CA,
        which the kubeconfig trusts, so the default verifies it with no further setting.
      - Set it to V(false) only for a kube-scheduler that serves its own self-signed certificate (a master not made by
        the collection, started without C(--tls-cert-file)); the endpoint's identity is then not checked.
    type: bool
    default: true
  component_ca_cert:
    description:
      - CA bundle that verifies O(scheduler_metrics_url) when O(component_validate_certs=true).
      - Default the CA the kubeconfig trusts for the API server (its cluster's C(certificate-authority) or
        C(certificate-authority-data)); the system trust store when it names none.
    type: path
  profiles:
    description:
      - Take pprof CPU profiles of kube-apiserver and kube-scheduler during the last level and heap profiles after it,
        into C(profiles/) of O(output_dir). Needs C(--profiling) (the default) on both.
    type: bool
    default: false
  profile_seconds:
    description:
      - Length of the CPU profiles.
    type: int
    default: 30
  cleanup:
    description:
      - Remove namespaces and probe nodes of earlier runs before the test, and the run's namespace after it.
    type: bool
    default: true
  cleanup_timeout:
    description:
      - Seconds to wait for the namespaces to be gone.
    type: int
    default: 600
attributes:
  check_mode:
    support: full
    description: Reads the cluster (version, Ready nodes) and returns the plan of levels; creates and writes nothing.
  diff_mode:
    support: none
    description: The run's changes are the test's own objects, created and deleted again; there is nothing to compare.
notes:
  - Pod startup latency compares the API server's creation timestamp (whole seconds) with the control host's clock at the watch
    event; both clocks must agree (the perf role checks clock skew first). Creation timestamps are truncated to the second, so
    a latency can read up to one second more than it was, as in clusterloader2.
  - The probe pods carry a scheduling gate and the probe nodes are unschedulable and tainted, so probes never add load.
seealso:
  - module: kubemark.kubemark.kubemark_perf_report
"""

EXAMPLES = r"""
- name: Density test of a kubemark cluster of 100 hollow nodes
  kubemark.kubemark.kubemark_density:
    kubeconfig: ~/.cache/kubemark/admin.kubeconfig
    output_dir: /var/tmp/perf/run-1
    nodes: 100
    load_levels: [10, 25, 50, 90, 100]
    scheduler_metrics_url: https://10.0.0.10:10259/metrics
    profiles: true
  register: density

- name: Only show the plan
  kubemark.kubemark.kubemark_density:
    kubeconfig: ~/.cache/kubemark/admin.kubeconfig
    output_dir: /var/tmp/perf/run-2
  check_mode: true
"""

RETURN = r"""
run_dir:
  description: The samples directory (O(output_dir)).
  returned: always
  type: str
  sample: /var/tmp/perf/run-1
run_id:
  description: Identifier of the run.
  returned: always
  type: str
  sample: 20261123-114000-a1b2
status:
  description: C(complete), or C(incomplete) when the run failed (the task then fails too); C(planned) in check mode.
  returned: always
  type: str
  sample: complete
cluster:
  description: Server version, Ready schedulable nodes, all nodes and the capacity in pods.
  returned: success
  type: dict
  sample: {"server_version": "v1.33.13", "ready_nodes": 100, "nodes_total": 101, "capacity": 3000}
levels:
  description: The load levels with their target pod counts, and once measured the pods running and times.
  returned: always
  type: list
  elements: dict
  sample: [{"percent": 10, "target_pods": 300, "pods_running": 300, "complete": true}]
pods_measured:
  description: Pods whose startup latency was recorded.
  returned: success
  type: int
  sample: 3000
api_calls_measured:
  description: Timed API calls.
  returned: success
  type: int
  sample: 3750
duration_seconds:
  description: Wall time of the run, cleanup included.
  returned: success
  type: float
  sample: 412.5
errors:
  description: Non-fatal problems (a profile that could not be taken, a cleanup that timed out).
  returned: success
  type: list
  elements: str
  sample: []
"""

import os
import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils._kube import KUBECONFIG_ARGS, KUBECONFIG_SOURCES, client_for_module
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import density, samples


def _count_lines(path):
    if not os.path.exists(path):
        return 0
    with open(path) as handle:
        return sum(1 for line in handle if line.strip())


def main():
    module = AnsibleModule(
        argument_spec=dict(
            KUBECONFIG_ARGS,
            output_dir=dict(type='path', required=True),
            run_id=dict(type='str'),
            nodes=dict(type='int', default=0),
            pods_per_node=dict(type='int', default=30),
            load_levels=dict(type='list', elements='float', default=[10, 25, 50, 90, 100]),
            workload=dict(type='str', choices=list(density.WORKLOADS), default='deployment'),
            pods_per_controller=dict(type='int', default=10),
            pod_creation_qps=dict(type='float', default=20),
            api_qps=dict(type='float', default=20),
            api_probes=dict(type='int', default=50),
            level_timeout=dict(type='int', default=900),
            pod_image=dict(type='str', default='registry.k8s.io/pause:3.10'),
            pod_cpu_request=dict(type='str', default='1m'),
            pod_memory_request=dict(type='str', default='10Mi'),
            scheduler_metrics_url=dict(type='str', default=''),
            component_validate_certs=dict(type='bool', default=True),
            component_ca_cert=dict(type='path'),
            profiles=dict(type='bool', default=False),
            profile_seconds=dict(type='int', default=30),
            cleanup=dict(type='bool', default=True),
            cleanup_timeout=dict(type='int', default=600),
        ),
        required_one_of=KUBECONFIG_SOURCES,
        mutually_exclusive=KUBECONFIG_SOURCES,
        supports_check_mode=True,
    )
    params = dict(module.params)
    for name in ('pods_per_controller', 'api_probes', 'level_timeout', 'profile_seconds', 'cleanup_timeout'):
        if params[name] < (0 if name == 'api_probes' else 1):
            module.fail_json(msg='%s must be at least %d' % (name, 0 if name == 'api_probes' else 1))
    if params['nodes'] < 0:
        module.fail_json(msg='nodes must be 0 (every Ready node) or more')
    if params['pod_creation_qps'] <= 0 or params['api_qps'] <= 0:
        module.fail_json(msg='pod_creation_qps and api_qps must be above 0')
    try:
        density.plan(max(params['nodes'], 1), params['pods_per_node'], params['load_levels'])
    except density.DensityError as error:
        module.fail_json(msg=str(error))
    output_dir = params['output_dir']
    client = client_for_module(module)

    if module.check_mode:
        test = density.DensityTest(client, params, output_dir)
        try:
            nodes = [n for n in test.nodes() if n['is_ready'] and n['schedulable'] and not n['name'].startswith('perf-probe-')]
        except Exception as error:  # pylint: disable=broad-except
            module.fail_json(msg='cannot list the nodes with %s: %s' % (client.source, error))
        asked = params['nodes'] or len(nodes)
        if asked < 1 or len(nodes) < asked:
            module.fail_json(msg='the cluster has %d Ready schedulable nodes, fewer than the %d this run asks for' % (len(nodes), asked),
                             run_dir=output_dir, run_id=test.run_id, status='incomplete', levels=[])
        levels = density.plan(asked, params['pods_per_node'], params['load_levels'])
        module.exit_json(changed=True, run_dir=output_dir, run_id=test.run_id, status='planned', levels=levels,
                         cluster={'ready_nodes': len(nodes), 'capacity': asked * params['pods_per_node']})

    if not os.path.isdir(output_dir):
        os.makedirs(output_dir)
    test = density.DensityTest(client, params, output_dir, log=module.debug)
    try:
        meta = test.run()
    except density.DensityError as error:
        module.fail_json(msg='density test incomplete: %s (partial samples in %s)' % (error, output_dir), run_dir=output_dir,
                         run_id=test.run_id, status=samples.INCOMPLETE, levels=test.meta['levels'], errors=test.meta['errors'])
    except Exception as error:  # pylint: disable=broad-except
        module.fail_json(msg='density test failed: %s' % error, exception=traceback.format_exc(), run_dir=output_dir,
                         run_id=test.run_id, status=samples.INCOMPLETE)
    module.exit_json(
        changed=True, run_dir=output_dir, run_id=meta['run_id'], status=meta['status'], cluster=meta.get('cluster'),
        levels=meta['levels'], errors=meta['errors'], duration_seconds=meta.get('duration_seconds'),
        pods_measured=_count_lines(os.path.join(output_dir, samples.POD_STARTUP_FILE)),
        api_calls_measured=_count_lines(os.path.join(output_dir, samples.API_CALLS_FILE)))


if __name__ == '__main__':
    main()
