# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A real Kubernetes cluster of plain processes on 127.0.0.1, for the perf suite's tests.

etcd, kube-apiserver, kube-controller-manager, kube-scheduler and N hollow kubelets
(kubemark --morph=kubelet, in-process fake runtime) run from the binaries the image role
built for VERSION (its artifacts manifest), all state in one temporary directory. The PKI is made by
the collection's own module_utils/pki.py; hollow kubelets authenticate with per-node tokens
(system:node:NAME, group system:nodes) from a token file, the admin, controller-manager and
scheduler with client certificates. kube-controller-manager and kube-scheduler serve certificates
from the cluster CA, so the perf suite verifies the scheduler's metrics endpoint as on a real master.

Ports (127.0.0.1 only, so tests of other parts of the project are not disturbed): etcd
23379/23380, kube-apiserver 23443, kube-controller-manager 23257, kube-scheduler 23259, hollow
kubelets 23100 + i (their read-only port is off). The one port that cannot be moved is the hollow
kubelets' healthz port 10248 (kubemark has no flag for it): the first hollow kubelet may bind it,
the others log that it is taken, which changes nothing else.

Run as a script, it starts a cluster and waits (python cluster.py --nodes 10), for manual tests.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request


def _default_version():
    """kubemark_kubernetes_version of the settings role: the version every test stage builds."""
    import yaml  # pylint: disable=import-outside-toplevel
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'roles', 'kubemark', 'defaults',
                           'main.yml')) as handle:
        return yaml.safe_load(handle)['kubemark_kubernetes_version']


VERSION = os.environ.get('KUBEMARK_PERF_K8S_VERSION') or _default_version()
# The image role's artifacts manifest of VERSION names every binary it built (etcd has its own
# cache); KUBEMARK_PERF_BIN_DIR, a directory holding them all, replaces it.
BIN_DIR = os.environ.get('KUBEMARK_PERF_BIN_DIR', '')
ARTIFACTS_MANIFEST = os.path.expanduser('~/.cache/kubemark/kubernetes/%s/artifacts.json' % VERSION)


def binary(name):
    """Path of a built binary: in KUBEMARK_PERF_BIN_DIR, else where the artifacts manifest says ('' if nowhere)."""
    if BIN_DIR:
        return os.path.join(BIN_DIR, name)
    try:
        with open(ARTIFACTS_MANIFEST) as handle:
            return json.load(handle).get('binaries', {}).get(name, '')
    except (OSError, ValueError):
        return ''


HOST = '127.0.0.1'
ETCD_CLIENT_PORT = 23379
ETCD_PEER_PORT = 23380
APISERVER_PORT = 23443
CONTROLLER_MANAGER_PORT = 23257
SCHEDULER_PORT = 23259
KUBELET_PORT_BASE = 23100
MAX_NODES = 100
BINARIES = ('etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubemark')


def _repo_root():
    return os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def _import_pki():
    """module_utils/pki.py of this checkout (or of the collection copy the tests run from)."""
    try:
        from ansible_collections.kubemark.kubemark.plugins.module_utils import pki
    except ImportError:
        # Run as a script from a checkout: pki.py imports other module_utils of the collection, so
        # the checkout becomes importable under its collection name through a link in a scratch
        # directory.
        root = tempfile.mkdtemp(prefix='kubemark-collection-')
        atexit.register(shutil.rmtree, root, True)
        os.makedirs(os.path.join(root, 'ansible_collections', 'kubemark'))
        os.symlink(_repo_root(), os.path.join(root, 'ansible_collections', 'kubemark', 'kubemark'))
        sys.path.insert(0, root)
        from ansible_collections.kubemark.kubemark.plugins.module_utils import pki
    return pki


class ClusterError(Exception):
    pass


def port_free(port):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Go servers set SO_REUSEADDR too: a port in TIME_WAIT from a previous run is free for them.
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        probe.close()


INOTIFY_PER_HOLLOW_NODE = 2  # measured on v1.33 hollow kubelets


def inotify_instances():
    """(fs.inotify.max_user_instances, instances open by this user now); (None, 0) when unknown."""
    try:
        with open('/proc/sys/fs/inotify/max_user_instances') as handle:
            limit = int(handle.read())
    except (OSError, ValueError):
        return None, 0
    used = 0
    uid = os.getuid()
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            if os.stat('/proc/' + pid).st_uid != uid:
                continue
            for fd in os.listdir('/proc/%s/fd' % pid):
                try:
                    if os.readlink('/proc/%s/fd/%s' % (pid, fd)) == 'anon_inode:inotify':
                        used += 1
                except OSError:
                    pass
        except OSError:
            pass
    return limit, used


def _kubeconfig(path, server, ca, cert=None, key=None, token=None, user='user'):
    credentials = []
    if cert:
        credentials += ['    client-certificate: %s' % cert, '    client-key: %s' % key]
    if token:
        credentials += ['    token: %s' % token]
    text = '\n'.join([
        'apiVersion: v1', 'kind: Config',
        'clusters:', '- name: perf', '  cluster:', '    server: %s' % server, '    certificate-authority: %s' % ca,
        'users:', '- name: %s' % user, '  user:'] + credentials + [
        'contexts:', '- name: perf', '  context:', '    cluster: perf', '    user: %s' % user,
        'current-context: perf', ''])
    with open(path, 'w') as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path


class ProcessCluster(object):
    """start() brings the cluster up and waits for N Ready nodes; stop() kills every process and removes the directory."""

    def __init__(self, nodes, workdir=None, keep=False, log=None):
        if nodes > MAX_NODES:
            raise ClusterError('at most %d hollow nodes (ports %d-%d)' % (MAX_NODES, KUBELET_PORT_BASE, KUBELET_PORT_BASE + MAX_NODES - 1))
        self.nodes = nodes
        self.dir = workdir or tempfile.mkdtemp(prefix='kubemark-perf-cluster-')
        if not os.path.isdir(self.dir):
            os.makedirs(self.dir)
        self.keep = keep
        self.log = log or (lambda message: sys.stderr.write(message + '\n'))
        self.processes = {}
        self.server = 'https://%s:%d' % (HOST, APISERVER_PORT)
        self.scheduler_metrics_url = 'https://%s:%d/metrics' % (HOST, SCHEDULER_PORT)
        self.node_names = ['hollow-node-%d' % i for i in range(nodes)]

    # ---------------------------------------------------------------- setup
    def check(self):
        missing = [name for name in BINARIES if not os.access(binary(name), os.X_OK)]
        if missing:
            raise ClusterError('binaries missing from %s: %s (the image role builds and caches them)'
                               % (BIN_DIR or ARTIFACTS_MANIFEST, ', '.join(missing)))
        ports = [ETCD_CLIENT_PORT, ETCD_PEER_PORT, APISERVER_PORT, CONTROLLER_MANAGER_PORT, SCHEDULER_PORT]
        ports += [KUBELET_PORT_BASE + i for i in range(self.nodes)]
        busy = [port for port in ports if not port_free(port)]
        if busy:
            raise ClusterError('ports in use on %s: %s (another perf test cluster running?)' % (HOST, busy))
        limit, used = inotify_instances()
        needed = INOTIFY_PER_HOLLOW_NODE * self.nodes + 8
        if limit is not None and used + needed > limit:
            raise ClusterError('%d hollow kubelets need about %d inotify instances, %d of fs.inotify.max_user_instances=%d are in use: '
                               'raise it first, e.g. sysctl -w fs.inotify.max_user_instances=1024 (upstream kubemark sets 1000)'
                               % (self.nodes, needed, used, limit))

    def pki(self):
        pki = _import_pki()
        path = os.path.join(self.dir, 'pki')
        cas, leaves = pki.cluster_specs(['127.0.0.1', 'localhost', '10.96.0.1', 'kubernetes', 'kubernetes.default'],
                                        ['127.0.0.1', 'localhost'], [], ['127.0.0.1', 'localhost'])
        pki.apply(pki.plan(path, cas, leaves))
        self.pki_dir = path
        self.ca = os.path.join(path, 'ca.crt')
        tokens = []
        self.node_tokens = {}
        for index, name in enumerate(self.node_names):
            token = 'perf%04d%s' % (index, os.urandom(12).hex())
            self.node_tokens[name] = token
            tokens.append('%s,system:node:%s,uid-%s,system:nodes' % (token, name, name))
        self.token_file = os.path.join(path, 'tokens.csv')
        with open(self.token_file, 'w') as handle:
            handle.write('\n'.join(tokens) + '\n')
        os.chmod(self.token_file, 0o600)
        self.admin_kubeconfig = _kubeconfig(os.path.join(self.dir, 'admin.kubeconfig'), self.server, self.ca,
                                            os.path.join(path, 'admin.crt'), os.path.join(path, 'admin.key'), user='admin')
        self.cm_kubeconfig = _kubeconfig(os.path.join(self.dir, 'controller-manager.kubeconfig'), self.server, self.ca,
                                         os.path.join(path, 'kube-controller-manager.crt'), os.path.join(path, 'kube-controller-manager.key'))
        self.scheduler_kubeconfig = _kubeconfig(os.path.join(self.dir, 'scheduler.kubeconfig'), self.server, self.ca,
                                                os.path.join(path, 'kube-scheduler.crt'), os.path.join(path, 'kube-scheduler.key'))

    def spawn(self, name, argv, env=None):
        logs = os.path.join(self.dir, 'logs')
        if not os.path.isdir(logs):
            os.makedirs(logs)
        handle = open(os.path.join(logs, name + '.log'), 'w')
        process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, **(env or {})), start_new_session=True)
        handle.close()
        self.processes[name] = process
        return process

    def log_tail(self, name, lines=30):
        path = os.path.join(self.dir, 'logs', name + '.log')
        if not os.path.exists(path):
            return ''
        with open(path, errors='replace') as handle:
            return ''.join(handle.readlines()[-lines:])

    def wait(self, what, condition, timeout, processes=()):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in processes:
                if self.processes[name].poll() is not None:
                    raise ClusterError('%s exited with %s while waiting for %s:\n%s' % (
                        name, self.processes[name].returncode, what, self.log_tail(name)))
            try:
                if condition():
                    return
            except Exception:  # pylint: disable=broad-except
                pass
            time.sleep(0.5)
        raise ClusterError('timed out after %d s waiting for %s:\n%s' % (
            timeout, what, '\n'.join(self.log_tail(name, 15) for name in processes)))

    def admin_get(self, path):
        context = ssl.create_default_context(cafile=self.ca)
        context.load_cert_chain(os.path.join(self.pki_dir, 'admin.crt'), os.path.join(self.pki_dir, 'admin.key'))
        with urllib.request.urlopen(self.server + path, context=context, timeout=10) as response:
            return response.read()

    def ready_nodes(self):
        data = json.loads(self.admin_get('/api/v1/nodes'))
        ready = 0
        for node in data.get('items') or []:
            # Ready, and the node lifecycle controller has removed the not-ready taint: schedulable.
            if any(t.get('effect') in ('NoSchedule', 'NoExecute') for t in node['spec'].get('taints') or []):
                continue
            for condition in node['status'].get('conditions') or []:
                if condition['type'] == 'Ready' and condition['status'] == 'True':
                    ready += 1
        return ready

    def start(self, node_timeout=300):
        self.check()
        started = time.monotonic()
        self.pki()
        pki = self.pki_dir
        self.spawn('etcd', [
            binary('etcd'), '--name', 'perf', '--data-dir', os.path.join(self.dir, 'etcd'),
            '--listen-client-urls', 'http://%s:%d' % (HOST, ETCD_CLIENT_PORT),
            '--advertise-client-urls', 'http://%s:%d' % (HOST, ETCD_CLIENT_PORT),
            '--listen-peer-urls', 'http://%s:%d' % (HOST, ETCD_PEER_PORT),
            '--initial-advertise-peer-urls', 'http://%s:%d' % (HOST, ETCD_PEER_PORT),
            '--initial-cluster', 'perf=http://%s:%d' % (HOST, ETCD_PEER_PORT),
            '--quota-backend-bytes', str(4 * 1024 ** 3), '--log-level', 'warn'])
        self.wait('etcd', lambda: urllib.request.urlopen('http://%s:%d/health' % (HOST, ETCD_CLIENT_PORT), timeout=2).status == 200,
                  60, ['etcd'])
        self.spawn('kube-apiserver', [
            binary('kube-apiserver'),
            '--etcd-servers', 'http://%s:%d' % (HOST, ETCD_CLIENT_PORT),
            '--bind-address', HOST, '--advertise-address', HOST, '--secure-port', str(APISERVER_PORT),
            '--tls-cert-file', os.path.join(pki, 'apiserver.crt'), '--tls-private-key-file', os.path.join(pki, 'apiserver.key'),
            '--client-ca-file', self.ca, '--token-auth-file', self.token_file,
            '--kubelet-client-certificate', os.path.join(pki, 'apiserver-kubelet-client.crt'),
            '--kubelet-client-key', os.path.join(pki, 'apiserver-kubelet-client.key'),
            '--service-account-key-file', os.path.join(pki, 'sa.pub'),
            '--service-account-signing-key-file', os.path.join(pki, 'sa.key'),
            '--service-account-issuer', 'https://kubernetes.default.svc',
            '--requestheader-client-ca-file', os.path.join(pki, 'front-proxy-ca.crt'),
            '--requestheader-allowed-names', 'front-proxy-client',
            '--requestheader-username-headers', 'X-Remote-User', '--requestheader-group-headers', 'X-Remote-Group',
            '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
            '--proxy-client-cert-file', os.path.join(pki, 'front-proxy-client.crt'),
            '--proxy-client-key-file', os.path.join(pki, 'front-proxy-client.key'),
            '--service-cluster-ip-range', '10.96.0.0/16', '--authorization-mode', 'Node,RBAC',
            '--enable-admission-plugins', 'NodeRestriction', '--endpoint-reconciler-type', 'none',
            '--max-requests-inflight', '800', '--max-mutating-requests-inflight', '400', '--v', '1'])
        self.wait('kube-apiserver /readyz', lambda: self.admin_get('/readyz') == b'ok', 120, ['etcd', 'kube-apiserver'])
        self.spawn('kube-controller-manager', [
            binary('kube-controller-manager'), '--kubeconfig', self.cm_kubeconfig,
            '--authentication-kubeconfig', self.cm_kubeconfig, '--authorization-kubeconfig', self.cm_kubeconfig,
            '--bind-address', HOST, '--secure-port', str(CONTROLLER_MANAGER_PORT), '--leader-elect=false',
            '--service-account-private-key-file', os.path.join(pki, 'sa.key'), '--root-ca-file', self.ca,
            '--use-service-account-credentials=true', '--kube-api-qps', '200', '--kube-api-burst', '400',
            '--concurrent-deployment-syncs', '10', '--concurrent-replicaset-syncs', '10', '--concurrent-rc-syncs', '10',
            '--tls-cert-file', os.path.join(pki, 'kube-controller-manager-serving.crt'),
            '--tls-private-key-file', os.path.join(pki, 'kube-controller-manager-serving.key'), '--v', '1'])
        self.spawn('kube-scheduler', [
            binary('kube-scheduler'), '--kubeconfig', self.scheduler_kubeconfig,
            '--authentication-kubeconfig', self.scheduler_kubeconfig, '--authorization-kubeconfig', self.scheduler_kubeconfig,
            '--bind-address', HOST, '--secure-port', str(SCHEDULER_PORT), '--leader-elect=false',
            '--tls-cert-file', os.path.join(pki, 'kube-scheduler-serving.crt'),
            '--tls-private-key-file', os.path.join(pki, 'kube-scheduler-serving.key'), '--v', '1'])
        for index, name in enumerate(self.node_names):
            root = os.path.join(self.dir, 'nodes', name)
            os.makedirs(root)
            kubeconfig = _kubeconfig(os.path.join(root, 'kubeconfig'), self.server, self.ca, token=self.node_tokens[name], user=name)
            self.spawn(name, [
                binary('kubemark'), '--morph=kubelet', '--name', name, '--kubeconfig', kubeconfig,
                '--kubelet-port', str(KUBELET_PORT_BASE + index), '--kubelet-read-only-port', '0',
                '--use-host-image-service=false', '--max-pods', '110', '--v', '0'], env={'TMPDIR': root})
        self.wait('%d Ready hollow nodes' % self.nodes, lambda: self.ready_nodes() >= self.nodes, node_timeout,
                  ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
        self.startup_seconds = time.monotonic() - started
        self.log('cluster of %d hollow nodes up in %.1f s (%s)' % (self.nodes, self.startup_seconds, self.dir))
        return self

    def stop(self):
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except OSError:
                    pass
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
                process.wait(10)
        self.processes = {}
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def playbook_vars(perf_cluster, results_dir, **overrides):
    """Variables of playbooks/perf.yml for a small run against this cluster."""
    values = {
        'perf_kubeconfig': perf_cluster.admin_kubeconfig,
        'perf_results_dir': str(results_dir),
        'perf_nodes': perf_cluster.nodes,
        'perf_pods_per_node': 5,
        'perf_load_levels': [10, 50, 100],
        'perf_pods_per_controller': 5,
        'perf_pod_creation_qps': 20,
        'perf_api_qps': 40,
        'perf_api_probes': 7,
        'perf_level_timeout': 180,
        'perf_scheduler_metrics_url': perf_cluster.scheduler_metrics_url,
        'perf_profiles': True,
        'perf_profile_seconds': 3,
        'perf_cleanup_timeout': 180,
        'perf_fail_on_slo': False,
        # clusterloader2 reads the master over SSH and e2e.test needs a cluster of real nodes:
        # neither applies to a cluster of processes (the e2e stage runs both on machines).
        'perf_clusterloader2_enabled': False,
        'perf_e2e_enabled': False,
    }
    values.update(overrides)
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--nodes', type=int, default=5)
    parser.add_argument('--dir', help='working directory (kept); a new temporary one (removed) by default')
    parser.add_argument('--ready-file', help='write the cluster facts (JSON) here once all nodes are Ready')
    parser.add_argument('--node-timeout', type=int, default=600)
    args = parser.parse_args()
    instance = ProcessCluster(args.nodes, workdir=args.dir, keep=bool(args.dir))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        instance.start(node_timeout=args.node_timeout)
        facts = {'kubeconfig': instance.admin_kubeconfig, 'scheduler_metrics_url': instance.scheduler_metrics_url,
                 'nodes': instance.nodes, 'startup_seconds': instance.startup_seconds, 'dir': instance.dir}
        print(json.dumps(facts), flush=True)
        if args.ready_file:
            with open(args.ready_file + '.tmp', 'w') as handle:
                json.dump(facts, handle)
            os.rename(args.ready_file + '.tmp', args.ready_file)
        while True:
            time.sleep(3600)
    except ClusterError as error:
        sys.stderr.write('cluster: %s\n' % error)
        return 1
    finally:
        instance.stop()


if __name__ == '__main__':
    sys.exit(main())
