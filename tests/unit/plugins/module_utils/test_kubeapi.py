# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The standard-library API client against a small local HTTP server playing the API server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.kubeapi import KubeApiError, KubeClient, KubeconfigError

GOOD_TOKEN = 'good-token'


class FakeApiServer(BaseHTTPRequestHandler):
    """Knows one token; serves SelfSubjectReview v1 unless 'no_v1', and /api/v1/nodes."""

    no_v1 = False
    nodes = []
    seen = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self):
        FakeApiServer.seen.append((self.command, self.path, self.headers.get('Authorization')))
        if self.headers.get('Authorization') != 'Bearer ' + GOOD_TOKEN:
            self._answer(401, {'kind': 'Status', 'code': 401, 'reason': 'Unauthorized'})
            return False
        return True

    def do_POST(self):  # noqa: N802 (http.server's naming)
        if not self._authorized():
            return
        length = int(self.headers.get('Content-Length') or 0)
        body = json.loads(self.rfile.read(length) or b'{}')
        if self.path.startswith('/apis/authentication.k8s.io/v1/') and self.no_v1:
            self._answer(404, {'kind': 'Status', 'code': 404})
            return
        assert body['kind'] == 'SelfSubjectReview'
        self._answer(201, dict(body, status={'userInfo': {'username': 'kubelet', 'groups': ['system:nodes', 'system:authenticated']}}))

    def do_GET(self):  # noqa: N802
        if not self._authorized():
            return
        if self.path.startswith('/api/v1/nodes'):
            self._answer(200, {'kind': 'NodeList', 'items': self.nodes})
        else:
            self._answer(200, {'kind': 'APIVersions', 'versions': ['v1']})


@pytest.fixture
def api_server():
    FakeApiServer.no_v1 = False
    FakeApiServer.nodes = []
    FakeApiServer.seen = []
    server = ThreadingHTTPServer(('127.0.0.1', 0), FakeApiServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def kubeconfig(server, token=GOOD_TOKEN, user='kubelet'):
    return {
        'apiVersion': 'v1', 'kind': 'Config', 'current-context': 'ctx',
        'clusters': [{'name': 'kubemark', 'cluster': {'server': server}}],
        'users': [{'name': user, 'user': {'token': token}}],
        'contexts': [{'name': 'ctx', 'context': {'cluster': 'kubemark', 'user': user}}],
    }


def test_whoami_with_a_known_token(api_server):
    client = KubeClient(kubeconfig(api_server))
    assert client.whoami() == ('selfsubjectreview/v1', 'kubelet', ['system:nodes', 'system:authenticated'])
    assert FakeApiServer.seen[0] == ('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'Bearer good-token')


def test_whoami_falls_back_to_v1beta1(api_server):
    FakeApiServer.no_v1 = True
    assert KubeClient(kubeconfig(api_server)).whoami()[0] == 'selfsubjectreview/v1beta1'


def test_unknown_token_is_401(api_server):
    with pytest.raises(KubeApiError) as error:
        KubeClient(kubeconfig(api_server, token='foreign')).whoami()
    assert error.value.status == 401


def test_unreachable_server_is_status_0():
    with pytest.raises(KubeApiError) as error:
        KubeClient(kubeconfig('http://127.0.0.1:9'), timeout=2).list_nodes()
    assert error.value.status == 0


def test_list_nodes_sends_the_selector(api_server):
    FakeApiServer.nodes = [{'metadata': {'name': 'n1'}}]
    assert KubeClient(kubeconfig(api_server)).list_nodes('hollow-node=true') == [{'metadata': {'name': 'n1'}}]
    assert FakeApiServer.seen[-1][1] == '/api/v1/nodes?labelSelector=hollow-node%3Dtrue'


@pytest.mark.parametrize('mutate, message', [
    (lambda config: config.pop('current-context'), 'no current-context'),
    (lambda config: config['contexts'][0]['context'].update(cluster='other'), "no cluster named 'other'"),
    (lambda config: config['clusters'][0]['cluster'].pop('server'), 'has no server'),
    (lambda config: config['users'][0]['user'].update(exec={'command': 'x'}), 'not supported'),
])
def test_bad_kubeconfigs(mutate, message):
    config = kubeconfig('https://127.0.0.1:6443')
    mutate(config)
    with pytest.raises(KubeconfigError, match=message):
        KubeClient(config)


def test_not_a_mapping():
    with pytest.raises(KubeconfigError):
        KubeClient('just text')
