#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_node_credentials
short_description: Keep one kubelet client certificate per node name, issued by the cluster CA
version_added: 0.2.0
description:
  - Writes, for every name of O(names), a self-contained kubeconfig C(<name>.kubeconfig) in
    O(path) whose client certificate is issued by the cluster CA to C(system:node:<name>) in group
    C(system:nodes), the identity of a real kubelet, which the API server's Node authorizer and
    NodeRestriction admission plugin confine to its own node.
  - A kubeconfig that already holds a certificate of the CA for that name, valid for more than
    O(renew_before_days), for the same O(server) and O(cluster_name), is kept as it is; otherwise a
    new key and certificate replace it.
  - With O(prune), every other C(*.kubeconfig) in O(path) is removed (the nodes that went away).
    Kubernetes has no revocation for client certificates. A removed one stays valid until it
    expires (O(validity_days)); only rotating the CA ends it at once.
  - One call handles every node (thousands take seconds); files have mode C(0600) in a directory
    of mode C(0700).
author:
  - kubemark collection developers (@kubemark)
requirements:
  - cryptography >= 42.0.0
  - PyYAML
options:
  path:
    description: Directory of the kubeconfigs on the control host.
    type: path
    required: true
  names:
    description: Node names (lower-case DNS-1123 subdomains).
    type: list
    elements: str
    required: true
  ca_cert:
    description: The cluster CA's certificate (PEM).
    type: path
    required: true
  ca_key:
    description: The cluster CA's private key (PEM).
    type: path
    required: true
  server:
    description: API server URL the kubeconfigs name.
    type: str
    required: true
  cluster_name:
    description: Cluster name in the kubeconfigs.
    type: str
    default: kubernetes
  key_type:
    description: Key type of new client keys.
    type: str
    choices: [ecdsa-p256, rsa-2048]
    default: ecdsa-p256
  validity_days:
    description: Validity of new certificates.
    type: int
    default: 365
  renew_before_days:
    description: Renew a certificate that expires within this many days.
    type: int
    default: 30
  prune:
    description: Remove the kubeconfigs of names not in O(names).
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Reports what would be issued and removed without writing anything.
  diff_mode:
    support: none
    description: Nothing is shown as a difference.
  idempotent:
    support: full
    description: A second run with the same options keeps every kubeconfig.
notes:
  - Run it on the control host, which holds the CA key; copy the kubeconfigs to where the kubelets run.
seealso:
  - module: kubemark.kubemark.kubemark_pki
  - module: kubemark.kubemark.kubemark_kubeconfig
"""

EXAMPLES = r"""
- name: Issue the hollow kubelets' identities
  kubemark.kubemark.kubemark_node_credentials:
    path: "{{ lookup('ansible.builtin.env', 'HOME') }}/.local/share/kubemark/kubemark/hollow-nodes/kubemark-hollow-1"
    names: [hollow-kubemark-hollow-1-1, hollow-kubemark-hollow-1-2]
    ca_cert: "{{ lookup('ansible.builtin.env', 'HOME') }}/.local/share/kubemark/kubemark/pki/ca.crt"
    ca_key: "{{ lookup('ansible.builtin.env', 'HOME') }}/.local/share/kubemark/kubemark/pki/ca.key"
    server: https://10.199.0.10:6443
    cluster_name: kubemark
"""

RETURN = r"""
issued:
  description: Names that got a new certificate (new nodes, renewals, replaced files).
  returned: always
  type: list
  elements: str
removed:
  description: Names whose kubeconfig was removed (O(prune)).
  returned: always
  type: list
  elements: str
kept:
  description: Number of kubeconfigs kept as they were.
  returned: always
  type: int
files:
  description: Path of the kubeconfig of every name.
  returned: always
  type: dict
"""

import datetime
import os
import re
import stat
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.kubemark.kubemark.plugins.module_utils import _files, kubeconfig, pki

try:
    import yaml
    _LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    _DUMPER = getattr(yaml, 'CSafeDumper', yaml.SafeDumper)
except ImportError:
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None

SUFFIX = '.kubeconfig'
FILE_MODE = 0o600
NODES_GROUP = 'system:nodes'
_NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')


def user_name(node):
    return 'system:node:%s' % node


def _current(path, node, ca_cert, ca_pem, server, cluster_name, now, renew_before):
    """True when the kubeconfig at path already carries a good identity for node."""
    try:
        with open(path, 'rb') as handle:
            config = yaml.load(handle, Loader=_LOADER)
    except (OSError, yaml.YAMLError):
        return False
    if kubeconfig.single_entry(config, 'clusters', 'server') != server \
            or kubeconfig.decoded(config, 'clusters', 'certificate-authority-data') != ca_pem \
            or not isinstance(config.get('clusters'), list) or config['clusters'][0].get('name') != cluster_name:
        return False
    cert_pem = kubeconfig.decoded(config, 'users', 'client-certificate-data')
    key_pem = kubeconfig.decoded(config, 'users', 'client-key-data')
    if not cert_pem or not key_pem:
        return False
    cert, dummy_why = pki.load_cert(cert_pem)
    if cert is None:
        return False
    key, dummy_why = pki.load_key(key_pem)
    if key is None or pki.public_der(cert.public_key()) != pki.public_der(key):
        return False
    if cert.subject != pki.subject_name(user_name(node), (NODES_GROUP,)) or not pki.signed_by(cert, ca_cert):
        return False
    return pki.not_valid_after(cert) - now > renew_before


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            names=dict(type='list', elements='str', required=True),
            ca_cert=dict(type='path', required=True),
            ca_key=dict(type='path', required=True, no_log=False),
            server=dict(type='str', required=True),
            cluster_name=dict(type='str', default='kubernetes'),
            key_type=dict(type='str', choices=list(pki.KEY_TYPES), default=pki.DEFAULT_KEY_TYPE),
            validity_days=dict(type='int', default=365),
            renew_before_days=dict(type='int', default=30),
            prune=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    if not pki.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=pki.CRYPTOGRAPHY_IMPORT_ERROR)
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=YAML_IMPORT_ERROR)
    params = module.params
    directory = params['path']
    names = params['names']
    bad = [name for name in names if len(name) > 253 or not _NAME_RE.match(name)]
    if bad:
        module.fail_json(msg='names: %s are not valid node names (lower-case DNS-1123 subdomains)' % ', '.join(bad[:5]))
    duplicates = sorted(set(name for name in names if names.count(name) > 1)) if len(set(names)) != len(names) else []
    if duplicates:
        module.fail_json(msg='names: %s listed more than once' % ', '.join(duplicates[:5]))
    if not params['server'].startswith('https://'):
        module.fail_json(msg='server must be an https:// URL, got %r' % params['server'])
    if params['validity_days'] <= params['renew_before_days'] or params['renew_before_days'] < 0:
        module.fail_json(msg='validity_days (%d) must be above renew_before_days (%d), which must not be negative'
                         % (params['validity_days'], params['renew_before_days']))
    try:
        with open(params['ca_cert'], 'rb') as handle:
            ca_pem = handle.read()
        with open(params['ca_key'], 'rb') as handle:
            ca_key, key_why = pki.load_key(handle.read())
    except OSError as error:
        module.fail_json(msg='cannot read the cluster CA (%s, %s): %s' % (params['ca_cert'], params['ca_key'], error))
    ca_cert, cert_why = pki.load_cert(ca_pem)
    if ca_cert is None or ca_key is None:
        module.fail_json(msg='the cluster CA is unusable: %s %s' % (
            params['ca_cert'] if ca_cert is None else params['ca_key'], cert_why or key_why))
    if pki.public_der(ca_cert.public_key()) != pki.public_der(ca_key):
        module.fail_json(msg='ca_key %s does not belong to ca_cert %s' % (params['ca_key'], params['ca_cert']))

    now = datetime.datetime.now(datetime.timezone.utc)
    renew_before = datetime.timedelta(days=params['renew_before_days'])
    wanted = set(names)
    existing = set()
    if os.path.isdir(directory):
        existing = set(entry[:-len(SUFFIX)] for entry in os.listdir(directory) if entry.endswith(SUFFIX))
    files = dict((name, os.path.join(directory, name + SUFFIX)) for name in names)
    issued = [name for name in names if name not in existing or not _current(
        files[name], name, ca_cert, ca_pem, params['server'], params['cluster_name'], now, renew_before)]
    removed = sorted(existing - wanted) if params['prune'] else []
    modes_wrong = [name for name in names if name in existing and name not in issued
                   and stat.S_IMODE(os.stat(files[name]).st_mode) != FILE_MODE]
    changed = bool(issued or removed or modes_wrong)
    if changed and not module.check_mode:
        try:
            _files.make_dirs(directory, 0o700)
            for name in issued:
                key = pki.generate_key(params['key_type'])
                spec = pki.LeafSpec(name, 'ca', user_name(name), (NODES_GROUP,), frozenset([pki.CLIENT]), ())
                cert = pki.issue_leaf(spec, key, ca_cert, ca_key, params['validity_days'], now=now)
                config = kubeconfig.build(params['server'], ca_pem,
                                          kubeconfig.client_certificate_user(pki.cert_pem(cert), pki.key_pem(key)),
                                          params['cluster_name'], user_name(name))
                _files.write_atomic(files[name], yaml.dump(config, Dumper=_DUMPER, sort_keys=False), FILE_MODE)
            for name in modes_wrong:
                os.chmod(files[name], FILE_MODE)
            for name in removed:
                os.unlink(os.path.join(directory, name + SUFFIX))
        except (OSError, pki.PkiError) as error:
            module.fail_json(msg='cannot write the kubeconfigs in %s: %s' % (directory, error))
    module.exit_json(changed=changed, issued=issued, removed=removed, kept=len(names) - len(issued), files=files)


if __name__ == '__main__':
    main()
