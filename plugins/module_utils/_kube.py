# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's one client of the Kubernetes API, for every module that talks to an API server.

The kubeconfig is loaded by the 'kubernetes' package, which knows every credential kubectl knows
(token, token file, client certificate, exec plugins, auth providers, inline or file data). Its
generated API classes are not used: their call_api() changed between major versions, and the
density test times a request and its body, not the deserialisation into Python objects. Requests
go through urllib3 on kept-alive connections instead, with the loaded configuration's server, CA,
client certificate, token, verification and proxy settings.

Internal to the collection (the leading underscore). The modules run on the control host
(delegate_to: localhost), where requirements.txt installs the kubernetes package.
"""

from __future__ import annotations

import json
import traceback
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import proxy_bypass_environment

from ansible.module_utils.basic import missing_required_lib

try:
    import urllib3
    import yaml
    from kubernetes import config as k8s_config
    from kubernetes.client import Configuration
except ImportError:
    HAS_KUBERNETES = False
    KUBERNETES_IMPORT_ERROR = traceback.format_exc()
    STREAM_ERRORS = ()
else:
    HAS_KUBERNETES = True
    KUBERNETES_IMPORT_ERROR = None
    # What reading a streamed answer (a watch) raises when the server stays quiet past the read
    # timeout or drops the connection: the caller opens the stream again.
    STREAM_ERRORS = (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError)


# The options of every module that talks to an API server, documented by the doc fragment
# kubemark.kubemark.kubeconfig: AnsibleModule(argument_spec=dict(KUBECONFIG_ARGS, ...),
# required_one_of=KUBECONFIG_SOURCES, mutually_exclusive=KUBECONFIG_SOURCES).
KUBECONFIG_ARGS = dict(
    kubeconfig=dict(type='path'),
    kubeconfig_content=dict(type='str', no_log=True),
    context=dict(type='str'),
)
KUBECONFIG_SOURCES = [('kubeconfig', 'kubeconfig_content')]


class ApiError(Exception):
    """An answer outside 2xx (status is its HTTP status), or no answer at all (status 0)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _pool_manager(configuration):
    """A urllib3 pool with a loaded configuration's TLS and proxy settings, as the kubernetes client makes its own."""
    kwargs = {'num_pools': 4, 'maxsize': 8, 'cert_reqs': 'CERT_REQUIRED' if configuration.verify_ssl else 'CERT_NONE'}
    if configuration.verify_ssl and configuration.ssl_ca_cert:
        kwargs['ca_certs'] = configuration.ssl_ca_cert
    if configuration.cert_file:
        kwargs['cert_file'] = configuration.cert_file
        kwargs['key_file'] = configuration.key_file
    if getattr(configuration, 'tls_server_name', None):
        kwargs['server_hostname'] = configuration.tls_server_name
    # The kubeconfig's proxy-url; newer kubernetes packages also take HTTPS_PROXY and NO_PROXY from
    # the environment into the configuration, as kubectl does.
    proxy = getattr(configuration, 'proxy', None)
    no_proxy = getattr(configuration, 'no_proxy', None) or ''
    if proxy and not proxy_bypass_environment(urlsplit(configuration.host).netloc, {'no': no_proxy}):
        return urllib3.ProxyManager(proxy, **kwargs)
    return urllib3.PoolManager(**kwargs)


class KubeClient:
    """Requests to the API server of one kubeconfig context.

    server is the API server's URL; for messages, source names the kubeconfig (its path, or
    'kubeconfig_content') and user the context's user entry (None when unknown); configuration is
    the kubernetes package's Configuration it was loaded into.
    """

    def __init__(self, configuration, user=None, timeout=120, source='the kubeconfig'):
        self.configuration = configuration
        self.server = configuration.host.rstrip('/')
        self.source = source
        self.user = user
        self.timeout = timeout
        self.pool = _pool_manager(configuration)

    def authorization(self):
        """The Authorization header of the credentials, or None (client certificates).

        Asked again for every request: the kubernetes package runs an exec plugin again here once
        the token it gave has expired.
        """
        value = self.configuration.get_api_key_with_prefix('BearerToken', alias='authorization')
        if value and ' ' not in value.strip():
            value = 'Bearer ' + value
        return value or None

    def request(self, method, path, body=None, query=None, accept='application/json', timeout=None, stream=False,
                content_type='application/json'):
        """Send a request; return the urllib3 response, its body in .data (unless stream). Raises ApiError.

        body is sent as JSON (content_type: application/merge-patch+json for a merge patch, for
        instance); query is a dict or a list of (name, value) pairs; timeout is seconds or a
        (connect, read) pair, the client's timeout when None. With stream, the caller reads the body
        with response.stream() and releases the connection.
        """
        url = self.server + path
        if query:
            url += '?' + urlencode(query, quote_via=quote)
        headers = {'Accept': accept}
        authorization = self.authorization()
        if authorization:
            headers['Authorization'] = authorization
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers['Content-Type'] = content_type
        timeout = self.timeout if timeout is None else timeout
        if isinstance(timeout, tuple):
            timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        try:
            response = self.pool.request(method, url, body=data, headers=headers, timeout=timeout, retries=False,
                                         preload_content=not stream)
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise ApiError(0, '%s %s: %s' % (method, path, error))
        if not 200 <= response.status <= 299:
            text = response.read() if stream else response.data
            raise ApiError(response.status, '%s %s: HTTP %s %s: %s' % (
                method, path, response.status, response.reason or '', text[:300].decode('utf-8', 'replace')))
        return response

    def request_json(self, method, path, body=None, query=None, timeout=None, content_type='application/json'):
        """Send a request; return its decoded JSON answer ({} for an empty one). Raises ApiError."""
        data = self.request(method, path, body=body, query=query, timeout=timeout, content_type=content_type).data
        return json.loads(data.decode('utf-8')) if data else {}

    def whoami(self):
        """(method, username, groups) from a SelfSubjectReview, as kubectl auth whoami.

        v1 (Kubernetes 1.28), else v1beta1 (1.27); on older servers GET /api proves that the
        credentials are accepted but names nobody: ('get-api', '', []).
        """
        for version in ('v1', 'v1beta1'):
            try:
                answer = self.request_json('POST', '/apis/authentication.k8s.io/%s/selfsubjectreviews' % version, body={
                    'apiVersion': 'authentication.k8s.io/' + version, 'kind': 'SelfSubjectReview'})
            except ApiError as error:
                if error.status != 404:
                    raise
                continue
            info = (answer.get('status') or {}).get('userInfo') or {}
            return 'selfsubjectreview/' + version, info.get('username', ''), info.get('groups') or []
        self.request('GET', '/api')
        return 'get-api', '', []

    def list_nodes(self, label_selector=None):
        """The Node objects (dicts) that match label_selector, all of them when it is empty."""
        query = {'labelSelector': label_selector} if label_selector else None
        return self.request_json('GET', '/api/v1/nodes', query=query).get('items') or []


def _context_user(config, context):
    """Name of the user entry of a kubeconfig dict's context (its current one by default), or None."""
    if not isinstance(config, dict):
        return None
    name = context or config.get('current-context')
    for entry in config.get('contexts') or []:
        if isinstance(entry, dict) and entry.get('name') == name:
            return (entry.get('context') or {}).get('user')
    return None


def load(path=None, content=None, context=None, timeout=120):
    """A KubeClient for the kubeconfig file path, or for the kubeconfig YAML text content.

    context picks a context of the kubeconfig, its current context when None. Raises what the
    kubernetes package's loader raises for a kubeconfig it cannot use (ConfigException mostly).
    """
    configuration = Configuration()
    if content is not None:
        config = yaml.safe_load(content)
        k8s_config.load_kube_config_from_dict(config, context=context, client_configuration=configuration)
    else:
        k8s_config.load_kube_config(config_file=path, context=context, client_configuration=configuration)
        with open(path, encoding='utf-8') as handle:
            config = yaml.safe_load(handle)
    if not configuration.host:
        raise ValueError('the cluster of the context has no server')
    return KubeClient(configuration, user=_context_user(config, context), timeout=timeout,
                      source=path if content is None else 'kubeconfig_content')


def client_for_module(module, timeout=120):
    """The KubeClient of a module's KUBECONFIG_ARGS options.

    Fails the module when the kubernetes package is missing or the kubeconfig cannot be loaded.
    """
    if not HAS_KUBERNETES:
        module.fail_json(msg=missing_required_lib('kubernetes'), exception=KUBERNETES_IMPORT_ERROR)
    params = module.params
    try:
        return load(path=params['kubeconfig'], content=params['kubeconfig_content'], context=params['context'],
                    timeout=timeout)
    except Exception as error:  # pylint: disable=broad-except
        # The loader has no common error class: a missing file, bad YAML, an unknown context or a
        # cluster without a server all end here.
        module.fail_json(msg='cannot load the kubeconfig %s: %s' % (params['kubeconfig'] or '(kubeconfig_content)', error))
