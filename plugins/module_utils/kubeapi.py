# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A minimal Kubernetes API client over the standard library, driven by a kubeconfig dict.

The hollow-node modules make a handful of JSON requests (list nodes, one SelfSubjectReview).
This keeps them independent of the generated 'kubernetes' client, whose calling conventions
change between its major versions, and lets them run on any host with Python 3 and PyYAML
(PyYAML only to read a kubeconfig file; a dict works without it).

Supported credentials: bearer token, client certificate and key (data or file), CA data or file,
insecure-skip-tls-verify. Exec plugins and auth providers are not.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import ssl
import tempfile
import urllib.error
import urllib.parse

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.urls import Request

try:
    import yaml
    HAS_YAML = True
except ImportError:
    HAS_YAML = False


class KubeApiError(Exception):
    """An HTTP error answer of the API server (status is the HTTP status, 0 when unreachable)."""

    def __init__(self, status, reason, body=''):
        super().__init__('%s %s' % (status, reason))
        self.status = status
        self.reason = reason
        self.body = body


class KubeconfigError(ValueError):
    """The kubeconfig lacks what a request needs."""


def _named(entries, name, kind):
    for entry in entries or []:
        if entry.get('name') == name:
            return entry.get(kind) or {}
    raise KubeconfigError('the kubeconfig has no %s named %r' % (kind, name))


def _data_or_file(section, key, base_dir):
    """Bytes of KEY-data (base64) or the file KEY (relative to the kubeconfig's directory)."""
    if section.get(key + '-data'):
        return base64.b64decode(section[key + '-data'])
    if section.get(key):
        path = section[key]
        if base_dir and not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        with open(path, 'rb') as handle:
            return handle.read()
    return None


class KubeClient:
    """JSON requests to the API server of a kubeconfig's (current) context."""

    def __init__(self, config, context=None, base_dir=None, timeout=15):
        if not isinstance(config, dict):
            raise KubeconfigError('not a kubeconfig (no mapping at the top)')
        context_name = context or config.get('current-context')
        if not context_name:
            raise KubeconfigError('the kubeconfig has no current-context')
        ctx = _named(config.get('contexts'), context_name, 'context')
        cluster = _named(config.get('clusters'), ctx.get('cluster'), 'cluster')
        self.user_name = ctx.get('user', '')
        user = _named(config.get('users'), self.user_name, 'user') if self.user_name else {}
        self.server = (cluster.get('server') or '').rstrip('/')
        if not self.server:
            raise KubeconfigError('the cluster %r has no server' % ctx.get('cluster'))
        if user.get('exec') or user.get('auth-provider'):
            raise KubeconfigError('exec and auth-provider credentials are not supported')
        self.timeout = timeout
        self.token = user.get('token')
        if not self.token and user.get('tokenFile'):
            with open(user['tokenFile'], encoding='utf-8') as handle:
                self.token = handle.read().strip()
        self._tmpdir = None
        self.context = None
        if self.server.startswith('https://'):
            self.context = ssl.create_default_context()
            if cluster.get('insecure-skip-tls-verify'):
                self.context.check_hostname = False
                self.context.verify_mode = ssl.CERT_NONE
            else:
                ca = _data_or_file(cluster, 'certificate-authority', base_dir)
                if ca:
                    self.context.load_verify_locations(cadata=ca.decode('ascii'))
            cert = _data_or_file(user, 'client-certificate', base_dir)
            key = _data_or_file(user, 'client-key', base_dir)
            if cert and key:
                # ssl loads client credentials from files only: a private directory, removed at once.
                self._tmpdir = tempfile.mkdtemp(prefix='kubeapi-')
                try:
                    cert_path = os.path.join(self._tmpdir, 'client.crt')
                    key_path = os.path.join(self._tmpdir, 'client.key')
                    for path, content in ((cert_path, cert), (key_path, key)):
                        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                        with os.fdopen(fd, 'wb') as handle:
                            handle.write(content)
                    self.context.load_cert_chain(cert_path, key_path)
                finally:
                    shutil.rmtree(self._tmpdir, ignore_errors=True)

    @classmethod
    def from_file(cls, path, context=None, timeout=15):
        with open(path, encoding='utf-8') as handle:
            config = yaml.safe_load(handle)
        return cls(config, context=context, base_dir=os.path.dirname(os.path.abspath(path)), timeout=timeout)

    def request(self, method, path, body=None, query=None):
        """Send a request; return the decoded JSON answer. Raises KubeApiError."""
        url = self.server + path
        if query:
            url += '?' + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode('utf-8')
        headers = {'Accept': 'application/json'}
        if data is not None:
            headers['Content-Type'] = 'application/json'
        if self.token:
            headers['Authorization'] = 'Bearer ' + self.token
        try:
            answer = Request(context=self.context, timeout=self.timeout, follow_redirects='none').open(
                method, url, data=data, headers=headers)
            with answer:
                payload = answer.read()
        except urllib.error.HTTPError as error:
            raise KubeApiError(error.code, error.reason, error.read().decode('utf-8', 'replace'))
        except (urllib.error.URLError, OSError) as error:
            raise KubeApiError(0, str(getattr(error, 'reason', error)))
        return json.loads(payload.decode('utf-8')) if payload else {}

    def whoami(self):
        """(method, username, groups) from a SelfSubjectReview; falls back to GET /api (no name)."""
        for version in ('v1', 'v1beta1'):
            try:
                answer = self.request('POST', '/apis/authentication.k8s.io/%s/selfsubjectreviews' % version, body={
                    'apiVersion': 'authentication.k8s.io/' + version, 'kind': 'SelfSubjectReview'})
            except KubeApiError as error:
                if error.status != 404:
                    raise
                continue
            info = (answer.get('status') or {}).get('userInfo') or {}
            return 'selfsubjectreview/' + version, info.get('username', ''), info.get('groups') or []
        self.request('GET', '/api')
        return 'get-api', '', []

    def list_nodes(self, label_selector=None):
        query = {'labelSelector': label_selector} if label_selector else None
        return self.request('GET', '/api/v1/nodes', query=query).get('items') or []


def client_for_module(module, path=None, content=None, context=None, timeout=15):
    """A KubeClient for a module, from a kubeconfig file or its YAML text; fails the module when it cannot load."""
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib('PyYAML'))
    try:
        if path:
            return KubeClient.from_file(path, context=context, timeout=timeout)
        return KubeClient(yaml.safe_load(content), context=context, timeout=timeout)
    except Exception as error:  # pylint: disable=broad-except
        module.fail_json(msg='cannot load the kubeconfig %s: %s' % (path or '(kubeconfig_content)', error))
