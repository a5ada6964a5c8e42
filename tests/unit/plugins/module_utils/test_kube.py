# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's API client against a small local HTTP server playing the API server."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import yaml
from kubernetes.config.config_exception import ConfigException

from ansible_collections.kubemark.kubemark.plugins.module_utils import _kube

GOOD_TOKEN = 'good-token'


class FakeApiServer(BaseHTTPRequestHandler):
    """Knows one token; serves SelfSubjectReview v1 unless 'no_v1', and /api/v1/nodes.

    It also answers requests sent to it as an HTTP proxy (absolute URLs), recording their host.
    """

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
        url = urlsplit(self.path)
        self.path = url.path + ('?' + url.query if url.query else '')
        FakeApiServer.seen.append((self.command, self.path, self.headers.get('Authorization'), url.netloc))
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


def client(config, **kwargs):
    return _kube.load(content=yaml.safe_dump(config), **kwargs)


def test_whoami_with_a_known_token(api_server):
    api = client(kubeconfig(api_server))
    assert api.whoami() == ('selfsubjectreview/v1', 'kubelet', ['system:nodes', 'system:authenticated'])
    assert FakeApiServer.seen[0][:3] == ('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'Bearer good-token')
    assert (api.server, api.user) == (api_server, 'kubelet')


def test_whoami_falls_back_to_v1beta1(api_server):
    FakeApiServer.no_v1 = True
    assert client(kubeconfig(api_server)).whoami()[0] == 'selfsubjectreview/v1beta1'


def test_unknown_token_is_401_with_the_answer(api_server):
    with pytest.raises(_kube.ApiError) as error:
        client(kubeconfig(api_server, token='foreign')).whoami()
    assert error.value.status == 401
    assert 'HTTP 401 Unauthorized' in str(error.value) and '"reason": "Unauthorized"' in str(error.value)


def test_unreachable_server_is_status_0():
    with pytest.raises(_kube.ApiError) as error:
        client(kubeconfig('http://127.0.0.1:9'), timeout=2).list_nodes()
    assert error.value.status == 0
    assert str(error.value).startswith('GET /api/v1/nodes: ')


def test_list_nodes_sends_the_selector(api_server):
    FakeApiServer.nodes = [{'metadata': {'name': 'n1'}}]
    assert client(kubeconfig(api_server)).list_nodes('hollow-node=true') == [{'metadata': {'name': 'n1'}}]
    assert FakeApiServer.seen[-1][1] == '/api/v1/nodes?labelSelector=hollow-node%3Dtrue'


def test_query_pairs_keep_their_order_and_are_quoted(api_server):
    response = client(kubeconfig(api_server)).request('GET', '/api/v1/nodes', query=[('watch', 'true'), ('labelSelector', 'a in (x,y)')],
                                                      accept='application/json;stream=watch', timeout=(5, 5), stream=True)
    assert json.loads(b''.join(response.stream(1024)))['kind'] == 'NodeList'
    response.release_conn()
    assert FakeApiServer.seen[-1][1] == '/api/v1/nodes?watch=true&labelSelector=a%20in%20%28x%2Cy%29'


def test_a_kubeconfig_file_and_a_chosen_context(api_server, tmp_path):
    config = kubeconfig(api_server, token='foreign', user='stranger')
    config['users'].append({'name': 'kubelet', 'user': {'token': GOOD_TOKEN}})
    config['contexts'].append({'name': 'hollow', 'context': {'cluster': 'kubemark', 'user': 'kubelet'}})
    path = tmp_path / 'config'
    path.write_text(yaml.safe_dump(config))

    assert _kube.load(path=str(path)).user == 'stranger'
    api = _kube.load(path=str(path), context='hollow')
    assert api.user == 'kubelet' and api.whoami()[1] == 'kubelet'


def test_exec_plugin_credentials(api_server):
    # kubectl's exec credential plugins: the kubernetes package runs the command for a token.
    credential = {'apiVersion': 'client.authentication.k8s.io/v1beta1', 'kind': 'ExecCredential',
                  'status': {'token': GOOD_TOKEN}}
    config = kubeconfig(api_server)
    config['users'][0]['user'] = {'exec': {'apiVersion': 'client.authentication.k8s.io/v1beta1', 'command': sys.executable,
                                           'args': ['-c', 'print(%r)' % json.dumps(credential)]}}
    assert client(config).whoami()[1] == 'kubelet'


def test_the_proxy_url_of_the_kubeconfig(api_server):
    config = kubeconfig('http://kubernetes.invalid:6443')
    config['clusters'][0]['cluster']['proxy-url'] = api_server
    assert client(config).list_nodes() == []
    assert FakeApiServer.seen[-1][3] == 'kubernetes.invalid:6443'


@pytest.mark.parametrize('mutate, message', [
    (lambda config: config.pop('current-context'), 'current-context'),
    (lambda config: config['contexts'][0]['context'].update(cluster='other'), 'other'),
    (lambda config: config['clusters'][0]['cluster'].pop('server'), 'no server'),
])
def test_bad_kubeconfigs(mutate, message):
    config = kubeconfig('https://127.0.0.1:6443')
    mutate(config)
    with pytest.raises((ConfigException, ValueError), match=message):
        client(config)


def test_an_unknown_context():
    with pytest.raises(ConfigException, match='nope'):
        client(kubeconfig('https://127.0.0.1:6443'), context='nope')
