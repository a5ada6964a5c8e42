# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_pki on real directories, checked with cryptography and the openssl command line."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import shutil
import stat
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args
from ansible_collections.kubemark.kubemark.plugins.module_utils import pki
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_pki

API_SANS = ['10.0.0.10', '203.0.113.7', '10.96.0.1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
            'kubernetes.default.svc.cluster.local', 'localhost', '127.0.0.1']
ETCD_SANS = ['localhost', '127.0.0.1', '::1', '10.0.0.10']
CAS = ['ca', 'front-proxy-ca', 'etcd/ca']
LEAVES = {
    # name: (CA, subject in RFC 4514 form, extended key usages, SANs option)
    'apiserver': ('ca', 'CN=kube-apiserver', {'server'}, 'apiserver_sans'),
    'apiserver-kubelet-client': ('ca', 'CN=kube-apiserver-kubelet-client,O=system:masters', {'client'}, None),
    'front-proxy-client': ('front-proxy-ca', 'CN=front-proxy-client', {'client'}, None),
    'etcd/server': ('etcd/ca', 'CN=kube-etcd', {'server', 'client'}, 'etcd_sans'),
    'etcd/peer': ('etcd/ca', 'CN=kube-etcd-peer', {'server', 'client'}, 'etcd_sans'),
    'apiserver-etcd-client': ('etcd/ca', 'CN=kube-apiserver-etcd-client', {'client'}, None),
    'admin': ('ca', 'CN=kubernetes-admin,O=system:masters', {'client'}, None),
    'kube-controller-manager': ('ca', 'CN=system:kube-controller-manager', {'client'}, None),
    'kube-scheduler': ('ca', 'CN=system:kube-scheduler', {'client'}, None),
    'kube-proxy': ('ca', 'CN=system:kube-proxy', {'client'}, None),
    'kwok-controller': ('ca', 'CN=kubemark:kwok-controller', {'client'}, None),
    'kubelet-client-kubemark-master': ('ca', 'CN=system:node:kubemark-master,O=system:nodes', {'client'}, None),
}
ALL_FILES = sorted([name + ext for name in CAS + list(LEAVES) for ext in ('.crt', '.key')] + ['sa.key', 'sa.pub'])


@pytest.fixture
def run():
    """Run the module's main() for real and return the JSON it prints, as Ansible would receive it.

    Nothing of AnsibleModule is replaced, so no_log masking and check mode work as on a host.
    """
    def _run(args, check_mode=False, diff=False):
        ansible_warnings._global_warnings.clear()
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        output = io.StringIO()
        with patch_module_args(module_args), contextlib.redirect_stdout(output):
            with pytest.raises(SystemExit):
                kubemark_pki.main()
        result = json.loads(output.getvalue())
        result['raw_output'] = output.getvalue()
        result['warning_messages'] = [w if isinstance(w, str) else w['event']['msg'] for w in result.get('warnings', [])]
        return result
    return _run


@pytest.fixture
def pki_dir(tmp_path):
    return tmp_path / 'pki'


@pytest.fixture
def args(pki_dir):
    return dict(path=str(pki_dir), apiserver_sans=list(API_SANS), etcd_sans=list(ETCD_SANS),
                node_names=['kubemark-master'])


def _snapshot(directory):
    """Bytes of every regular file under directory, by relative path."""
    found = {}
    for root, _dirs, files in os.walk(str(directory)):
        for name in files:
            full = os.path.join(root, name)
            found[os.path.relpath(full, str(directory))] = open(full, 'rb').read()
    return found


def _cert(directory, name):
    return x509.load_pem_x509_certificate((directory / (name + '.crt')).read_bytes())


def _changed_files(before, after):
    return sorted(name for name in after if before.get(name) != after[name])


def _openssl_verify(ca_file, cert_file, purpose):
    process = subprocess.run(['openssl', 'verify', '-purpose', purpose, '-CAfile', str(ca_file), str(cert_file)],
                             capture_output=True, text=True, check=False)
    return process.returncode, process.stdout + process.stderr


def _assert_leaves_verify(directory):
    for name, (ca, _subject, usages, _sans) in LEAVES.items():
        for usage in usages:
            purpose = 'sslserver' if usage == 'server' else 'sslclient'
            code, output = _openssl_verify(directory / (ca + '.crt'), directory / (name + '.crt'), purpose)
            assert code == 0 and output.strip().endswith(': OK'), (name, purpose, output)


def test_first_run_creates_everything_then_nothing_changes(run, args, pki_dir):
    first = run(args)

    assert first['changed'] is True
    assert sorted(first['created']) == ALL_FILES
    assert first['renewed'] == [] and first['permissions_fixed'] == []
    assert sorted(_snapshot(pki_dir)) == ALL_FILES, 'only the PKI files, no temporary files left behind'
    for name in ALL_FILES:
        mode = stat.S_IMODE(os.stat(str(pki_dir / name)).st_mode)
        assert mode == (0o600 if name.endswith('.key') else 0o644), name
    for directory in (pki_dir, pki_dir / 'etcd'):
        assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    openssl = subprocess.run(['openssl', 'x509', '-noout', '-fingerprint', '-sha256', '-in', str(pki_dir / 'ca.crt')],
                             capture_output=True, text=True, check=True).stdout
    assert openssl.strip().split('=', 1)[1] == first['ca_fingerprint']
    assert first['ca_fingerprints']['ca'] == first['ca_fingerprint']
    assert set(first['ca_fingerprints']) == set(CAS)
    assert first['certificates']['admin'] == dict(cert=str(pki_dir / 'admin.crt'), key=str(pki_dir / 'admin.key'),
                                                  ca='ca', not_after=first['certificates']['admin']['not_after'])
    assert first['certificates']['etcd/peer']['ca'] == 'etcd/ca'
    assert first['service_account_key'] == dict(key=str(pki_dir / 'sa.key'), pub=str(pki_dir / 'sa.pub'))
    assert 'PRIVATE KEY' not in first['raw_output']
    before = _snapshot(pki_dir)

    second = run(args, diff=True)

    assert second['changed'] is False
    assert (second['created'], second['renewed'], second['permissions_fixed']) == ([], [], [])
    assert second['ca_fingerprint'] == first['ca_fingerprint']
    assert second['diff']['before'] == second['diff']['after'] == ''
    assert _snapshot(pki_dir) == before


def test_every_leaf_verifies_with_openssl_and_has_the_asked_subject_sans_and_usage(run, args, pki_dir):
    run(args)

    _assert_leaves_verify(pki_dir)
    for name, (ca, subject, usages, sans_option) in LEAVES.items():
        cert = _cert(pki_dir, name)
        assert cert.subject.rfc4514_string() == subject, name
        assert cert.issuer == _cert(pki_dir, ca).subject
        eku = set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
        wanted = set()
        if 'server' in usages:
            wanted.add(ExtendedKeyUsageOID.SERVER_AUTH)
        if 'client' in usages:
            wanted.add(ExtendedKeyUsageOID.CLIENT_AUTH)
        assert eku == wanted, name
        assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
        if sans_option:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            got = set(san.get_values_for_type(x509.DNSName)) | set(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
            assert got == set(args[sans_option]), name
        else:
            with pytest.raises(x509.ExtensionNotFound):
                cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey) and cert.public_key().curve.name == 'secp256r1'
    for ca in CAS:
        cert = _cert(pki_dir, ca)
        assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
        assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign is True
        validity = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert datetime.timedelta(days=3650) <= validity <= datetime.timedelta(days=3650, minutes=6)
    leaf_validity = _cert(pki_dir, 'admin').not_valid_after_utc - _cert(pki_dir, 'admin').not_valid_before_utc
    assert datetime.timedelta(days=365) <= leaf_validity <= datetime.timedelta(days=365, minutes=6)
    # The service-account public key is the public half of sa.key.
    process = subprocess.run(['openssl', 'pkey', '-in', str(pki_dir / 'sa.key'), '-pubout'],
                             capture_output=True, text=True, check=True)
    assert process.stdout == (pki_dir / 'sa.pub').read_text()
    openssl_text = subprocess.run(['openssl', 'x509', '-noout', '-text', '-in', str(pki_dir / 'apiserver.crt')],
                                  capture_output=True, text=True, check=True).stdout
    assert 'DNS:kubernetes.default.svc.cluster.local' in openssl_text and 'IP Address:10.96.0.1' in openssl_text
    assert 'TLS Web Server Authentication' in openssl_text and 'TLS Web Client Authentication' not in openssl_text


def test_check_mode_on_an_empty_directory_reports_everything_and_writes_nothing(run, args, pki_dir):
    result = run(args, check_mode=True, diff=True)

    assert result['changed'] is True
    assert sorted(result['created']) == ALL_FILES
    assert result['ca_fingerprint'] is None
    assert not pki_dir.exists()
    assert '%s: created' % (pki_dir / 'apiserver.key') in result['diff']['after']
    assert '%s/: created (mode 0700)' % (pki_dir / 'etcd') in result['diff']['after']


def test_check_mode_reports_a_renewal_without_writing(run, args, pki_dir):
    run(args)
    before = _snapshot(pki_dir)
    args['apiserver_sans'].append('10.0.0.11')

    result = run(args, check_mode=True, diff=True)

    assert result['changed'] is True
    assert result['renewed'] == [dict(path='apiserver.crt', reasons=['SANs change: adds IP:10.0.0.11'])]
    assert _snapshot(pki_dir) == before
    assert 'renewed (SANs change: adds IP:10.0.0.11)' in result['diff']['after']
    assert 'subject CN=kube-apiserver' in result['diff']['before']


def test_san_change_renews_only_the_apiserver_certificate_and_keeps_its_key(run, args, pki_dir):
    first = run(args)
    before = _snapshot(pki_dir)
    args['apiserver_sans'] = [san for san in API_SANS if san != '203.0.113.7'] + ['kubemark-master.example.com']

    result = run(args, diff=True)

    assert result['changed'] is True
    assert result['created'] == []
    assert result['renewed'] == [dict(path='apiserver.crt', reasons=[
        'SANs change: adds DNS:kubemark-master.example.com; drops IP:203.0.113.7'])]
    assert _changed_files(before, _snapshot(pki_dir)) == ['apiserver.crt']
    assert result['ca_fingerprint'] == first['ca_fingerprint']
    cert = _cert(pki_dir, 'apiserver')
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert 'kubemark-master.example.com' in names.get_values_for_type(x509.DNSName)
    _assert_leaves_verify(pki_dir)
    assert run(args)['changed'] is False


def test_order_case_and_duplicates_of_sans_do_not_matter(run, args):
    run(args)
    args['apiserver_sans'] = [san.upper() for san in reversed(API_SANS)] + ['127.0.0.1', 'Kubernetes.']
    assert run(args)['changed'] is False


def _reissue(pki_dir, name, not_after, now):
    """Replace a leaf certificate with one that differs only in its validity."""
    specs = dict((spec.name, spec) for spec in pki.cluster_specs(API_SANS, ETCD_SANS, ['kubemark-master'])[1])
    spec = specs[name]
    key = pki.load_key((pki_dir / (name + '.key')).read_bytes())[0]
    ca_key = pki.load_key((pki_dir / (spec.ca + '.key')).read_bytes())[0]
    cert = pki.issue_leaf(spec, key, _cert(pki_dir, spec.ca), ca_key, 365, now=now, not_after=not_after)
    (pki_dir / (name + '.crt')).write_bytes(pki.cert_pem(cert))


@pytest.mark.parametrize('days_left, reason', [
    (2, 'within renew_before_days'),
    (-1, 'expired on'),
], ids=['expiring', 'expired'])
def test_an_expiring_or_expired_leaf_is_renewed_with_its_key(run, args, pki_dir, days_left, reason):
    run(args)
    now = datetime.datetime.now(datetime.timezone.utc)
    _reissue(pki_dir, 'etcd/server', now + datetime.timedelta(days=days_left), now - datetime.timedelta(days=30))
    before = _snapshot(pki_dir)
    assert run(args, check_mode=True)['renewed'][0]['path'] == 'etcd/server.crt'

    result = run(args)

    assert [entry['path'] for entry in result['renewed']] == ['etcd/server.crt']
    assert reason in result['renewed'][0]['reasons'][0]
    assert _changed_files(before, _snapshot(pki_dir)) == ['etcd/server.crt']
    assert _cert(pki_dir, 'etcd/server').not_valid_after_utc > now + datetime.timedelta(days=364)
    _assert_leaves_verify(pki_dir)


def test_renew_before_days_is_honoured(run, args, pki_dir):
    run(args)
    now = datetime.datetime.now(datetime.timezone.utc)
    _reissue(pki_dir, 'admin', now + datetime.timedelta(days=40), now)
    assert run(args)['changed'] is False

    args['renew_before_days'] = 45
    result = run(args)

    assert [entry['path'] for entry in result['renewed']] == ['admin.crt']


def test_a_deleted_leaf_key_is_regenerated_with_its_certificate(run, args, pki_dir):
    run(args)
    old_cert = (pki_dir / 'kube-scheduler.crt').read_bytes()
    (pki_dir / 'kube-scheduler.key').unlink()
    before = _snapshot(pki_dir)

    result = run(args)

    assert result['created'] == ['kube-scheduler.key']
    assert result['renewed'] == [dict(path='kube-scheduler.crt', reasons=['its key is regenerated'])]
    assert _changed_files(before, _snapshot(pki_dir)) == ['kube-scheduler.crt', 'kube-scheduler.key']
    assert (pki_dir / 'kube-scheduler.crt').read_bytes() != old_cert
    assert stat.S_IMODE(os.stat(str(pki_dir / 'kube-scheduler.key')).st_mode) == 0o600
    cert_key = subprocess.run(['openssl', 'x509', '-noout', '-pubkey', '-in', str(pki_dir / 'kube-scheduler.crt')],
                              capture_output=True, text=True, check=True).stdout
    key_pub = subprocess.run(['openssl', 'pkey', '-pubout', '-in', str(pki_dir / 'kube-scheduler.key')],
                             capture_output=True, text=True, check=True).stdout
    assert cert_key == key_pub
    _assert_leaves_verify(pki_dir)


def test_a_deleted_certificate_is_reissued_for_the_existing_key(run, args, pki_dir):
    run(args)
    (pki_dir / 'front-proxy-client.crt').unlink()
    key = (pki_dir / 'front-proxy-client.key').read_bytes()

    result = run(args)

    assert result['created'] == ['front-proxy-client.crt'] and result['renewed'] == []
    assert (pki_dir / 'front-proxy-client.key').read_bytes() == key
    _assert_leaves_verify(pki_dir)


def test_unreadable_leaf_files_are_replaced(run, args, pki_dir):
    run(args)
    (pki_dir / 'kube-proxy.key').write_text('garbage\n')
    (pki_dir / 'apiserver.crt').write_text('garbage\n')
    apiserver_key = (pki_dir / 'apiserver.key').read_bytes()

    result = run(args)

    renewed = dict((entry['path'], entry['reasons']) for entry in result['renewed'])
    assert sorted(renewed) == ['apiserver.crt', 'kube-proxy.crt', 'kube-proxy.key']
    assert 'cannot be parsed' in renewed['kube-proxy.key'][0]
    assert 'cannot be parsed' in renewed['apiserver.crt'][0]
    assert (pki_dir / 'apiserver.key').read_bytes() == apiserver_key
    _assert_leaves_verify(pki_dir)


def test_a_certificate_from_another_ca_is_reissued(run, args, pki_dir, tmp_path):
    run(args)
    other = dict(args, path=str(tmp_path / 'other'))
    run(other)
    # Same subject and SANs, the right key, but signed by a CA of another cluster.
    specs = dict((spec.name, spec) for spec in pki.cluster_specs(API_SANS, ETCD_SANS, [])[1])
    key = pki.load_key((pki_dir / 'apiserver.key').read_bytes())[0]
    foreign_ca_key = pki.load_key((tmp_path / 'other' / 'ca.key').read_bytes())[0]
    foreign = pki.issue_leaf(specs['apiserver'], key, _cert(tmp_path / 'other', 'ca'), foreign_ca_key, 365)
    (pki_dir / 'apiserver.crt').write_bytes(pki.cert_pem(foreign))

    result = run(args)

    assert result['renewed'] == [dict(path='apiserver.crt', reasons=['not issued by the current CA ca'])]
    _assert_leaves_verify(pki_dir)


def test_a_certificate_that_does_not_match_its_key_is_reissued(run, args, pki_dir):
    run(args)
    shutil.copy(str(pki_dir / 'admin.crt'), str(pki_dir / 'kube-proxy.crt'))

    result = run(args)

    renewed = dict((entry['path'], entry['reasons']) for entry in result['renewed'])
    assert list(renewed) == ['kube-proxy.crt']
    assert 'does not match its key' in renewed['kube-proxy.crt']
    assert 'subject is "CN=kubernetes-admin,O=system:masters", "CN=system:kube-proxy" is asked' in renewed['kube-proxy.crt']


@pytest.mark.parametrize('remove, message', [
    ('ca.key', 'CA key %(dir)s/ca.key is missing but its certificate %(dir)s/ca.crt exists'),
    ('ca.crt', 'CA certificate %(dir)s/ca.crt is missing but its key %(dir)s/ca.key exists'),
    ('etcd/ca.key', 'CA key %(dir)s/etcd/ca.key is missing'),
    ('sa.key', 'service-account signing key %(dir)s/sa.key is missing but %(dir)s/sa.pub exists'),
])
def test_a_missing_ca_half_fails_clearly_and_changes_nothing(run, args, pki_dir, remove, message):
    run(args)
    (pki_dir / remove).unlink()
    before = _snapshot(pki_dir)

    result = run(args)

    assert result['failed'] is True
    assert result['msg'].startswith(message % dict(dir=pki_dir))
    assert 'rotate_ca: true' in result['msg']
    assert _snapshot(pki_dir) == before


def test_a_ca_that_does_not_match_its_key_fails(run, args, pki_dir):
    run(args)
    shutil.copy(str(pki_dir / 'front-proxy-ca.crt'), str(pki_dir / 'ca.crt'))

    result = run(args)

    assert result['failed'] is True
    assert 'CA certificate %s does not match its key' % (pki_dir / 'ca.crt') in result['msg']


def test_an_expiring_ca_is_kept_with_a_warning(run, args, pki_dir):
    run(args)
    key = pki.load_key((pki_dir / 'ca.key').read_bytes())[0]
    now = datetime.datetime.now(datetime.timezone.utc)
    ca = pki.issue_ca(key, 'kubernetes', 10, now=now)
    (pki_dir / 'ca.crt').write_bytes(pki.cert_pem(ca))
    before = _snapshot(pki_dir)

    result = run(args)

    # Same key and subject: the leaves still verify, nothing is reissued, the CA is not touched.
    assert result['changed'] is False
    assert _snapshot(pki_dir) == before
    assert any('does not renew CAs on its own' in warning for warning in result['warning_messages'])


def test_rotate_ca_reissues_everything_and_keeps_leaf_keys(run, args, pki_dir):
    first = run(args)
    before = _snapshot(pki_dir)

    check = run(dict(args, rotate_ca=True), check_mode=True)
    assert check['ca_fingerprint'] is None and _snapshot(pki_dir) == before
    result = run(dict(args, rotate_ca=True))

    assert result['changed'] is True
    renewed = dict((entry['path'], entry['reasons']) for entry in result['renewed'])
    leaf_keys = [name + '.key' for name in LEAVES]
    assert sorted(renewed) == sorted(name for name in ALL_FILES if name not in leaf_keys)
    assert renewed['ca.key'] == renewed['ca.crt'] == renewed['sa.key'] == ['rotate_ca is set']
    assert renewed['admin.crt'] == ['its CA ca is new']
    assert renewed['etcd/peer.crt'] == ['its CA etcd/ca is new']
    assert _changed_files(before, _snapshot(pki_dir)) == sorted(renewed)
    assert result['ca_fingerprint'] != first['ca_fingerprint']
    for name in leaf_keys:
        assert (pki_dir / name).read_bytes() == before[name], name
    _assert_leaves_verify(pki_dir)
    old_admin = pki_dir.parent / 'old-admin.crt'
    old_admin.write_bytes(before['admin.crt'])
    code, _output = _openssl_verify(pki_dir / 'ca.crt', old_admin, 'sslclient')
    assert code != 0, 'a certificate of the old CA no longer verifies'
    assert run(args)['changed'] is False


def test_rsa_keys_and_switching_key_type_regenerates_leaf_keys_only(run, args, pki_dir):
    run(dict(args, key_type='rsa-2048'))
    for name in CAS + list(LEAVES):
        key = pki.load_key((pki_dir / (name + '.key')).read_bytes())[0]
        assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048, name
    assert (pki_dir / 'ca.key').read_text().startswith('-----BEGIN RSA PRIVATE KEY-----')
    assert _cert(pki_dir, 'apiserver').extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment
    _assert_leaves_verify(pki_dir)
    ca_before = (pki_dir / 'ca.key').read_bytes()
    sa_before = (pki_dir / 'sa.key').read_bytes()

    result = run(args)

    renewed = dict((entry['path'], entry['reasons']) for entry in result['renewed'])
    assert sorted(renewed) == sorted(name + ext for name in LEAVES for ext in ('.crt', '.key'))
    assert renewed['admin.key'] == ['key type is rsa-2048, ecdsa-p256 is asked']
    assert (pki_dir / 'ca.key').read_bytes() == ca_before and (pki_dir / 'sa.key').read_bytes() == sa_before
    assert (pki_dir / 'admin.key').read_text().startswith('-----BEGIN EC PRIVATE KEY-----')
    _assert_leaves_verify(pki_dir)
    assert run(args)['changed'] is False


def test_wrong_modes_are_corrected(run, args, pki_dir):
    run(args)
    os.chmod(str(pki_dir / 'admin.key'), 0o644)
    os.chmod(str(pki_dir / 'ca.crt'), 0o600)
    os.chmod(str(pki_dir / 'etcd'), 0o755)
    before = _snapshot(pki_dir)

    check = run(args, check_mode=True, diff=True)
    assert check['changed'] is True and stat.S_IMODE(os.stat(str(pki_dir / 'admin.key')).st_mode) == 0o644
    assert '%s: mode 0644' % (pki_dir / 'admin.key') in check['diff']['before']
    result = run(args)

    assert result['changed'] is True
    assert sorted(result['permissions_fixed']) == sorted(str(p) for p in (pki_dir / 'admin.key', pki_dir / 'ca.crt', pki_dir / 'etcd'))
    assert stat.S_IMODE(os.stat(str(pki_dir / 'admin.key')).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(pki_dir / 'ca.crt')).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(str(pki_dir / 'etcd')).st_mode) == 0o700
    assert _snapshot(pki_dir) == before


def test_adding_a_node_adds_only_its_kubelet_client_certificate(run, args, pki_dir):
    run(args)
    before = _snapshot(pki_dir)

    result = run(dict(args, node_names=['kubemark-master', 'worker-1.example']))

    assert result['created'] == ['kubelet-client-worker-1.example.key', 'kubelet-client-worker-1.example.crt']
    assert _cert(pki_dir, 'kubelet-client-worker-1.example').subject == x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'system:nodes'),
        x509.NameAttribute(NameOID.COMMON_NAME, 'system:node:worker-1.example')])
    assert _changed_files(before, _snapshot(pki_dir)) == [
        'kubelet-client-worker-1.example.crt', 'kubelet-client-worker-1.example.key']


def test_diff_never_shows_key_material(run, args, pki_dir):
    result = run(args, diff=True)
    run(dict(args, rotate_ca=True))
    rotated = run(dict(args, rotate_ca=True), diff=True)

    for output in (result['raw_output'], rotated['raw_output']):
        assert 'PRIVATE KEY' not in output and 'BEGIN' not in output
    sa_body = ''.join((pki_dir / 'sa.key').read_text().splitlines()[1:-1])
    assert sa_body[:40] not in rotated['raw_output']


@pytest.mark.parametrize('change, message', [
    (dict(validity_days=30), 'validity_days (30) must be greater than renew_before_days (30)'),
    (dict(apiserver_sans=['10.0.0.10', 'bad_name']), "apiserver_sans: 'bad_name' is neither an IP address nor a valid DNS name"),
    (dict(apiserver_sans=[]), 'apiserver_sans: at least one IP address or DNS name is needed'),
    (dict(node_names=['Master_1']), "node_names: 'Master_1' is not a valid Kubernetes node name"),
    (dict(node_names=['a', 'a']), "node_names: 'a' is listed twice"),
    (dict(key_type='ed25519'), 'value of key_type must be one of'),
])
def test_invalid_arguments_fail_before_anything_is_written(run, args, pki_dir, change, message):
    result = run(dict(args, **change))

    assert result['failed'] is True
    assert message in result['msg']
    assert not pki_dir.exists()


def test_path_that_is_a_file_fails(run, args, pki_dir):
    pki_dir.write_text('')
    result = run(args)
    assert result['failed'] is True and result['msg'] == '%s exists and is not a directory' % pki_dir


COMPONENT_SANS = ['10.0.0.10', 'kubemark-master', 'localhost', '127.0.0.1']
COMPONENT_FILES = ['kube-controller-manager-serving.crt', 'kube-controller-manager-serving.key',
                   'kube-scheduler-serving.crt', 'kube-scheduler-serving.key']


def test_component_sans_add_serving_certificates_from_the_cluster_ca(run, args, pki_dir):
    first = run(args)
    before = _snapshot(pki_dir)
    args['component_sans'] = list(COMPONENT_SANS)

    added = run(args)

    assert added['changed'] is True
    assert sorted(added['created']) == COMPONENT_FILES
    assert added['renewed'] == []
    assert added['ca_fingerprint'] == first['ca_fingerprint']
    assert _changed_files(before, _snapshot(pki_dir)) == COMPONENT_FILES
    for name, common_name in (('kube-scheduler-serving', 'kube-scheduler'),
                              ('kube-controller-manager-serving', 'kube-controller-manager')):
        assert stat.S_IMODE(os.stat(str(pki_dir / (name + '.key'))).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(str(pki_dir / (name + '.crt'))).st_mode) == 0o644
        code, output = _openssl_verify(pki_dir / 'ca.crt', pki_dir / (name + '.crt'), 'sslserver')
        assert code == 0 and output.strip().endswith(': OK'), (name, output)
        cert = _cert(pki_dir, name)
        assert cert.subject.rfc4514_string() == 'CN=%s' % common_name
        usages = list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
        assert usages == [ExtendedKeyUsageOID.SERVER_AUTH]
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert sorted(names.get_values_for_type(x509.DNSName)) == ['kubemark-master', 'localhost']
        assert sorted(str(ip) for ip in names.get_values_for_type(x509.IPAddress)) == ['10.0.0.10', '127.0.0.1']
        assert added['certificates'][name]['ca'] == 'ca'
    assert 'PRIVATE KEY' not in added['raw_output']
    assert run(args)['changed'] is False


def test_a_component_san_change_reissues_the_serving_leaves_only(run, args, pki_dir):
    args['component_sans'] = list(COMPONENT_SANS)
    first = run(args)
    before = _snapshot(pki_dir)
    args['component_sans'] = COMPONENT_SANS + ['10.0.0.11']

    result = run(args)

    assert result['changed'] is True
    assert result['created'] == []
    assert sorted(entry['path'] for entry in result['renewed']) == ['kube-controller-manager-serving.crt',
                                                                    'kube-scheduler-serving.crt']
    assert all(entry['reasons'] == ['SANs change: adds IP:10.0.0.11'] for entry in result['renewed'])
    assert _changed_files(before, _snapshot(pki_dir)) == ['kube-controller-manager-serving.crt', 'kube-scheduler-serving.crt']
    assert result['ca_fingerprints'] == first['ca_fingerprints']
    assert run(args)['changed'] is False
