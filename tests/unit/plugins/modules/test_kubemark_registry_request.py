# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_registry_request against a fake registry on a local port: open, Basic and Bearer.

The Bearer mode answers like a registry with a token service (Harbor, ACR): 401 with
'Bearer realm=<token URL>,service=...,scope=...', a token for the right Basic credentials, and the
manifest only for that token. kubemark_htpasswd runs on a temporary file.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_htpasswd, kubemark_registry_request

USER, PASSWORD, TOKEN = 'robot$kubemark', 'p: ss"word', 'tok-123'
MANIFEST = {'schemaVersion': 2, 'config': {'digest': 'sha256:abc'}}


class FakeRegistry(BaseHTTPRequestHandler):
    mode = 'open'
    token_requests = []

    def log_message(self, *args):
        pass

    def _send(self, status, body=b'', headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def _basic_ok(self):
        expected = 'Basic ' + base64.b64encode(('%s:%s' % (USER, PASSWORD)).encode()).decode()
        return self.headers.get('Authorization') == expected

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        host = 'http://127.0.0.1:%d' % self.server.server_address[1]
        if self.path.startswith('/token'):
            FakeRegistry.token_requests.append(self.path)
            if not self._basic_ok():
                return self._send(401, b'{"details":"incorrect username or password"}')
            return self._send(200, json.dumps({'token': TOKEN}).encode())
        if self.mode == 'basic' and not self._basic_ok():
            return self._send(401, b'{}', {'WWW-Authenticate': 'Basic realm="fake"'})
        if self.mode == 'bearer' and self.headers.get('Authorization') != 'Bearer ' + TOKEN:
            challenge = 'Bearer realm="%s/token",service="fake-registry",scope="repository:kubemark:pull"' % host
            return self._send(401, b'{}', {'WWW-Authenticate': challenge})
        if self.path == '/v2/':
            return self._send(200, b'{}')
        if self.path == '/v2/kubemark/manifests/v1':
            return self._send(200, json.dumps(MANIFEST).encode(), {'Docker-Content-Digest': 'sha256:def'})
        return self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')


@pytest.fixture
def registry():
    server = HTTPServer(('127.0.0.1', 0), FakeRegistry)
    FakeRegistry.token_requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()
    FakeRegistry.mode = 'open'


def _manifest(registry, **args):
    return dict(dict(url=registry + '/v2/kubemark/manifests/v1', status_code=[200, 401, 404]), **args)


def test_open_registry_needs_no_login(registry, run_module):
    result = run_module(kubemark_registry_request, _manifest(registry))
    assert (result['status'], result['auth'], result['json'], result['digest']) == (200, 'none', MANIFEST, 'sha256:def')


@pytest.mark.parametrize('mode', ['basic', 'bearer'])
def test_login_with_the_right_credentials(registry, run_module, mode):
    FakeRegistry.mode = mode
    result = run_module(kubemark_registry_request, _manifest(registry, username=USER, password=PASSWORD))
    assert (result['status'], result['auth'], result['credentials_refused']) == (200, mode, False)
    assert result['json'] == MANIFEST
    assert PASSWORD not in repr(result) and TOKEN not in repr(result)


def test_bearer_token_request_carries_service_and_scope(registry, run_module):
    FakeRegistry.mode = 'bearer'
    run_module(kubemark_registry_request, _manifest(registry, username=USER, password=PASSWORD))
    assert FakeRegistry.token_requests == ['/token?service=fake-registry&scope=repository%3Akubemark%3Apull']


@pytest.mark.parametrize('mode', ['basic', 'bearer'])
def test_wrong_password_is_a_refused_401(registry, run_module, mode):
    FakeRegistry.mode = mode
    result = run_module(kubemark_registry_request, _manifest(registry, username=USER, password='wrong'))
    assert (result['status'], result['auth'], result['credentials_refused']) == (401, mode, True)
    assert 'wrong' not in repr(result)


def test_anonymous_401_is_not_a_refusal_and_fails_outside_status_code(registry, run_module):
    FakeRegistry.mode = 'bearer'
    result = run_module(kubemark_registry_request, _manifest(registry))
    assert (result['status'], result['credentials_refused']) == (401, False)
    failed = run_module(kubemark_registry_request, dict(url=registry + '/v2/'))
    assert failed['failed'] and failed['status'] == 401


def test_head_and_missing_manifest(registry, run_module):
    FakeRegistry.mode = 'basic'
    result = run_module(kubemark_registry_request, dict(url=registry + '/v2/kubemark/manifests/v2', method='HEAD',
                                                        username=USER, password=PASSWORD, status_code=[200, 404]))
    assert (result['status'], result['content']) == (404, '')


def test_half_a_credential_pair_fails(registry, run_module):
    result = run_module(kubemark_registry_request, dict(url=registry + '/v2/', username=USER))
    assert result['failed'] and 'username and password must be set together' in result['msg']


def test_unreachable_registry_gives_status_minus_one(run_module):
    result = run_module(kubemark_registry_request, dict(url='http://127.0.0.1:9/v2/', status_code=[200, 401], timeout=5))
    assert result['failed'] and result['status'] == -1


def test_htpasswd_is_written_once_with_bcrypt_and_mode_0600(run_module, tmp_path):
    path = tmp_path / 'htpasswd'
    path.write_text('other:$2y$05$keptkeptkeptkeptkeptkeO\n')
    first = run_module(kubemark_htpasswd, dict(path=str(path), username='kubemark', password=PASSWORD))
    assert first['changed']
    lines = path.read_text().splitlines()
    assert lines[0].startswith('kubemark:$2b$10$')
    assert lines[1] == 'other:$2y$05$keptkeptkeptkeptkeptkeO'
    assert oct(path.stat().st_mode & 0o777) == '0o600'
    assert not run_module(kubemark_htpasswd, dict(path=str(path), username='kubemark', password=PASSWORD))['changed']
    assert run_module(kubemark_htpasswd, dict(path=str(path), username='kubemark', password='new'))['changed']
    assert run_module(kubemark_htpasswd, dict(path=str(path), username='kubemark', password='new'), check_mode=True)['changed'] is False
