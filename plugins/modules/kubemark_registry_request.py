#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_registry_request
short_description: Read from an image registry's v2 API, logging in when it asks
version_added: 0.1.0
description:
  - Sends one C(GET) or C(HEAD) request to a registry's C(/v2/) API (the API check, a manifest, a
    blob) and returns the status and the body.
  - When the registry answers 401 and O(username) and O(password) are set, the module answers its
    C(WWW-Authenticate) challenge and sends the request again. C(Basic) challenges get the
    credentials as HTTP Basic authentication. C(Bearer) challenges (the registry token flow of
    Harbor, Aliyun ACR, Docker Hub, ...) get a token from the challenge's realm, fetched with the
    credentials as Basic authentication, and the request is sent again with that token.
  - Credentials the registry or its token service refuses give RV(status) 401 and
    RV(credentials_refused) true; the module itself fails only on a status outside O(status_code).
author:
  - kubemark collection developers (@kubemark)
options:
  url:
    description:
      - The full URL, such as V(http://10.199.0.1:5000/v2/kubemark/manifests/v1.33.13).
    type: str
    required: true
  method:
    description:
      - The HTTP method.
    type: str
    choices: [GET, HEAD]
    default: GET
  headers:
    description:
      - Extra request headers, such as C(Accept) for manifests.
    type: dict
    default: {}
  username:
    description:
      - User name for the registry. Needs O(password).
    type: str
  password:
    description:
      - Password or access token for the registry. Needs O(username). Never logged or returned.
    type: str
  validate_certs:
    description:
      - Verify the registry's and the token service's TLS certificates.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each answer.
    type: int
    default: 30
  status_code:
    description:
      - The statuses that are not a failure of the module.
    type: list
    elements: int
    default: [200]
attributes:
  check_mode:
    support: full
    description: The requests only read; they run in check mode too.
  diff_mode:
    support: none
    description: Nothing to show a difference of.
notes:
  - The credentials and the token are never returned.
"""

EXAMPLES = r"""
- name: Read a manifest from a registry that wants a login
  kubemark.kubemark.kubemark_registry_request:
    url: https://registry.example.com/v2/kubemark/manifests/v1.33.13
    headers:
      Accept: application/vnd.oci.image.manifest.v1+json
    username: "{{ image_registry_username }}"
    password: "{{ image_registry_password }}"
    status_code: [200, 404]
  register: manifest
"""

RETURN = r"""
status:
  description: HTTP status of the last answer (-1 when the registry did not answer at all).
  returned: always
  type: int
url:
  description: The URL requested.
  returned: always
  type: str
auth:
  description: How the request was authenticated in the end, V(none), V(basic) or V(bearer).
  returned: always
  type: str
credentials_refused:
  description: The registry or its token service answered 401 to the credentials.
  returned: always
  type: bool
content:
  description: The body of the answer as text (empty for C(HEAD)).
  returned: always
  type: str
json:
  description: The body parsed as JSON, when it is JSON.
  returned: when the body is JSON
  type: raw
digest:
  description: The C(Docker-Content-Digest) header, when the registry sent one.
  returned: always
  type: str
msg:
  description: What happened, in words.
  returned: always
  type: str
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import fetch_url

from ansible_collections.kubemark.kubemark.plugins.module_utils.registry_auth import (
    RegistryAuthError,
    basic_authorization,
    check_credentials,
    choose_challenge,
    parse_www_authenticate,
    token_from_response,
    token_request_url,
)


def _request(module, url, method, headers):
    response, info = fetch_url(module, url, headers=headers, method=method,
                               timeout=module.params['timeout'], force=True)
    status = info.get('status', -1)
    body = b''
    if response is not None:
        try:
            body = response.read()
        except Exception:  # pylint: disable=broad-except
            body = b''
    elif info.get('body'):
        body = info['body']
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    return status, body, info


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type='str', required=True),
            method=dict(type='str', default='GET', choices=['GET', 'HEAD']),
            headers=dict(type='dict', default={}),
            username=dict(type='str'),
            password=dict(type='str', no_log=True),
            validate_certs=dict(type='bool', default=True),
            timeout=dict(type='int', default=30),
            status_code=dict(type='list', elements='int', default=[200]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        has_credentials = check_credentials(params['username'], params['password'])
    except RegistryAuthError as exc:
        module.fail_json(msg=str(exc), status=-1, url=params['url'])

    headers = dict(params['headers'] or {})
    status, body, info = _request(module, params['url'], params['method'], headers)
    auth = 'none'
    refused = False
    msg = info.get('msg', '')

    if status == 401 and has_credentials:
        try:
            scheme, challenge = choose_challenge(parse_www_authenticate(info.get('www-authenticate', '')))
        except RegistryAuthError as exc:
            module.fail_json(msg=str(exc), status=status, url=params['url'])
        basic = basic_authorization(params['username'], params['password'])
        if scheme == 'basic':
            auth = 'basic'
            headers['Authorization'] = basic
        else:
            auth = 'bearer'
            try:
                token_url = token_request_url(challenge)
            except RegistryAuthError as exc:
                module.fail_json(msg=str(exc), status=status, url=params['url'])
            token_status, token_body, token_info = _request(module, token_url, 'GET', {'Authorization': basic})
            if token_status != 200:
                refused = token_status in (401, 403)
                result = dict(status=401 if refused else token_status, url=params['url'], auth=auth,
                              credentials_refused=refused, content='', digest='',
                              msg='the token service at %s answered %s: %s'
                                  % (token_url.split('?')[0], token_status, token_info.get('msg', '')))
                if result['status'] not in params['status_code']:
                    module.fail_json(**result)
                module.exit_json(changed=False, **result)
            try:
                headers['Authorization'] = 'Bearer ' + token_from_response(token_body)
            except RegistryAuthError as exc:
                module.fail_json(msg=str(exc), status=token_status, url=params['url'])
        status, body, info = _request(module, params['url'], params['method'], headers)
        msg = info.get('msg', '')
        refused = status == 401

    result = dict(status=status, url=params['url'], auth=auth, credentials_refused=refused,
                  content=body, digest=info.get('docker-content-digest', ''), msg=msg)
    try:
        result['json'] = json.loads(body) if body else None
    except ValueError:
        pass
    if result.get('json') is None:
        result.pop('json', None)
    if status not in params['status_code']:
        module.fail_json(**result)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
