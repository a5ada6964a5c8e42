# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Registry login: WWW-Authenticate challenges, token requests, docker config and htpasswd files."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import registry_auth as ra


def test_parse_basic_challenge_of_docker_registry():
    assert ra.parse_www_authenticate('Basic realm="kubemark"') == [('basic', {'realm': 'kubemark'})]


def test_parse_bearer_challenge_with_quoted_commas_in_scope():
    header = ('Bearer realm="https://dockerauth.cn-hangzhou.aliyuncs.com/auth",'
              'service="registry.aliyuncs.com:cn-hangzhou:26842",scope="repository:kubemark/kubemark:pull,push"')
    assert ra.parse_www_authenticate(header) == [('bearer', {
        'realm': 'https://dockerauth.cn-hangzhou.aliyuncs.com/auth',
        'service': 'registry.aliyuncs.com:cn-hangzhou:26842',
        'scope': 'repository:kubemark/kubemark:pull,push'})]


def test_parse_is_case_insensitive_for_scheme_and_names_and_takes_tokens():
    assert ra.parse_www_authenticate('BEARER Realm=https://h/token, Service=harbor-registry') == [
        ('bearer', {'realm': 'https://h/token', 'service': 'harbor-registry'})]


def test_parse_several_challenges_in_one_header():
    challenges = ra.parse_www_authenticate('Basic realm="a", Bearer realm="https://t/x",service="s"')
    assert challenges == [('basic', {'realm': 'a'}), ('bearer', {'realm': 'https://t/x', 'service': 's'})]
    assert ra.choose_challenge(challenges) == ('bearer', {'realm': 'https://t/x', 'service': 's'})


def test_parse_unescapes_quoted_pairs():
    assert ra.parse_www_authenticate(r'Basic realm="say \"hi\""') == [('basic', {'realm': 'say "hi"'})]


def test_choose_challenge_rejects_unknown_schemes_and_empty_headers():
    with pytest.raises(ra.RegistryAuthError, match='offered: negotiate'):
        ra.choose_challenge(ra.parse_www_authenticate('Negotiate'))
    with pytest.raises(ra.RegistryAuthError, match='offered: none'):
        ra.choose_challenge(ra.parse_www_authenticate(''))


def test_basic_authorization_encodes_user_and_password():
    value = ra.basic_authorization('robot$kubemark', 'p:ss')
    assert value.startswith('Basic ')
    assert base64.b64decode(value[len('Basic '):]).decode() == 'robot$kubemark:p:ss'


def test_token_request_url_carries_service_and_each_scope():
    url = ra.token_request_url({'realm': 'https://auth.example/token', 'service': 'registry.example',
                                'scope': 'repository:a/b:pull'}, scopes=['repository:a/b:pull,push'])
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ('https', 'auth.example', '/token')
    assert parse_qs(parts.query) == {'service': ['registry.example'],
                                     'scope': ['repository:a/b:pull', 'repository:a/b:pull,push']}


def test_token_request_url_splits_space_separated_scopes_and_keeps_realm_query():
    url = ra.token_request_url({'realm': 'https://h/service/token?x=1', 'scope': 'repository:a:pull repository:b:pull'})
    parts = urlsplit(url)
    assert parse_qs(parts.query) == {'x': ['1'], 'scope': ['repository:a:pull', 'repository:b:pull']}


def test_token_request_url_without_params_is_the_realm():
    assert ra.token_request_url({'realm': 'https://h/token'}) == 'https://h/token'


@pytest.mark.parametrize('params', [{}, {'realm': ''}, {'realm': 'ftp://h/token'}, {'realm': '/token'}])
def test_token_request_url_needs_an_http_realm(params):
    with pytest.raises(ra.RegistryAuthError):
        ra.token_request_url(params)


def test_token_from_response_reads_token_or_access_token():
    assert ra.token_from_response('{"token": "t1", "expires_in": 300}') == 't1'
    assert ra.token_from_response(b'{"access_token": "t2"}') == 't2'


@pytest.mark.parametrize('body', ['not json', '[]', '{}', '{"token": 5}', None])
def test_token_from_response_refuses_answers_without_a_token(body):
    with pytest.raises(ra.RegistryAuthError):
        ra.token_from_response(body)


def test_repository_scope():
    assert ra.repository_scope('kubemark/kubemark') == 'repository:kubemark/kubemark:pull'
    assert ra.repository_scope('k', ('pull', 'push')) == 'repository:k:pull,push'


def test_docker_config_json_is_what_kubelet_and_podman_read():
    data = json.loads(ra.docker_config_json('registry.example:5000', 'u', 'p'))
    entry = data['auths']['registry.example:5000']
    assert entry['username'] == 'u' and entry['password'] == 'p'
    assert base64.b64decode(entry['auth']).decode() == 'u:p'


def test_check_credentials_wants_both_or_neither():
    assert ra.check_credentials('u', 'p') is True
    assert ra.check_credentials('', None) is False
    with pytest.raises(ra.RegistryAuthError, match='image_registry_username and image_registry_password'):
        ra.check_credentials('u', '', names=('image_registry_username', 'image_registry_password'))
    with pytest.raises(ra.RegistryAuthError):
        ra.check_credentials(None, 'p')


def test_htpasswd_round_trip_keeps_other_users_sorted():
    entries = ra.htpasswd_entries('# comment\nzed:$2y$05$x\n\nalice:$2b$05$y\n')
    assert entries == {'zed': '$2y$05$x', 'alice': '$2b$05$y'}
    entries['bob'] = '$2b$05$z'
    assert ra.render_htpasswd(entries) == 'alice:$2b$05$y\nbob:$2b$05$z\nzed:$2y$05$x\n'


def test_htpasswd_refuses_colons_in_user_names():
    with pytest.raises(ra.RegistryAuthError):
        ra.render_htpasswd({'a:b': 'x'})
