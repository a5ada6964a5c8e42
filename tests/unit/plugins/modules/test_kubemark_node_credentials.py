# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of kubemark_node_credentials with a real CA made by the collection's PKI code."""

from __future__ import annotations

import base64
import os
import stat

import pytest
import yaml

from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.kubemark.kubemark.plugins.module_utils import pki
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_node_credentials

SERVER = 'https://10.199.0.10:6443'


class _Exited(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


@pytest.fixture
def run_module(monkeypatch):
    def exit_json(module, **result):
        raise _Exited(result)

    def fail_json(module, msg, **result):
        result.update(failed=True, msg=msg)
        raise _Exited(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(args, check_mode=False):
        with patch_module_args(dict(args, _ansible_check_mode=check_mode)):
            try:
                kubemark_node_credentials.main()
            except _Exited as exited:
                return exited.result
        pytest.fail('the module returned without exit_json or fail_json')

    return run


def _ca(directory, name='ca'):
    key = pki.generate_key('ecdsa-p256')
    cert = pki.issue_ca(key, 'kubernetes', 3650)
    (directory / (name + '.crt')).write_bytes(pki.cert_pem(cert))
    (directory / (name + '.key')).write_bytes(pki.key_pem(key))
    return str(directory / (name + '.crt')), str(directory / (name + '.key'))


@pytest.fixture
def args(tmp_path):
    ca_cert, ca_key = _ca(tmp_path)
    return dict(path=str(tmp_path / 'kubelets'), names=['hollow-1', 'hollow-2'], ca_cert=ca_cert, ca_key=ca_key,
                server=SERVER, cluster_name='kubemark')


def _identity(path):
    config = yaml.safe_load(open(path))
    user = config['users'][0]['user']
    cert = x509.load_pem_x509_certificate(base64.b64decode(user['client-certificate-data']))
    common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    groups = [attr.value for attr in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return config, common, groups, cert


def test_one_identity_per_node_then_nothing_changes(run_module, args):
    first = run_module(args)
    assert first['changed'] and first['issued'] == ['hollow-1', 'hollow-2'] and first['kept'] == 0, first
    for name in ('hollow-1', 'hollow-2'):
        path = first['files'][name]
        config, common, groups, cert = _identity(path)
        assert (common, groups) == ('system:node:' + name, ['system:nodes'])
        assert config['clusters'][0]['cluster']['server'] == SERVER
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert pki.signed_by(cert, x509.load_pem_x509_certificate(open(args['ca_cert'], 'rb').read()))
    assert stat.S_IMODE(os.stat(args['path']).st_mode) == 0o700
    second = run_module(args)
    assert not second['changed'] and second['issued'] == [] and second['kept'] == 2, second


def test_scale_down_removes_identities_and_check_mode_writes_nothing(run_module, args):
    run_module(dict(args, names=['hollow-1', 'hollow-2', 'hollow-3']))
    check = run_module(dict(args, names=['hollow-1']), check_mode=True)
    assert check['changed'] and check['removed'] == ['hollow-2', 'hollow-3'], check
    assert sorted(os.listdir(args['path'])) == ['hollow-1.kubeconfig', 'hollow-2.kubeconfig', 'hollow-3.kubeconfig']
    down = run_module(dict(args, names=['hollow-1']))
    assert down['removed'] == ['hollow-2', 'hollow-3'] and down['issued'] == [], down
    assert os.listdir(args['path']) == ['hollow-1.kubeconfig']


def test_a_new_ca_or_server_reissues(run_module, args, tmp_path):
    run_module(args)
    moved = run_module(dict(args, server='https://10.199.0.99:6443'))
    assert moved['issued'] == ['hollow-1', 'hollow-2'], moved
    other_cert, other_key = _ca(tmp_path, 'other-ca')
    rotated = run_module(dict(args, server='https://10.199.0.99:6443', ca_cert=other_cert, ca_key=other_key))
    assert rotated['issued'] == ['hollow-1', 'hollow-2'], rotated


def test_a_tampered_file_is_replaced(run_module, args):
    first = run_module(args)
    config = yaml.safe_load(open(first['files']['hollow-2']))
    # hollow-1's certificate in hollow-2's file: the wrong identity.
    other = yaml.safe_load(open(first['files']['hollow-1']))
    config['users'][0]['user'] = other['users'][0]['user']
    with open(first['files']['hollow-2'], 'w') as handle:
        yaml.safe_dump(config, handle)
    again = run_module(args)
    assert again['issued'] == ['hollow-2'], again
    assert _identity(first['files']['hollow-2'])[1] == 'system:node:hollow-2'


@pytest.mark.parametrize('change, message', [
    ({'names': ['Hollow_1']}, 'not valid node names'),
    ({'names': ['a', 'a']}, 'more than once'),
    ({'server': 'http://10.0.0.1:6443'}, 'https://'),
    ({'validity_days': 10, 'renew_before_days': 30}, 'validity_days'),
])
def test_bad_input(run_module, args, change, message):
    result = run_module(dict(args, **change))
    assert result.get('failed') and message in result['msg'], result
    assert not os.path.exists(args['path'])


def test_a_key_of_another_ca(run_module, args, tmp_path):
    other_cert, other_key = _ca(tmp_path, 'other')
    result = run_module(dict(args, ca_key=other_key))
    assert result.get('failed') and 'does not belong' in result['msg'], result
