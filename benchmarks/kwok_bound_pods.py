# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bare pods already bound to kwok nodes: how fast kwok alone brings them to Running.

kwok's own pod benchmark creates pods whose .spec.nodeName is set, on a cluster without a
scheduler: no ReplicaSet controller creates them and no scheduler binds them. This does the same
on the collection's master (the scheduler is there but has nothing to do) so that figure can be
set beside the Deployment figure of kwok.sh: the difference is the controllers' and the
scheduler's share.

    kwok_bound_pods.py --kubeconfig FILE --count N [--threads 32] [--namespace default]

Prints one line: seconds to create the N pods, seconds from the first create until all N are
Running (from a watch), then deletes them and prints the seconds until they are gone.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.exceptions import ApiException

LABEL = 'bench-kwok-bound'
BACKEND_LABEL = 'hollow-nodes.kubemark.io/backend=kwok'


def _pod(name, node):
    return {
        'apiVersion': 'v1', 'kind': 'Pod',
        'metadata': {'name': name, 'labels': {'app': LABEL}},
        'spec': {'nodeName': node, 'containers': [{'name': 'pause', 'image': 'registry.k8s.io/pause:3.10'}],
                 'tolerations': [{'operator': 'Exists'}]},
    }


def _count_running(api, namespace, target, started, done):
    """Watch the pods until target are Running; set done[0] to the seconds since started."""
    running = set()
    while len(running) < target:
        listed = api.list_namespaced_pod(namespace, label_selector='app=' + LABEL)
        running.update(pod.metadata.name for pod in listed.items if pod.status.phase == 'Running')
        if len(running) >= target:
            break
        stream = watch.Watch().stream(api.list_namespaced_pod, namespace, label_selector='app=' + LABEL,
                                      resource_version=listed.metadata.resource_version, timeout_seconds=600)
        for event in stream:
            pod = event['object']
            if pod.status.phase == 'Running':
                running.add(pod.metadata.name)
                if len(running) >= target:
                    break
    done[0] = time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--kubeconfig', required=True)
    parser.add_argument('--count', type=int, required=True)
    parser.add_argument('--threads', type=int, default=32)
    parser.add_argument('--namespace', default='default')
    args = parser.parse_args()
    if args.count < 1 or args.threads < 1:
        parser.error('--count and --threads must be at least 1')

    configuration = client.Configuration()
    config.load_kube_config(config_file=args.kubeconfig, client_configuration=configuration)
    configuration.connection_pool_maxsize = args.threads + 2
    api = client.CoreV1Api(client.ApiClient(configuration))
    nodes = sorted(node.metadata.name for node in api.list_node(label_selector=BACKEND_LABEL).items)
    if not nodes:
        sys.exit('no kwok node (label %s) in the cluster' % BACKEND_LABEL)
    if api.list_namespaced_pod(args.namespace, label_selector='app=' + LABEL, limit=1).items:
        sys.exit('pods labelled app=%s are still in namespace %s (an earlier run\'s, being deleted?): wait until they are gone'
                 % (LABEL, args.namespace))

    started = time.monotonic()
    done = [0.0]
    watcher = threading.Thread(target=_count_running, args=(api, args.namespace, args.count, started, done), daemon=True)
    watcher.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.threads) as pool:
        futures = [pool.submit(api.create_namespaced_pod, args.namespace, _pod('bound-%06d' % index, nodes[index % len(nodes)]))
                   for index in range(args.count)]
        for future in futures:
            future.result()
    created = time.monotonic() - started
    watcher.join()

    print('%d bare pods bound to %d kwok nodes: created in %.1fs (%d threads), all Running %.1fs after the first create;'
          % (args.count, len(nodes), created, args.threads, done[0]), end=' ', flush=True)

    removal = time.monotonic()
    try:
        api.delete_collection_namespaced_pod(args.namespace, label_selector='app=' + LABEL, grace_period_seconds=0)
    except ApiException as error:
        # Deleting 10 000 pods takes the API server longer than its request timeout (504): it goes
        # on deleting them after answering.
        if error.status != 504:
            raise
    while api.list_namespaced_pod(args.namespace, label_selector='app=' + LABEL, limit=1).items:
        time.sleep(1)
    print('deleted in %.1fs' % (time.monotonic() - removal))


if __name__ == '__main__':
    main()
