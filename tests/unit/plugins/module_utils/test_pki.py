# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The planning and writing helpers of module_utils/pki.py, without the module around them."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.kubemark.kubemark.plugins.module_utils import pki

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)


def _specs(api=('10.0.0.10', 'kubernetes'), etcd=('localhost',), nodes=()):
    return pki.cluster_specs(list(api), list(etcd), list(nodes))


def test_parse_sans_normalises_and_deduplicates():
    parsed = pki.parse_sans(['Kubernetes.Default.', '10.0.0.1', '::1', '0:0:0:0:0:0:0:1', 'kubernetes.default', ' 10.0.0.1 '],
                            'opt')
    assert parsed == (('dns', 'kubernetes.default'), ('ip', '10.0.0.1'), ('ip', '::1'))


@pytest.mark.parametrize('entry', ['', 'under_score', '-lead.example', 'a..b', 'x' * 64, 'spa ce', '*.wild'])
def test_parse_sans_rejects_what_is_neither_ip_nor_dns(entry):
    with pytest.raises(pki.PkiError, match='neither an IP address nor a valid DNS name'):
        pki.parse_sans([entry], 'apiserver_sans')


def test_cluster_specs_lists_the_kubeadm_like_set():
    cas, leaves = _specs(nodes=['master-0'])
    assert [ca.name for ca in cas] == ['ca', 'front-proxy-ca', 'etcd/ca']
    by_name = dict((leaf.name, leaf) for leaf in leaves)
    assert sorted(by_name) == sorted([
        'apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'etcd/server', 'etcd/peer',
        'apiserver-etcd-client', 'admin', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'kwok-controller',
        'kubelet-client-master-0'])
    assert by_name['kubelet-client-master-0'].common_name == 'system:node:master-0'
    assert by_name['kubelet-client-master-0'].organizations == ('system:nodes',)
    assert by_name['admin'].organizations == ('system:masters',)
    assert by_name['apiserver'].usages == frozenset([pki.SERVER])
    assert by_name['etcd/peer'].usages == frozenset([pki.SERVER, pki.CLIENT])
    assert by_name['front-proxy-client'].ca == 'front-proxy-ca'
    assert by_name['apiserver-etcd-client'].ca == 'etcd/ca'


def test_component_serving_certificates_only_with_component_sans():
    _cas, leaves = _specs()
    assert not [leaf for leaf in leaves if leaf.name.endswith('-serving')]

    _cas, leaves = pki.cluster_specs(['10.0.0.10'], ['localhost'], [], ['LocalHost', '127.0.0.1', '10.0.0.10', '127.0.0.1'])
    by_name = dict((leaf.name, leaf) for leaf in leaves)
    for name, common_name in (('kube-scheduler-serving', 'kube-scheduler'),
                              ('kube-controller-manager-serving', 'kube-controller-manager')):
        assert by_name[name].ca == 'ca'
        assert by_name[name].common_name == common_name
        assert by_name[name].organizations == ()
        assert by_name[name].usages == frozenset([pki.SERVER])
        assert by_name[name].sans == (('dns', 'localhost'), ('ip', '10.0.0.10'), ('ip', '127.0.0.1'))
    # The client certificates of the same components are unchanged.
    assert by_name['kube-scheduler'].usages == frozenset([pki.CLIENT])


def test_component_sans_are_validated():
    with pytest.raises(pki.PkiError, match='component_sans'):
        pki.cluster_specs(['10.0.0.10'], ['localhost'], [], ['not a name'])


def test_plan_reads_only(tmp_path):
    cas, leaves = _specs()
    target = tmp_path / 'pki'

    result = pki.plan(str(target), cas, leaves, now=NOW)

    assert not target.exists()
    assert result.changed
    assert result.dirs_to_create == [str(target), str(target / 'etcd')]
    assert all(change.action == 'create' and change.reasons == ['missing'] for change in result.changes())
    assert pki.ca_fingerprints(result) == {'ca': None, 'front-proxy-ca': None, 'etcd/ca': None}


def test_apply_then_plan_again_is_empty(tmp_path):
    cas, leaves = _specs()
    target = str(tmp_path / 'pki')
    pki.apply(pki.plan(target, cas, leaves, now=NOW), now=NOW)

    again = pki.plan(target, cas, leaves, now=NOW + datetime.timedelta(days=300))

    assert not again.changed and again.changes() == []
    expiring = pki.plan(target, cas, leaves, now=NOW + datetime.timedelta(days=340))
    assert sorted(change.relpath for change in expiring.changes()) == sorted(leaf.name + '.crt' for leaf in leaves)
    assert all(change.reasons[0].startswith('expires on 2027-11-23') for change in expiring.changes())


def test_a_certificate_from_the_future_is_reissued(tmp_path):
    cas, leaves = _specs()
    target = str(tmp_path / 'pki')
    pki.apply(pki.plan(target, cas, leaves, now=NOW + datetime.timedelta(days=2)), now=NOW + datetime.timedelta(days=2))

    # Read back one day "earlier": the CAs are from the future as well; only leaves are judged on it.
    result = pki.plan(target, cas, leaves, now=NOW + datetime.timedelta(days=1))

    reasons = dict((change.relpath, change.reasons) for change in result.changes())
    assert sorted(reasons) == sorted(leaf.name + '.crt' for leaf in leaves)
    assert reasons['admin.crt'][0].startswith('not valid before 2026-11-25')


def test_validity_must_exceed_the_renewal_window(tmp_path):
    cas, leaves = _specs()
    with pytest.raises(pki.PkiError, match=r'validity_days \(10\) must be greater than renew_before_days \(30\)'):
        pki.plan(str(tmp_path), cas, leaves, validity_days=10)
    with pytest.raises(pki.PkiError, match=r'ca_validity_days \(20\)'):
        pki.plan(str(tmp_path), cas, leaves, ca_validity_days=20)


@pytest.mark.parametrize('key_type, cls', [('ecdsa-p256', ec.EllipticCurvePrivateKey), ('rsa-2048', rsa.RSAPrivateKey)])
def test_generated_keys_and_certificates(key_type, cls):
    ca_key = pki.generate_key(key_type)
    assert isinstance(ca_key, cls) and pki.key_type_of(ca_key) == key_type
    ca = pki.issue_ca(ca_key, 'kubernetes', 3650, now=NOW)
    spec = dict((leaf.name, leaf) for leaf in _specs()[1])['apiserver']
    key = pki.generate_key(key_type)

    leaf = pki.issue_leaf(spec, key, ca, ca_key, 365, now=NOW)

    leaf.verify_directly_issued_by(ca)
    assert leaf.not_valid_before_utc == NOW - pki.BACKDATE
    assert leaf.not_valid_after_utc == NOW + datetime.timedelta(days=365)
    assert pki.cert_sans(leaf) == spec.sans
    assert pki.cert_usages(leaf) == frozenset([pki.SERVER])
    aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    assert aki == ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert pki.load_key(pki.key_pem(key))[0] is not None
    assert pki.load_cert(pki.cert_pem(leaf))[0] == leaf


def test_load_helpers_explain_what_is_wrong():
    assert pki.load_key(b'nonsense')[1].startswith('cannot be parsed as an unencrypted PEM private key')
    assert pki.load_cert(b'nonsense')[1].startswith('cannot be parsed as a PEM certificate')
