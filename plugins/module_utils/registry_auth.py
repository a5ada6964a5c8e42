# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of logging in to an image registry (the distribution v2 API).

A registry that wants a login answers 401 with a WWW-Authenticate header. Either it is
"Basic realm=..." (docker-registry with htpasswd, Harbor robot accounts, ...): the request is sent
again with the credentials in an Authorization: Basic header. Or it is "Bearer realm=...,
service=..., scope=..." (the token flow of Docker Hub, Harbor, Aliyun ACR, ...): a token is fetched
from the realm URL with the credentials as Basic auth, and the request is sent again with
Authorization: Bearer <token>. Nothing here opens a connection, so all of it is unit-tested.
"""

from __future__ import annotations

import base64
import json
import re

from urllib.parse import urlencode, urlsplit

# One auth-param: name=token or name="quoted string" (RFC 7235 section 2.1).
_PARAM_RE = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)\s*(,|$)')
_SCHEME_RE = re.compile(r'\s*([A-Za-z][A-Za-z0-9_.+-]*)(?:\s+|$)')


class RegistryAuthError(Exception):
    """A challenge or a token answer this collection cannot use."""


def parse_www_authenticate(value):
    """Parse one WWW-Authenticate header into a list of (scheme, {param: value}).

    Scheme names are lowercased, parameter names too; quoted values are unquoted. Several
    challenges in one header (Basic realm="a", Bearer realm="b") give several entries.
    """
    challenges = []
    text = value or ''
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in ' ,':
            pos += 1
        if pos >= len(text):
            break
        match = _SCHEME_RE.match(text, pos)
        if not match:
            raise RegistryAuthError('cannot parse the WWW-Authenticate header %r' % value)
        scheme = match.group(1).lower()
        pos = match.end()
        params = {}
        while pos < len(text):
            param = _PARAM_RE.match(text, pos)
            if not param:
                break
            raw = param.group(2)
            if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
                raw = re.sub(r'\\(.)', r'\1', raw[1:-1])
            params[param.group(1).lower()] = raw
            pos = param.end()
            # The next token is a new scheme when it is not followed by '='.
            if param.group(3) == ',' and not _PARAM_RE.match(text, pos):
                break
        challenges.append((scheme, params))
    return challenges


def choose_challenge(challenges):
    """The challenge to answer: Bearer when offered (it works with token-only registries), else Basic."""
    by_scheme = dict((scheme, params) for scheme, params in reversed(challenges))
    for scheme in ('bearer', 'basic'):
        if scheme in by_scheme:
            return scheme, by_scheme[scheme]
    offered = ', '.join(scheme for scheme, dummy in challenges) or 'none'
    raise RegistryAuthError('the registry asks for an authentication scheme this collection does not '
                            'speak (offered: %s; Basic and Bearer are supported)' % offered)


def basic_authorization(username, password):
    """The value of an Authorization header for HTTP Basic authentication."""
    raw = ('%s:%s' % (username, password)).encode('utf-8')
    return 'Basic ' + base64.b64encode(raw).decode('ascii')


def token_request_url(params, scopes=None):
    """The URL to fetch a Bearer token from, out of the challenge's realm, service and scope.

    scopes adds scopes to the challenge's own (for example a push scope); each is sent as its own
    scope= parameter, as the distribution token specification requires.
    """
    realm = params.get('realm')
    if not realm:
        raise RegistryAuthError('the Bearer challenge names no realm to fetch a token from')
    parts = urlsplit(realm)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise RegistryAuthError('the Bearer realm %r is not an http(s) URL' % realm)
    query = []
    if params.get('service'):
        query.append(('service', params['service']))
    wanted = []
    for scope in [params.get('scope')] + list(scopes or []):
        for item in (scope or '').split(' '):
            if item and item not in wanted:
                wanted.append(item)
    query.extend(('scope', scope) for scope in wanted)
    if not query:
        return realm
    return realm + ('&' if parts.query else '?') + urlencode(query)


def token_from_response(body):
    """The token of a token endpoint's JSON answer (token, or access_token of OAuth2 servers)."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        raise RegistryAuthError('the token endpoint did not answer JSON')
    if not isinstance(data, dict):
        raise RegistryAuthError('the token endpoint did not answer a JSON object')
    token = data.get('token') or data.get('access_token')
    if not token or not isinstance(token, str):
        raise RegistryAuthError('the token endpoint answered no token')
    return token


def repository_scope(repository, actions=('pull',)):
    """A registry token scope such as repository:kubemark:pull,push."""
    return 'repository:%s:%s' % (repository, ','.join(actions))


def docker_config_json(registry, username, password):
    """The content of a .dockerconfigjson (and of podman's auth.json) for one registry host."""
    entry = {'username': username, 'password': password,
             'auth': base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii')}
    return json.dumps({'auths': {registry: entry}}, sort_keys=True)


def check_credentials(username, password, names=('username', 'password')):
    """Both or neither: a user name without a password (or the reverse) is a mistake."""
    if bool(username) != bool(password):
        raise RegistryAuthError('%s and %s must be set together (one of them is empty)' % names)
    return bool(username)


def htpasswd_entries(text):
    """The user name to hash map of an htpasswd file (blank lines and # comments skipped)."""
    entries = {}
    for line in (text or '').splitlines():
        line = line.strip()
        if not line or line.startswith('#') or ':' not in line:
            continue
        name, hashed = line.split(':', 1)
        entries[name] = hashed
    return entries


def render_htpasswd(entries):
    """An htpasswd file of the entries, sorted by user name."""
    for name in entries:
        if not name or ':' in name or '\n' in name:
            raise RegistryAuthError('%r cannot be an htpasswd user name' % name)
    return ''.join('%s:%s\n' % (name, entries[name]) for name in sorted(entries))
