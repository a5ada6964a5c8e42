#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_kubeconfig
short_description: Write a self-contained kubeconfig with one cluster, one user and one context
version_added: 0.1.0
description:
  - Writes a kubeconfig whose CA certificate and client credentials are embedded as data, so the
    file can be copied anywhere, for example into the secret hollow nodes read.
  - The user authenticates with a bearer O(token) or with a client certificate and key
    (O(client_cert_path) and O(client_key_path)).
  - The existing file is parsed and compared with the wanted configuration as data, so formatting
    and key order do not matter; the file is rewritten only when the content differs, and replaced
    atomically. A missing parent directory is created with mode C(0700).
  - The CA certificate, the client certificate and the client key are checked before anything is
    written, including that the key belongs to the certificate.
author:
  - kubemark collection developers (@kubemark)
requirements:
  - cryptography >= 42.0.0 on the managed host
  - PyYAML on the managed host
options:
  path:
    description:
      - The kubeconfig file to write.
    type: path
    required: true
  server:
    description:
      - URL of the kube-apiserver, such as C(https://10.0.0.10:6443).
    type: str
    required: true
  ca_cert_path:
    description:
      - Path on the managed host of the PEM CA certificate (or bundle) that signed the server's
        certificate, such as C(/etc/kubernetes/pki/ca.crt). Embedded as C(certificate-authority-data).
      - Exactly one of O(ca_cert_path) and O(ca_cert_data) is needed.
    type: path
  ca_cert_data:
    description:
      - The PEM text of the CA certificate, instead of O(ca_cert_path).
    type: str
  token:
    description:
      - Bearer token of the user, for example one returned by M(kubemark.kubemark.kubemark_known_tokens).
      - Exactly one of O(token) and O(client_cert_path) is needed.
    type: str
  client_cert_path:
    description:
      - Path on the managed host of the user's PEM client certificate. Embedded as
        C(client-certificate-data). Needs O(client_key_path).
    type: path
  client_key_path:
    description:
      - Path on the managed host of the PEM private key of O(client_cert_path). Embedded as
        C(client-key-data).
    type: path
  cluster_name:
    description:
      - Name of the cluster entry.
    type: str
    default: kubernetes
  user_name:
    description:
      - Name of the user entry. It is only a label in the file; the identity comes from the
        credentials.
    type: str
    required: true
  context_name:
    description:
      - Name of the context, which is also the current context. Defaults to C(USER_NAME@CLUSTER_NAME).
    type: str
  mode:
    description:
      - Mode of the file, as an octal string such as C('0600').
    type: raw
    default: '0600'
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change without writing it.
  diff_mode:
    support: full
    description: Shows the file before and after, with the token and the client key replaced by C(********).
notes:
  - Nothing secret is returned.
seealso:
  - module: kubemark.kubemark.kubemark_pki
  - module: kubemark.kubemark.kubemark_known_tokens
"""

EXAMPLES = r"""
- name: Write the admin kubeconfig from the PKI
  kubemark.kubemark.kubemark_kubeconfig:
    path: /etc/kubernetes/admin.conf
    server: https://10.0.0.10:6443
    ca_cert_path: /etc/kubernetes/pki/ca.crt
    client_cert_path: /etc/kubernetes/pki/admin.crt
    client_key_path: /etc/kubernetes/pki/admin.key
    user_name: kubernetes-admin

- name: Write a kubeconfig that authenticates with a token
  kubemark.kubemark.kubemark_kubeconfig:
    path: /etc/kubernetes/hollow-node.kubeconfig
    server: https://10.0.0.10:6443
    ca_cert_path: /etc/kubernetes/pki/ca.crt
    token: "{{ kubemark_known_tokens.tokens.kubelet }}"
    user_name: kubelet
    context_name: kubemark
    mode: '0640'
"""

RETURN = r"""
path:
  description: The kubeconfig file.
  returned: success
  type: str
  sample: /etc/kubernetes/admin.conf
context_name:
  description: The context written, which is the current context.
  returned: success
  type: str
  sample: kubernetes-admin@kubernetes
auth:
  description: How the user authenticates, V(token) or V(client-certificate).
  returned: success
  type: str
  sample: client-certificate
"""

import copy
import os
import re
import stat
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.kubemark.kubemark.plugins.module_utils import kubeconfig, pki
from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic

try:
    import yaml
except ImportError:
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None

MASK = '********'
SECRET_USER_FIELDS = ('token', 'client-key-data')
_OCTAL_MODE_RE = re.compile(r'^0?[0-7]{3,4}$')


class KubeconfigError(Exception):
    """The request or the files it names cannot make a working kubeconfig."""


def parse_mode(value):
    if isinstance(value, int) and not isinstance(value, bool):
        mode = value
    elif isinstance(value, str) and _OCTAL_MODE_RE.match(value.strip()):
        mode = int(value.strip(), 8)
    else:
        raise KubeconfigError('mode must be an octal string such as "0600", got %r' % (value,))
    if mode < 0 or mode > 0o7777:
        raise KubeconfigError('mode %r is out of range' % (value,))
    return mode


def _read(path, what):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except OSError as error:
        raise KubeconfigError('cannot read %s %s: %s' % (what, path, error))


def _check_certificates(data, what):
    try:
        certificates = pki.x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise KubeconfigError('%s is not a PEM certificate: %s' % (what, error))
    return certificates


def credentials(params):
    """Return (ca_data, user dict, auth) with every file read and checked."""
    if params['ca_cert_path'] is not None:
        ca_data = _read(params['ca_cert_path'], 'CA certificate')
        ca_what = 'CA certificate %s' % params['ca_cert_path']
    else:
        ca_data = params['ca_cert_data'].encode('utf-8')
        ca_what = 'ca_cert_data'
    _check_certificates(ca_data, ca_what)
    if params['token'] is not None:
        token = params['token']
        if token == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER':
            raise KubeconfigError('token is the placeholder Ansible puts in place of a secret, not a token: register '
                                  'the task that returns it with no_log: true to get the real value')
        if not token or any(char.isspace() for char in token):
            raise KubeconfigError('token must be non-empty and without white space')
        return ca_data, {'token': token}, 'token'
    cert_data = _read(params['client_cert_path'], 'client certificate')
    key_data = _read(params['client_key_path'], 'client key')
    certificate = _check_certificates(cert_data, 'client certificate %s' % params['client_cert_path'])[0]
    key, why = pki.load_key(key_data)
    if key is None:
        raise KubeconfigError('client key %s %s' % (params['client_key_path'], why))
    if pki.public_der(certificate.public_key()) != pki.public_der(key):
        raise KubeconfigError('client key %s does not belong to client certificate %s'
                              % (params['client_key_path'], params['client_cert_path']))
    return ca_data, kubeconfig.client_certificate_user(cert_data, key_data), 'client-certificate'


def _user_secrets(config):
    """Map (user name, field) to secret value for every secret field of a kubeconfig-like value."""
    found = {}
    if isinstance(config, dict) and isinstance(config.get('users'), list):
        for entry in config['users']:
            if isinstance(entry, dict) and isinstance(entry.get('user'), dict):
                for field in SECRET_USER_FIELDS:
                    if field in entry['user']:
                        found[(entry.get('name'), field)] = entry['user'][field]
    return found


def masked(config, compare_with=None):
    """A copy with every token and client key replaced by MASK, marked when it differs from compare_with."""
    result = copy.deepcopy(config)
    others = _user_secrets(compare_with) if compare_with is not None else None
    if isinstance(result, dict) and isinstance(result.get('users'), list):
        for entry in result['users']:
            if isinstance(entry, dict) and isinstance(entry.get('user'), dict):
                for field in SECRET_USER_FIELDS:
                    if field in entry['user']:
                        value = entry['user'][field]
                        changed = others is not None and others.get((entry.get('name'), field)) != value
                        entry['user'][field] = MASK + (' (changed)' if changed else '')
    return result


def dump(config):
    return yaml.safe_dump(config, default_flow_style=False, sort_keys=False)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            server=dict(type='str', required=True),
            ca_cert_path=dict(type='path'),
            ca_cert_data=dict(type='str'),
            token=dict(type='str', no_log=True),
            client_cert_path=dict(type='path'),
            client_key_path=dict(type='path', no_log=False),
            cluster_name=dict(type='str', default='kubernetes'),
            user_name=dict(type='str', required=True),
            context_name=dict(type='str'),
            mode=dict(type='raw', default='0600'),
        ),
        mutually_exclusive=[
            ('ca_cert_path', 'ca_cert_data'),
            ('token', 'client_cert_path'),
            ('token', 'client_key_path'),
        ],
        required_one_of=[
            ('ca_cert_path', 'ca_cert_data'),
            ('token', 'client_cert_path'),
        ],
        required_together=[('client_cert_path', 'client_key_path')],
        supports_check_mode=True,
    )
    if not pki.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=pki.CRYPTOGRAPHY_IMPORT_ERROR)
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=YAML_IMPORT_ERROR)

    params = module.params
    path = params['path']
    context_name = params['context_name'] or '%s@%s' % (params['user_name'], params['cluster_name'])
    try:
        mode = parse_mode(params['mode'])
        if not re.match(r'^https://[^\s/]+', params['server']):
            raise KubeconfigError('server must be an https:// URL, got %r' % (params['server'],))
        ca_data, user, auth = credentials(params)
        wanted = kubeconfig.build(params['server'], ca_data, user, params['cluster_name'], params['user_name'], context_name)
        if not module.no_log:
            module.no_log_values.update(value for value in _user_secrets(wanted).values())

        if os.path.isdir(path):
            raise KubeconfigError('%s is a directory' % path)
        existing_text = None
        existing = None
        current_mode = None
        if os.path.exists(path):
            existing_text = _read(path, 'kubeconfig').decode('utf-8', errors='replace')
            current_mode = stat.S_IMODE(os.stat(path).st_mode)
            try:
                existing = yaml.safe_load(existing_text)
            except yaml.YAMLError:
                existing = None
            if not module.no_log:
                # Short strings are left out: masking them would garble unrelated output.
                module.no_log_values.update(value for value in _user_secrets(existing).values()
                                            if isinstance(value, str) and len(value) >= 8)
        rewrite = existing != wanted
        mode_wrong = current_mode is not None and current_mode != mode
        if not module.check_mode:
            if rewrite:
                write_atomic(path, dump(wanted), mode, dir_mode=0o700)
            elif mode_wrong:
                os.chmod(path, mode)
    except KubeconfigError as error:
        module.fail_json(msg=str(error))
    except OSError as error:
        module.fail_json(msg='cannot write %s: %s' % (path, error))

    result = dict(changed=rewrite or mode_wrong, path=path, context_name=context_name, auth=auth)
    if module._diff:
        if existing_text is None:
            before = ''
        elif isinstance(existing, dict):
            before = '# mode %04o\n' % current_mode + dump(masked(existing))
        else:
            before = '# mode %04o\n# not a kubeconfig (%d characters not shown)\n' % (current_mode, len(existing_text))
        after = '# mode %04o\n' % mode + dump(masked(wanted, compare_with=existing))
        result['diff'] = dict(before=before, after=after, before_header=path, after_header=path)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
