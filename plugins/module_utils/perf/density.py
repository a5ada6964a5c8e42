# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The density/load test (capacity = nodes x pods per node, filled level by level), run from the control host with the kubernetes
client.

Capacity is nodes x pods_per_node pods. The test fills the cluster level by level (10, 25, 50,
90, 100 % by default; each level adds pods to the previous ones) with Deployments or
ReplicationControllers of pause pods, created at a controlled rate. For every pod it records the
creation timestamp, the PodScheduled transition, the containers' start and the moment a watch
event showed all containers running (the pod startup SLI). At every level it times API calls per
verb x resource (PUT/POST/LIST/GET/DELETE on nodes, pods and replication controllers) and
scrapes kube-apiserver and kube-scheduler /metrics before and after. Optionally it takes pprof CPU
and heap profiles of both during the busiest (last) level.

Everything is written to the samples directory as it is measured (samples.py), so a run that
fails leaves its partial figures behind, marked incomplete.
"""

from __future__ import annotations

import json
import os
import random
import string
import threading
import time
import traceback

from ansible.module_utils.urls import open_url

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic
from ansible_collections.kubemark.kubemark.plugins.module_utils._kube import STREAM_ERRORS, ApiError
from ansible_collections.kubemark.kubemark.plugins.module_utils._stats import parse_time
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import samples
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf.fidelity import BACKEND_LABEL


def component_tls(params, configuration):
    """How component endpoints (kube-scheduler's secure port) are verified: (validate_certs, ca_path, ca_source).

    With component_validate_certs, the CA is component_ca_cert when given, else the CA the kubeconfig
    trusts for the API server (the cluster CA, which also issues the components' serving certificates
    of a master made by the master role), else the system trust store. Without it nothing is verified.
    """
    if not params.get('component_validate_certs'):
        return False, None, 'none'
    if params.get('component_ca_cert'):
        return True, params['component_ca_cert'], 'component_ca_cert'
    kubeconfig_ca = getattr(configuration, 'ssl_ca_cert', None)
    if kubeconfig_ca:
        return True, kubeconfig_ca, 'kubeconfig'
    return True, None, 'system'


RUN_LABEL = 'kubemark.io/perf-run'
LEVEL_LABEL = 'kubemark.io/perf-level'
PERF_LABEL = 'kubemark.io/perf'
PROBE_ANNOTATION = 'kubemark.io/perf-probe'
WORKLOADS = ('deployment', 'replicationcontroller')
MAX_LEVEL = 100


class DensityError(Exception):
    """The test cannot start or cannot go on; the message says why and what to do."""


def validate_levels(levels):
    """Load levels as a sorted list of unique numbers in (0, 100]; anything else is an error."""
    if not levels:
        raise DensityError('load_levels is empty: give at least one load level in percent of capacity, e.g. [10, 50, 100]')
    result = []
    for level in levels:
        try:
            value = float(level)
        except (TypeError, ValueError):
            raise DensityError('load level %r is not a number (percent of capacity)' % (level,))
        if value > MAX_LEVEL:
            raise DensityError('load level %s %% is above 100 %% of capacity (nodes x pods_per_node); the levels must be within '
                               '(0, 100]: raise pods_per_node or the node count instead' % (level,))
        if value <= 0:
            raise DensityError('load level %s %% must be above 0' % (level,))
        result.append(int(value) if value == int(value) else value)
    if len(set(result)) != len(result):
        raise DensityError('load levels %s contain duplicates' % (list(levels),))
    return sorted(result)


def plan(nodes, pods_per_node, levels):
    """[{'percent', 'target_pods'}] for the levels; target pods are cumulative and at least 1."""
    if nodes < 1:
        raise DensityError('nodes must be at least 1')
    if pods_per_node < 1:
        raise DensityError('pods_per_node must be at least 1')
    capacity = nodes * pods_per_node
    result = []
    for level in validate_levels(levels):
        result.append({'percent': level, 'target_pods': max(1, int(round(capacity * level / 100.0)))})
    return result


def controller_sizes(count, per_controller):
    """Split 'count' pods into controllers of at most per_controller replicas."""
    sizes = []
    while count > 0:
        size = min(per_controller, count)
        sizes.append(size)
        count -= size
    return sizes


def pod_record(pod):
    """What the suite keeps of a pod (a dict as the API returns it)."""
    metadata = pod.get('metadata') or {}
    spec = pod.get('spec') or {}
    status = pod.get('status') or {}
    scheduled = None
    for condition in status.get('conditions') or []:
        if condition.get('type') == 'PodScheduled' and condition.get('status') == 'True':
            scheduled = parse_time(condition.get('lastTransitionTime'))
    statuses = status.get('containerStatuses') or []
    started = []
    for container in statuses:
        running = (container.get('state') or {}).get('running')
        if running is not None:
            started.append(parse_time(running.get('startedAt')))
    containers = len(spec.get('containers') or [])
    all_running = containers > 0 and len(started) == containers and len(statuses) == containers
    level = (metadata.get('labels') or {}).get(LEVEL_LABEL)
    return {
        'name': metadata.get('name'),
        'namespace': metadata.get('namespace'),
        'uid': metadata.get('uid'),
        'node': spec.get('nodeName'),
        'level': _number(level),
        'created': parse_time(metadata.get('creationTimestamp')),
        'scheduled': scheduled,
        'started': max([s for s in started if s is not None]) if all_running and any(s is not None for s in started) else None,
        'running': all_running,
    }


def _number(text):
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value == int(value) else value


def node_record(node):
    metadata = node.get('metadata') or {}
    ready = None
    is_ready = False
    for condition in (node.get('status') or {}).get('conditions') or []:
        if condition.get('type') == 'Ready':
            is_ready = condition.get('status') == 'True'
            if is_ready:
                ready = parse_time(condition.get('lastTransitionTime'))
    spec = node.get('spec') or {}
    no_schedule = [t for t in spec.get('taints') or [] if t.get('effect') in ('NoSchedule', 'NoExecute')]
    return {
        'name': metadata.get('name'),
        'created': parse_time(metadata.get('creationTimestamp')),
        'ready': ready,
        'is_ready': is_ready,
        'schedulable': not spec.get('unschedulable') and not no_schedule,
        'backend': (metadata.get('labels') or {}).get(BACKEND_LABEL),
    }


class Pacer(object):
    """Spaces events so that on average no more than 'rate' happen per second."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_time = time.monotonic()

    def wait(self, weight=1.0):
        now = time.monotonic()
        if self.next_time > now:
            time.sleep(self.next_time - now)
            now = self.next_time
        self.next_time = max(self.next_time, now) + self.interval * weight


class PodWatcher(threading.Thread):
    """Watches the test's pods and records, per pod, the first event that shows all containers running."""

    READ_TIMEOUT = 5

    def __init__(self, http, namespace, selector, log):
        threading.Thread.__init__(self, name='kubemark-perf-pod-watch')
        self.daemon = True
        self.http = http
        self.namespace = namespace
        self.selector = selector
        self.log = log
        self.lock = threading.Lock()
        self.running = {}
        self.stopping = threading.Event()
        self.error = None
        self.events = 0
        self.restarts = 0

    def _observe(self, pod, observed, how):
        record = pod_record(pod)
        if not record['running'] or not record['uid']:
            return
        with self.lock:
            if record['uid'] in self.running:
                return
            record['observed'] = observed
            record['observed_by'] = how
            self.running[record['uid']] = record

    def _path(self):
        return '/api/v1/namespaces/%s/pods' % self.namespace

    def _call(self, query, timeout, stream=False):
        return self.http.request('GET', self._path(), query=query, timeout=timeout, stream=stream)

    def _list(self):
        response = self._call([('labelSelector', self.selector)], 120)
        data = json.loads(response.data)
        now = time.time()
        for pod in data.get('items') or []:
            # A pod already running when the watch (re)starts has no exact watch time: it is kept
            # with the time of this list and marked, so restarts are visible in the samples.
            self._observe(pod, now, 'list')
        return data['metadata']['resourceVersion']

    def run(self):
        resource_version = None
        while not self.stopping.is_set():
            try:
                if resource_version is None:
                    resource_version = self._list()
                query = [('labelSelector', self.selector), ('watch', 'true'), ('resourceVersion', resource_version),
                         ('allowWatchBookmarks', 'true'), ('timeoutSeconds', '300')]
                # A short read timeout lets the thread notice stop() within seconds; a quiet watch is simply
                # opened again from the last resource version, so no event is lost.
                response = self._call(query, (10, self.READ_TIMEOUT), stream=True)
                buffered = b''
                for chunk in response.stream(65536, decode_content=True):
                    if self.stopping.is_set():
                        break
                    buffered += chunk
                    while b'\n' in buffered:
                        line, buffered = buffered.split(b'\n', 1)
                        if not line.strip():
                            continue
                        now = time.time()
                        event = json.loads(line)
                        self.events += 1
                        kind = event.get('type')
                        obj = event.get('object') or {}
                        if kind == 'ERROR':
                            # 410 Gone: the resource version is too old; list again.
                            resource_version = None
                            break
                        version = (obj.get('metadata') or {}).get('resourceVersion')
                        if version:
                            resource_version = version
                        if kind in ('ADDED', 'MODIFIED'):
                            self._observe(obj, now, 'watch')
                    if resource_version is None:
                        break
                response.release_conn()
            except STREAM_ERRORS:
                continue
            except Exception as error:  # pylint: disable=broad-except
                if self.stopping.is_set():
                    break
                self.restarts += 1
                self.error = str(error)
                self.log('pod watch restarts after: %s' % error)
                resource_version = None
                time.sleep(1)

    def stop(self):
        self.stopping.set()
        self.join(self.READ_TIMEOUT * 3)

    def count(self, level=None):
        with self.lock:
            if level is None:
                return len(self.running)
            return sum(1 for record in self.running.values() if record['level'] == level)

    def take(self, level):
        with self.lock:
            return [dict(record) for record in self.running.values() if record['level'] == level]


class DensityTest(object):
    """One run of the test; see the module documentation for the parameters."""

    def __init__(self, client, params, output_dir, log=None):
        """client is the _kube.KubeClient of the cluster under test."""
        self.configuration = client.configuration
        self.http = client
        self.params = params
        self.dir = output_dir
        self.log = log or (lambda message: None)
        self.run_id = params.get('run_id') or time.strftime('%Y%m%d-%H%M%S', time.gmtime()) + '-' + ''.join(
            random.choice(string.ascii_lowercase + string.digits) for dummy in range(4))
        self.namespace = 'kubemark-perf-%s' % self.run_id
        self.namespace = self.namespace[:63].rstrip('-')
        self.selector = '%s=%s' % (RUN_LABEL, self.run_id)
        self.level = None
        self.calls = []
        self.probe_nodes = []
        self.api_pacer = Pacer(params['api_qps'])
        self.component_validate_certs, self.component_ca_path, ca_source = component_tls(params, self.configuration)
        self.meta = {
            'format': samples.FORMAT,
            'tool': 'kubemark.kubemark.kubemark_density',
            'run_id': self.run_id,
            'status': samples.RUNNING,
            'error': None,
            'errors': [],
            'started_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
            'started': time.time(),
            'namespace': self.namespace,
            # kubeconfig_content can hold credentials: it never goes into run.json.
            'parameters': dict((k, v) for k, v in params.items() if k not in ('run_id', 'kubeconfig_content')),
            'levels': [],
            'profiles': [],
            # How the scheduler's endpoint was verified; the CA path is named only when it was asked for.
            'component_tls': {
                'validate_certs': self.component_validate_certs,
                'ca_source': ca_source,
                'ca_cert': params.get('component_ca_cert') if ca_source == 'component_ca_cert' else None,
            },
        }

    # ------------------------------------------------------------------ samples
    def save(self):
        samples.write_json(os.path.join(self.dir, samples.RUN_FILE), self.meta)

    def flush_calls(self):
        calls, self.calls = self.calls, []
        samples.append_jsonl(os.path.join(self.dir, samples.API_CALLS_FILE), calls)

    def timed(self, verb, resource, scope, source, function, *args, **kwargs):
        """Call the API, time it on the monotonic clock and keep the sample; re-raise API errors."""
        if source == 'probe':
            self.api_pacer.wait()
        started = time.monotonic()
        status = 200
        try:
            result = function(*args, **kwargs)
            data = getattr(result, 'data', None)  # read the body inside the timing (raw responses)
            return data if data is not None else result
        except ApiError as error:
            status = getattr(error, 'status', 0) or 0
            raise
        finally:
            self.calls.append({'level': self.level, 'verb': verb, 'resource': resource, 'scope': scope, 'source': source,
                               'seconds': time.monotonic() - started, 'status': status, 't': time.time()})

    def raw(self, method, path, body=None, query=None, accept='application/json', timeout=120):
        return self.http.request(method, path, body=body, query=query, accept=accept, timeout=timeout)

    # ------------------------------------------------------------------ cluster
    def nodes(self):
        data = json.loads(self.raw('GET', '/api/v1/nodes').data)
        return [node_record(node) for node in data.get('items') or []]

    def preflight(self):
        try:
            version = json.loads(self.raw('GET', '/version').data)
        except Exception as error:  # pylint: disable=broad-except
            raise DensityError('cannot reach the API server with %s: %s' % (self.http.source, error))
        nodes = self.nodes()
        ready = [node for node in nodes if node['is_ready'] and node['schedulable'] and not node['name'].startswith('perf-probe-')]
        asked = self.params.get('nodes') or len(ready)
        self.meta['cluster'] = {
            'server_version': version.get('gitVersion'),
            'nodes_total': len(nodes),
            'ready_nodes': len(ready),
        }
        self.meta['parameters']['nodes'] = asked
        # Which fake nodes carry the run (the hollow_nodes role labels each with its backend); the
        # report names them, and a comparison between backends needs them.
        backends = {}
        for node in ready:
            backends[node['backend'] or 'unlabelled'] = backends.get(node['backend'] or 'unlabelled', 0) + 1
        self.meta['cluster']['backends'] = backends
        samples.append_jsonl(os.path.join(self.dir, samples.NODE_STARTUP_FILE),
                             [dict((k, n[k]) for k in ('name', 'created', 'ready')) for n in ready])
        if asked < 1 or len(ready) < asked:
            raise DensityError('the cluster has %d Ready schedulable nodes, fewer than the %d this run asks for (%d nodes in all); '
                               'wait for the hollow nodes or lower nodes' % (len(ready), asked, len(nodes)))
        self.meta['cluster']['capacity'] = asked * self.params['pods_per_node']
        self.ready_nodes = [node['name'] for node in ready]
        self.save()

    def scrape(self, label, moment):
        """Scrape both components; return the epoch time of the scrape."""
        directory = os.path.join(self.dir, samples.METRICS_DIR)
        if not os.path.isdir(directory):
            os.makedirs(directory)
        files = {}
        when = time.time()
        try:
            text = self.raw('GET', '/metrics', accept='text/plain').data.decode('utf-8')
        except Exception as error:  # pylint: disable=broad-except
            raise DensityError('cannot scrape kube-apiserver /metrics: %s' % error)
        name = '%s-%s-apiserver.prom' % (label, moment)
        write_atomic(os.path.join(directory, name), text, 0o644)
        files['apiserver'] = os.path.join(samples.METRICS_DIR, name)
        url = self.params.get('scheduler_metrics_url')
        if url:
            try:
                text = self.component_get(url).decode('utf-8')
            except Exception as error:  # pylint: disable=broad-except
                raise DensityError('cannot scrape kube-scheduler metrics at %s: %s (set scheduler_metrics_url to the '
                                   'scheduler\'s secure port, or to an empty string to skip the scheduler metrics)' % (url, error))
            name = '%s-%s-scheduler.prom' % (label, moment)
            write_atomic(os.path.join(directory, name), text, 0o644)
            files['scheduler'] = os.path.join(samples.METRICS_DIR, name)
        return when, files

    def component_get(self, url, timeout=60):
        """GET a component endpoint with the kubeconfig's credentials (client certificate or token)."""
        configuration = self.configuration
        headers = {}
        token = self.http.authorization()
        if token:
            headers['Authorization'] = token
        response = open_url(url, headers=headers, timeout=timeout, validate_certs=self.component_validate_certs,
                            ca_path=self.component_ca_path, client_cert=configuration.cert_file or None,
                            client_key=configuration.key_file or None, use_proxy=False)
        try:
            return response.read()
        finally:
            response.close()

    # ------------------------------------------------------------------ workload
    def pod_template(self, level):
        labels = {RUN_LABEL: self.run_id, LEVEL_LABEL: str(level), PERF_LABEL: 'true', 'name': 'perf-%s' % level}
        return {
            'metadata': {'labels': labels},
            'spec': {
                'terminationGracePeriodSeconds': 1,
                'automountServiceAccountToken': False,
                'enableServiceLinks': False,
                'containers': [{
                    'name': 'pause',
                    'image': self.params['pod_image'],
                    'resources': {'requests': {'cpu': self.params['pod_cpu_request'], 'memory': self.params['pod_memory_request']}},
                }],
            },
        }

    def create_controller(self, level, index, replicas):
        name = 'perf-%s-%d' % (str(level).replace('.', '-'), index)
        template = self.pod_template(level)
        selector = dict(template['metadata']['labels'])
        selector['controller'] = name
        template['metadata']['labels'] = selector
        metadata = {'name': name, 'labels': {RUN_LABEL: self.run_id, PERF_LABEL: 'true'}}
        if self.params['workload'] == 'deployment':
            body = {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': metadata,
                    'spec': {'replicas': replicas, 'selector': {'matchLabels': selector}, 'template': template}}
            path = '/apis/apps/v1/namespaces/%s/deployments' % self.namespace
            resource = 'deployments'
        else:
            body = {'apiVersion': 'v1', 'kind': 'ReplicationController', 'metadata': metadata,
                    'spec': {'replicas': replicas, 'selector': selector, 'template': template}}
            path = '/api/v1/namespaces/%s/replicationcontrollers' % self.namespace
            resource = 'replicationcontrollers'
        self.timed('POST', resource, 'resource', 'load', self.raw, 'POST', path, body)

    def fill(self, entry, already):
        """Create controllers for the pods this level adds, paced at pod_creation_qps pods per second."""
        level = entry['percent']
        added = entry['target_pods'] - already
        pacer = Pacer(self.params['pod_creation_qps'])
        index = 0
        for size in controller_sizes(added, self.params['pods_per_controller']):
            pacer.wait(size)
            self.create_controller(level, index, size)
            index += 1
        return added

    def wait_running(self, level, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            running = self.watcher.count(level)
            if running >= count:
                return running
            if not self.watcher.is_alive():
                raise DensityError('the pod watch stopped: %s' % self.watcher.error)
            time.sleep(0.5)
        running = self.watcher.count(level)
        if running < count:
            raise DensityError('load level %s %%: only %d of %d pods were running after %d s (level_timeout); the cluster '
                               'cannot start pods that fast or has too few pods slots' % (level, running, count, timeout))
        return running

    # ------------------------------------------------------------------ probes
    def probes(self, iteration):
        """One round of timed calls: POST, GET, PUT, LIST, DELETE on nodes, pods and replication controllers."""
        ns = self.namespace
        suffix = '%s-%d-%d' % (str(self.level).replace('.', '-'), iteration, random.randint(0, 99999))
        # nodes: a Node object no kubelet backs, unschedulable and tainted so nothing lands on it.
        node_name = 'perf-probe-%s-%s' % (self.run_id, suffix)
        node = {'apiVersion': 'v1', 'kind': 'Node',
                'metadata': {'name': node_name, 'labels': {RUN_LABEL: self.run_id, PERF_LABEL: 'true'}},
                'spec': {'unschedulable': True, 'taints': [{'key': PERF_LABEL, 'value': 'probe', 'effect': 'NoSchedule'}]}}
        self.probe_nodes.append(node_name)
        self.timed('POST', 'nodes', 'resource', 'probe', self.raw, 'POST', '/api/v1/nodes', node)
        target = random.choice(self.ready_nodes)
        current = json.loads(self.timed('GET', 'nodes', 'resource', 'probe', self.raw, 'GET', '/api/v1/nodes/%s' % target))
        current['metadata'].setdefault('annotations', {})[PROBE_ANNOTATION] = suffix
        self._put('nodes', '/api/v1/nodes/%s' % target, current)
        self.timed('LIST', 'nodes', 'cluster', 'probe', self.raw, 'GET', '/api/v1/nodes')
        self.timed('DELETE', 'nodes', 'resource', 'probe', self.raw, 'DELETE', '/api/v1/nodes/%s' % node_name)
        self.probe_nodes.remove(node_name)
        # pods: held by a scheduling gate, so the scheduler never places them and the load stays the level's.
        pod_name = 'perf-probe-%s' % suffix
        pod = {'apiVersion': 'v1', 'kind': 'Pod',
               'metadata': {'name': pod_name, 'labels': {PERF_LABEL: 'true', 'probe': 'true'}},
               'spec': {'schedulingGates': [{'name': 'kubemark.io/perf-probe'}], 'terminationGracePeriodSeconds': 0,
                        'automountServiceAccountToken': False,
                        'containers': [{'name': 'pause', 'image': self.params['pod_image']}]}}
        self.timed('POST', 'pods', 'resource', 'probe', self.raw, 'POST', '/api/v1/namespaces/%s/pods' % ns, pod)
        current = json.loads(self.timed('GET', 'pods', 'resource', 'probe', self.raw, 'GET', '/api/v1/namespaces/%s/pods/%s' % (ns, pod_name)))
        current['metadata'].setdefault('labels', {})['probe-round'] = str(iteration)
        self._put('pods', '/api/v1/namespaces/%s/pods/%s' % (ns, pod_name), current)
        self.timed('LIST', 'pods', 'namespace', 'probe', self.raw, 'GET', '/api/v1/namespaces/%s/pods' % ns)
        self.timed('DELETE', 'pods', 'resource', 'probe', self.raw, 'DELETE', '/api/v1/namespaces/%s/pods/%s' % (ns, pod_name),
                   {'gracePeriodSeconds': 0})
        # replication controllers with no replicas.
        rc_name = 'perf-probe-%s' % suffix
        rc = {'apiVersion': 'v1', 'kind': 'ReplicationController',
              'metadata': {'name': rc_name, 'labels': {PERF_LABEL: 'true', 'probe': 'true'}},
              'spec': {'replicas': 0, 'selector': {'probe-rc': rc_name},
                       'template': {'metadata': {'labels': {'probe-rc': rc_name}},
                                    'spec': {'containers': [{'name': 'pause', 'image': self.params['pod_image']}]}}}}
        self.timed('POST', 'replicationcontrollers', 'resource', 'probe', self.raw, 'POST', '/api/v1/namespaces/%s/replicationcontrollers' % ns, rc)
        path = '/api/v1/namespaces/%s/replicationcontrollers/%s' % (ns, rc_name)
        current = json.loads(self.timed('GET', 'replicationcontrollers', 'resource', 'probe', self.raw, 'GET', path))
        current['metadata'].setdefault('labels', {})['probe-round'] = str(iteration)
        self._put('replicationcontrollers', path, current)
        self.timed('LIST', 'replicationcontrollers', 'namespace', 'probe', self.raw, 'GET', '/api/v1/namespaces/%s/replicationcontrollers' % ns)
        self.timed('DELETE', 'replicationcontrollers', 'resource', 'probe', self.raw, 'DELETE', path)

    def _put(self, resource, path, body):
        """PUT, once more on a conflict (a kubelet or controller wrote the object in between)."""
        try:
            self.timed('PUT', resource, 'resource', 'probe', self.raw, 'PUT', path, body)
        except ApiError as error:
            if getattr(error, 'status', 0) != 409:
                raise
            current = json.loads(self.raw('GET', path).data)
            current['metadata']['annotations'] = body['metadata'].get('annotations')
            current['metadata']['labels'] = body['metadata'].get('labels')
            self.timed('PUT', resource, 'resource', 'probe', self.raw, 'PUT', path, current)

    # ------------------------------------------------------------------ profiles
    def profile(self, seconds):
        """Start CPU profiles of kube-apiserver and kube-scheduler in threads; return them to join."""
        directory = os.path.join(self.dir, samples.PROFILES_DIR)
        if not os.path.isdir(directory):
            os.makedirs(directory)
        threads = []

        def fetch(name, getter):
            try:
                data = getter()
                path = os.path.join(directory, name)
                with open(path, 'wb') as handle:
                    handle.write(data)
                self.meta['profiles'].append(os.path.join(samples.PROFILES_DIR, name))
            except Exception as error:  # pylint: disable=broad-except
                self.meta['errors'].append('profile %s failed: %s' % (name, error))

        def apiserver_cpu():
            return self.raw('GET', '/debug/pprof/profile', query=[('seconds', seconds)], accept='*/*', timeout=seconds + 60).data

        threads.append(threading.Thread(target=fetch, args=('apiserver-cpu.pprof', apiserver_cpu)))
        base = self.scheduler_base()
        if base:
            threads.append(threading.Thread(target=fetch, args=(
                'scheduler-cpu.pprof', lambda: self.component_get('%s/debug/pprof/profile?seconds=%d' % (base, seconds), seconds + 60))))
        for thread in threads:
            thread.daemon = True
            thread.start()
        return threads

    def heap_profiles(self):
        directory = os.path.join(self.dir, samples.PROFILES_DIR)
        jobs = [('apiserver-heap.pprof', lambda: self.raw('GET', '/debug/pprof/heap', accept='*/*').data)]
        base = self.scheduler_base()
        if base:
            jobs.append(('scheduler-heap.pprof', lambda: self.component_get('%s/debug/pprof/heap' % base)))
        for name, getter in jobs:
            try:
                with open(os.path.join(directory, name), 'wb') as handle:
                    handle.write(getter())
                self.meta['profiles'].append(os.path.join(samples.PROFILES_DIR, name))
            except Exception as error:  # pylint: disable=broad-except
                self.meta['errors'].append('profile %s failed: %s' % (name, error))

    def scheduler_base(self):
        url = self.params.get('scheduler_metrics_url')
        if not url:
            return None
        return url[:-len('/metrics')] if url.endswith('/metrics') else url.rstrip('/')

    # ------------------------------------------------------------------ cleanup
    def cleanup(self, leftovers=False):
        """Delete the run's namespace (or, with leftovers, every namespace and probe node of earlier runs)."""
        selector = '%s=true' % PERF_LABEL if leftovers else self.selector
        data = json.loads(self.raw('GET', '/api/v1/namespaces', query=[('labelSelector', selector)]).data)
        names = [item['metadata']['name'] for item in data.get('items') or []]
        for name in names:
            try:
                self.raw('DELETE', '/api/v1/namespaces/%s' % name, {'propagationPolicy': 'Background'})
            except ApiError as error:
                if getattr(error, 'status', 0) != 404:
                    raise
        nodes = json.loads(self.raw('GET', '/api/v1/nodes', query=[('labelSelector', selector)]).data)
        for item in nodes.get('items') or []:
            try:
                self.raw('DELETE', '/api/v1/nodes/%s' % item['metadata']['name'])
            except ApiError as error:
                if getattr(error, 'status', 0) != 404:
                    raise
        deadline = time.monotonic() + self.params['cleanup_timeout']
        while names and time.monotonic() < deadline:
            data = json.loads(self.raw('GET', '/api/v1/namespaces', query=[('labelSelector', selector)]).data)
            names = [item['metadata']['name'] for item in data.get('items') or []]
            if names:
                time.sleep(1)
        if names:
            raise DensityError('namespaces %s were not deleted within %d s (cleanup_timeout)' % (', '.join(names), self.params['cleanup_timeout']))
        return len(nodes.get('items') or [])

    # ------------------------------------------------------------------ the run
    def run(self):
        """Run the test; returns the run metadata. Raises DensityError after saving partial results."""
        self.watcher = None
        try:
            self._run()
            self.meta['status'] = samples.COMPLETE
        except Exception as error:
            self.meta['status'] = samples.INCOMPLETE
            self.meta['error'] = str(error) if isinstance(error, DensityError) else '%s: %s' % (type(error).__name__, error)
            if not isinstance(error, DensityError):
                self.meta['traceback'] = traceback.format_exc()
            raise DensityError(self.meta['error'])
        finally:
            self._finish()
        return self.meta

    def _finish(self):
        if self.watcher is not None:
            self.watcher.stop()
        try:
            self.flush_calls()
        except Exception as error:  # pylint: disable=broad-except
            self.meta['errors'].append('saving API call samples failed: %s' % error)
        if self.params['cleanup']:
            try:
                self.meta['cleanup_started'] = time.time()
                self.cleanup()
                self.meta['cleanup_seconds'] = time.time() - self.meta['cleanup_started']
            except Exception as error:  # pylint: disable=broad-except
                self.meta['errors'].append('cleanup failed: %s' % error)
        self.meta['finished'] = time.time()
        self.meta['finished_at'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        self.meta['duration_seconds'] = self.meta['finished'] - self.meta['started']
        self.save()

    def _run(self):
        levels = plan(1, 1, self.params['load_levels'])  # validates before touching the cluster
        self.save()
        self.preflight()
        levels = plan(self.meta['parameters']['nodes'], self.params['pods_per_node'], self.params['load_levels'])
        self.log('cluster: %s' % self.meta['cluster'])
        if self.params['cleanup']:
            removed = self.cleanup(leftovers=True)
            if removed:
                self.log('removed %d probe nodes of earlier runs' % removed)
        self.raw('POST', '/api/v1/namespaces', {'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {
            'name': self.namespace, 'labels': {RUN_LABEL: self.run_id, PERF_LABEL: 'true'}}})
        self.watcher = PodWatcher(self.http, self.namespace, self.selector, self.log)
        self.watcher.start()
        already = 0
        busiest = levels[-1]['percent']
        for entry in levels:
            level = entry['percent']
            self.level = level
            record = dict(entry, started=None, filled=None, finished=None, complete=False, metrics={})
            self.meta['levels'].append(record)
            record['metrics_before_time'], record['metrics']['before'] = self.scrape('%03d' % int(level), 'before')
            self.save()
            record['started'] = time.time()
            profile_threads = []
            if self.params['profiles'] and level == busiest:
                profile_threads = self.profile(self.params['profile_seconds'])
            record['pods_added'] = self.fill(entry, already)
            self.flush_calls()
            record['pods_running'] = self.wait_running(level, record['pods_added'], self.params['level_timeout'])
            record['filled'] = time.time()
            samples.append_jsonl(os.path.join(self.dir, samples.POD_STARTUP_FILE), self.watcher.take(level))
            for iteration in range(self.params['api_probes']):
                self.probes(iteration)
            self.flush_calls()
            for thread in profile_threads:
                thread.join(self.params['profile_seconds'] + 90)
            if profile_threads:
                self.heap_profiles()
            record['metrics_after_time'], record['metrics']['after'] = self.scrape('%03d' % int(level), 'after')
            record['finished'] = time.time()
            record['complete'] = True
            already = entry['target_pods']
            self.save()
            self.log('level %s%%: %d pods running, %.1f s' % (level, self.watcher.count(), record['finished'] - record['started']))
