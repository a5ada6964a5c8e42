#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_pki
short_description: Maintain the whole PKI directory of a kubemark master in one call
version_added: 0.1.0
description:
  - Creates and keeps up to date every key and certificate a kubeadm-like control plane needs, in
    one directory, in one task.
  - "CAs: C(ca.crt)/C(ca.key) (CN C(kubernetes)), C(front-proxy-ca.crt)/C(.key) and
    C(etcd/ca.crt)/C(.key)."
  - "Serving certificates: C(apiserver) (SANs from O(apiserver_sans)), C(etcd/server) and
    C(etcd/peer) (SANs from O(etcd_sans), server and client auth)."
  - "Client certificates: C(apiserver-kubelet-client) (O=system:masters), C(front-proxy-client),
    C(apiserver-etcd-client), C(admin) (CN=kubernetes-admin, O=system:masters),
    C(kube-controller-manager) (CN=system:kube-controller-manager), C(kube-scheduler)
    (CN=system:kube-scheduler), C(kube-proxy) (CN=system:kube-proxy), C(kwok-controller)
    (CN=kubemark:kwok-controller, the kwok controllers of kwok mode) and C(kubelet-client-NODE)
    (CN=system:node:NODE, O=system:nodes) for every entry of O(node_names)."
  - "With O(component_sans), serving certificates from C(ca) for kube-controller-manager and
    kube-scheduler: C(kube-controller-manager-serving) (CN=kube-controller-manager) and
    C(kube-scheduler-serving) (CN=kube-scheduler), server auth, SANs from O(component_sans).
    Without them, both components serve a self-signed certificate clients cannot verify."
  - "The service-account signing key pair C(sa.key)/C(sa.pub)."
  - Every run reads what exists and compares it with what is asked, the way
    C(community.crypto.x509_certificate) does. A leaf certificate is reissued when it is missing or
    unreadable, does not match its key, is not signed by the current CA, has another subject, other
    SANs or another extended key usage, or expires within O(renew_before_days). Its key is kept
    unless it is missing, unreadable or not of O(key_type).
  - Changing O(validity_days) alone does not reissue anything; the new validity applies the next time
    a certificate is issued.
  - The CAs and the service-account key are never replaced unless O(rotate_ca=true). A missing,
    unreadable, mismatched or expired CA is an error that names the fix, never a silent new CA.
  - Keys are written with mode C(0600), certificates and C(sa.pub) with C(0644), directories with
    C(0700); every file is replaced atomically. Modes that differ are corrected.
author:
  - kubemark collection developers (@kubemark)
requirements:
  - cryptography >= 42.0.0 on the managed host
options:
  path:
    description:
      - The PKI directory, for example C(/etc/kubernetes/pki). It is created when missing.
    type: path
    required: true
  apiserver_sans:
    description:
      - IP addresses and DNS names of the kube-apiserver serving certificate.
      - Nothing is added implicitly. List the master's addresses, its public address, the first IP of
        the service CIDR, C(kubernetes), C(kubernetes.default), C(kubernetes.default.svc),
        C(kubernetes.default.svc.CLUSTER_DOMAIN), C(localhost) and C(127.0.0.1).
      - The order does not matter and duplicates are ignored.
    type: list
    elements: str
    required: true
  etcd_sans:
    description:
      - IP addresses and DNS names of the etcd server and peer certificates.
    type: list
    elements: str
    default: [localhost, 127.0.0.1, '::1']
  component_sans:
    description:
      - IP addresses and DNS names of the serving certificates of kube-controller-manager (secure port 10257) and
        kube-scheduler (secure port 10259), issued by C(ca) so that clients (metrics scrapers) verify them with the
        cluster CA.
      - Nothing is added implicitly. List the master's addresses and names clients use, C(localhost) and C(127.0.0.1).
      - Empty (the default) issues no such certificates; emptying it later leaves existing files in place.
      - Changing the list reissues both certificates with their existing keys; the CAs are never touched.
    type: list
    elements: str
    default: []
  node_names:
    description:
      - Node names that get a kubelet client certificate C(kubelet-client-NODE.crt)
        (CN=system:node:NODE, O=system:nodes), normally the master's own node name.
      - Removing a name leaves its files in place.
    type: list
    elements: str
    default: []
  key_type:
    description:
      - Type of newly generated keys.
      - C(ecdsa-p256) is the default because the kube-apiserver of a kubemark cluster completes a TLS
        handshake for every hollow node, and a P-256 signature costs a fraction of an RSA-2048 one;
        every Kubernetes component and etcd accept P-256 keys, and kubeadm offers the same choice.
      - Changing it regenerates the leaf keys. The CAs and the service-account key keep their type
        until they are rotated.
    type: str
    choices: [ecdsa-p256, rsa-2048]
    default: ecdsa-p256
  validity_days:
    description:
      - Validity of newly issued leaf certificates, in days. Must exceed O(renew_before_days).
    type: int
    default: 365
  ca_validity_days:
    description:
      - Validity of newly created CA certificates, in days.
    type: int
    default: 3650
  renew_before_days:
    description:
      - A leaf certificate that expires within this many days is reissued.
      - A CA that expires within this many days only produces a warning.
    type: int
    default: 30
  rotate_ca:
    description:
      - Create new CAs and a new service-account key pair, and reissue every certificate (leaf keys are
        kept).
      - This is a one-off action. Every run with O(rotate_ca=true) rotates again, so pass it for one
        run only, for example with C(-e).
      - New CAs invalidate every kubeconfig and certificate issued by the old ones; a new
        service-account key invalidates every service-account token already issued.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would be created or renewed, and why, without generating or writing anything.
  diff_mode:
    support: full
    description: Lists the files that are created or renewed with the reasons; never key material.
notes:
  - Nothing secret is returned. Key files stay on the managed host.
  - Files of this module are owned by the user the module runs as.
seealso:
  - module: kubemark.kubemark.kubemark_kubeconfig
  - module: kubemark.kubemark.kubemark_known_tokens
  - module: community.crypto.x509_certificate
"""

EXAMPLES = r"""
- name: Maintain the PKI of the kubemark master
  kubemark.kubemark.kubemark_pki:
    path: /etc/kubernetes/pki
    apiserver_sans:
      - 10.0.0.10
      - 203.0.113.7
      - 10.96.0.1
      - kubemark-master
      - kubernetes
      - kubernetes.default
      - kubernetes.default.svc
      - kubernetes.default.svc.cluster.local
      - localhost
      - 127.0.0.1
    etcd_sans: [localhost, 127.0.0.1, 10.0.0.10, kubemark-master]
    node_names: [kubemark-master]
    component_sans: [10.0.0.10, kubemark-master, localhost, 127.0.0.1]
  register: kubemark_pki

- name: Show what would be renewed, without writing
  kubemark.kubemark.kubemark_pki:
    path: /etc/kubernetes/pki
    apiserver_sans: [10.0.0.10, kubernetes, localhost, 127.0.0.1]
    renew_before_days: 60
  check_mode: true
  diff: true

- name: Rotate every CA once (all kubeconfigs must be rewritten afterwards)
  kubemark.kubemark.kubemark_pki:
    path: /etc/kubernetes/pki
    apiserver_sans: [10.0.0.10, kubernetes, localhost, 127.0.0.1]
    rotate_ca: true
"""

RETURN = r"""
created:
  description: Files created by this run (or that would be, in check mode), relative to O(path).
  returned: success
  type: list
  elements: str
  sample: [ca.key, ca.crt, apiserver.key, apiserver.crt]
renewed:
  description: Files replaced by this run (or that would be, in check mode), with the reasons.
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The file, relative to O(path).
      type: str
    reasons:
      description: Why it is replaced.
      type: list
      elements: str
  sample:
    - path: apiserver.crt
      reasons: ["SANs change: adds IP:10.0.0.11"]
permissions_fixed:
  description: Existing files and directories whose mode was corrected.
  returned: success
  type: list
  elements: str
  sample: [/etc/kubernetes/pki/admin.key]
ca_fingerprint:
  description:
    - SHA-256 fingerprint of C(ca.crt), as C(openssl x509 -fingerprint -sha256) prints it.
    - V(null) in check mode when the CA would be created or rotated.
  returned: success
  type: str
  sample: "5E:3A:...:9C"
ca_fingerprints:
  description: SHA-256 fingerprints of the three CAs, by name; V(null) as for RV(ca_fingerprint).
  returned: success
  type: dict
  sample: {"ca": "5E:3A:...:9C", "front-proxy-ca": "11:02:...:7D", "etcd/ca": "A0:4B:...:E2"}
certificates:
  description:
    - Every CA and leaf certificate by name, with its certificate and key paths, the name of its CA
      and its expiry.
    - In check mode RV(certificates.not_after) is that of the existing file.
  returned: success
  type: dict
  sample:
    admin:
      cert: /etc/kubernetes/pki/admin.crt
      key: /etc/kubernetes/pki/admin.key
      ca: ca
      not_after: "2027-11-23T11:00:00Z"
  contains:
    cert:
      description: Path of the certificate.
      type: str
    key:
      description: Path of the private key.
      type: str
    ca:
      description: Name of the issuing CA (a CA names itself).
      type: str
    not_after:
      description: Expiry in UTC, or V(null) when the certificate does not exist yet.
      type: str
service_account_key:
  description: Paths of the service-account signing key pair.
  returned: success
  type: dict
  sample: {"key": /etc/kubernetes/pki/sa.key, "pub": /etc/kubernetes/pki/sa.pub}
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.kubemark.kubemark.plugins.module_utils import pki


def _diff(plan):
    before = []
    after = []
    for change in plan.changes():
        path = plan.file_path(change.relpath)
        if change.action == 'create':
            before.append('%s: absent' % path)
            after.append('%s: created' % path)
        else:
            if change.relpath.endswith('.key'):
                before.append('%s: present' % path)
            else:
                before.append('%s: %s' % (path, change.before or 'present'))
            after.append('%s: renewed (%s)' % (path, '; '.join(change.reasons)))
    for path, wanted, current in plan.mode_fixes:
        before.append('%s: mode %04o' % (path, current))
        after.append('%s: mode %04o' % (path, wanted))
    for path in plan.dirs_to_create:
        before.append('%s/: absent' % path)
        after.append('%s/: created (mode %04o)' % (path, pki.DIR_MODE))
    return dict(before='\n'.join(before) + '\n' if before else '',
                after='\n'.join(after) + '\n' if after else '',
                before_header=plan.path, after_header=plan.path)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            apiserver_sans=dict(type='list', elements='str', required=True),
            etcd_sans=dict(type='list', elements='str', default=['localhost', '127.0.0.1', '::1']),
            node_names=dict(type='list', elements='str', default=[]),
            component_sans=dict(type='list', elements='str', default=[]),
            key_type=dict(type='str', choices=list(pki.KEY_TYPES), default=pki.DEFAULT_KEY_TYPE),
            validity_days=dict(type='int', default=365),
            ca_validity_days=dict(type='int', default=3650),
            renew_before_days=dict(type='int', default=30),
            rotate_ca=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    if not pki.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=pki.CRYPTOGRAPHY_IMPORT_ERROR)

    params = module.params
    try:
        cas, leaves = pki.cluster_specs(params['apiserver_sans'], params['etcd_sans'], params['node_names'],
                                        params['component_sans'])
        plan = pki.plan(params['path'], cas, leaves, key_type=params['key_type'],
                        validity_days=params['validity_days'], ca_validity_days=params['ca_validity_days'],
                        renew_before_days=params['renew_before_days'], rotate=params['rotate_ca'])
        diff = _diff(plan)
        if plan.changed and not module.check_mode:
            pki.apply(plan)
    except pki.PkiError as error:
        module.fail_json(msg=str(error))

    for warning in plan.warnings:
        module.warn(warning)
    changes = plan.changes()
    fingerprints = pki.ca_fingerprints(plan)
    certificates, service_account = pki.inventory(plan)
    result = dict(
        changed=plan.changed,
        created=[change.relpath for change in changes if change.action == 'create'],
        renewed=[change.as_dict() for change in changes if change.action == 'renew'],
        permissions_fixed=[path for path, _wanted, _current in plan.mode_fixes],
        ca_fingerprint=fingerprints['ca'],
        ca_fingerprints=fingerprints,
        certificates=certificates,
        service_account_key=service_account,
    )
    if module._diff:
        result['diff'] = diff
    module.exit_json(**result)


if __name__ == '__main__':
    main()
