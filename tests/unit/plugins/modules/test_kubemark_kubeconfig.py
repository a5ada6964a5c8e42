# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_kubeconfig on real files, with credentials from a real kubemark_pki run."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import stat

import pytest
import yaml

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args
from ansible_collections.kubemark.kubemark.plugins.module_utils import pki
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_kubeconfig

SERVER = 'https://10.0.0.10:6443'
TOKEN = 'Zq3kXv9Lr2Tt8Wm1Yp4Hc6Bn0Sd5Fg7Jk2Lq9Xa1Vb3'


def _run_main(module, args, check_mode=False, diff=False, no_log=False):
    ansible_warnings._global_warnings.clear()
    module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff, _ansible_no_log=no_log)
    output = io.StringIO()
    with patch_module_args(module_args), contextlib.redirect_stdout(output):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(output.getvalue())
    result['raw_output'] = output.getvalue()
    return result


@pytest.fixture
def run():
    """Run the module's main() for real and return the JSON it prints, as Ansible would receive it."""
    def _run(args, **kwargs):
        return _run_main(kubemark_kubeconfig, args, **kwargs)
    return _run


@pytest.fixture
def pki_dir(tmp_path):
    directory = tmp_path / 'pki'
    cas, leaves = pki.cluster_specs(['10.0.0.10', 'localhost'], ['localhost'], [])
    pki.apply(pki.plan(str(directory), cas, leaves))
    return directory


@pytest.fixture
def cert_args(pki_dir, tmp_path):
    return dict(path=str(tmp_path / 'admin.conf'), server=SERVER, ca_cert_path=str(pki_dir / 'ca.crt'),
                client_cert_path=str(pki_dir / 'admin.crt'), client_key_path=str(pki_dir / 'admin.key'),
                user_name='kubernetes-admin')


@pytest.fixture
def token_args(pki_dir, tmp_path):
    return dict(path=str(tmp_path / 'kubelet.conf'), server=SERVER, ca_cert_path=str(pki_dir / 'ca.crt'),
                token=TOKEN, user_name='kubelet', context_name='kubemark')


def _b64(path):
    return base64.b64encode(path.read_bytes()).decode('ascii')


def test_client_certificate_kubeconfig_is_written_once(run, cert_args, pki_dir, tmp_path):
    first = run(cert_args)

    assert first['changed'] is True
    assert (first['auth'], first['context_name']) == ('client-certificate', 'kubernetes-admin@kubernetes')
    path = tmp_path / 'admin.conf'
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    config = yaml.safe_load(path.read_text())
    assert config == {
        'apiVersion': 'v1', 'kind': 'Config', 'preferences': {},
        'clusters': [{'name': 'kubernetes', 'cluster': {'server': SERVER, 'certificate-authority-data': _b64(pki_dir / 'ca.crt')}}],
        'users': [{'name': 'kubernetes-admin', 'user': {'client-certificate-data': _b64(pki_dir / 'admin.crt'),
                                                        'client-key-data': _b64(pki_dir / 'admin.key')}}],
        'contexts': [{'name': 'kubernetes-admin@kubernetes', 'context': {'cluster': 'kubernetes', 'user': 'kubernetes-admin'}}],
        'current-context': 'kubernetes-admin@kubernetes',
    }
    assert _b64(pki_dir / 'admin.key') not in first['raw_output']
    content = path.read_bytes()

    second = run(cert_args, diff=True)

    assert second['changed'] is False
    assert second['diff']['before'] == second['diff']['after']
    assert path.read_bytes() == content


def test_a_renewed_client_certificate_rewrites_the_file(run, cert_args, pki_dir, tmp_path):
    run(cert_args)
    (pki_dir / 'admin.crt').unlink()
    cas, leaves = pki.cluster_specs(['10.0.0.10', 'localhost'], ['localhost'], [])
    pki.apply(pki.plan(str(pki_dir), cas, leaves))

    result = run(cert_args, diff=True)

    assert result['changed'] is True
    config = yaml.safe_load((tmp_path / 'admin.conf').read_text())
    assert config['users'][0]['user']['client-certificate-data'] == _b64(pki_dir / 'admin.crt')
    assert "client-key-data: '********'" in result['diff']['after']


def test_token_kubeconfig_masks_the_token_everywhere(run, token_args, tmp_path):
    path = tmp_path / 'kubelet.conf'
    first = run(token_args, diff=True)

    assert first['changed'] is True and first['auth'] == 'token'
    config = yaml.safe_load(path.read_text())
    assert config['users'] == [{'name': 'kubelet', 'user': {'token': TOKEN}}]
    assert config['current-context'] == 'kubemark'
    assert TOKEN not in first['raw_output']
    assert "token: '********'" in first['diff']['after']

    new_token = TOKEN[::-1]
    changed = run(dict(token_args, token=new_token), diff=True)

    assert changed['changed'] is True
    assert TOKEN not in changed['raw_output'] and new_token not in changed['raw_output']
    assert "token: '********'" in changed['diff']['before']
    assert "token: '******** (changed)'" in changed['diff']['after']
    assert yaml.safe_load(path.read_text())['users'][0]['user']['token'] == new_token


def test_the_comparison_is_on_data_not_on_formatting(run, token_args, tmp_path):
    run(token_args)
    path = tmp_path / 'kubelet.conf'
    config = yaml.safe_load(path.read_text())
    path.write_text(json.dumps(config, indent=4, sort_keys=True))
    content = path.read_bytes()

    assert run(token_args)['changed'] is False
    assert path.read_bytes() == content

    config['contexts'][0]['context']['namespace'] = 'kubemark'
    path.write_text(yaml.safe_dump(config))
    assert run(token_args)['changed'] is True
    assert 'namespace' not in yaml.safe_load(path.read_text())['contexts'][0]['context']


def test_check_mode_writes_nothing(run, token_args, tmp_path):
    path = tmp_path / 'kubelet.conf'
    result = run(token_args, check_mode=True, diff=True)
    assert result['changed'] is True and not path.exists()
    assert result['diff']['before'] == '' and result['diff']['after'].startswith('# mode 0600\n')

    run(token_args)
    content = path.read_bytes()
    changed = run(dict(token_args, server='https://10.0.0.11:6443'), check_mode=True)
    assert changed['changed'] is True and path.read_bytes() == content


def test_unparsable_existing_file_is_replaced_without_being_shown(run, token_args, tmp_path):
    path = tmp_path / 'kubelet.conf'
    path.write_text('token: [unterminated\n')

    result = run(token_args, diff=True)

    assert result['changed'] is True
    assert 'not a kubeconfig' in result['diff']['before'] and 'unterminated' not in result['diff']['before']
    assert yaml.safe_load(path.read_text())['kind'] == 'Config'


def test_mode_is_applied_and_corrected(run, token_args, tmp_path):
    path = tmp_path / 'kubelet.conf'
    run(dict(token_args, mode='0640'))
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o640
    content = path.read_bytes()

    result = run(token_args, diff=True)

    assert result['changed'] is True
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert path.read_bytes() == content
    assert result['diff']['before'].startswith('# mode 0640\n') and result['diff']['after'].startswith('# mode 0600\n')


def test_ca_cert_data_is_embedded(run, token_args, pki_dir, tmp_path):
    args = dict(token_args)
    del args['ca_cert_path']
    args['ca_cert_data'] = (pki_dir / 'etcd' / 'ca.crt').read_text()

    assert run(args)['changed'] is True
    config = yaml.safe_load((tmp_path / 'kubelet.conf').read_text())
    assert config['clusters'][0]['cluster']['certificate-authority-data'] == _b64(pki_dir / 'etcd' / 'ca.crt')


def test_kubeconfig_of_a_registered_known_tokens_result(pki_dir, tmp_path):
    from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_known_tokens

    tokens = _run_main(kubemark_known_tokens, dict(path=str(tmp_path / 'tokens.csv'), users=[dict(user='kubelet')]),
                       no_log=True)['tokens']
    result = _run_main(kubemark_kubeconfig, dict(path=str(tmp_path / 'hollow.conf'), server=SERVER,
                                                 ca_cert_path=str(pki_dir / 'ca.crt'), token=tokens['kubelet'],
                                                 user_name='kubelet'))
    assert result['changed'] is True
    config = yaml.safe_load((tmp_path / 'hollow.conf').read_text())
    assert config['users'][0]['user']['token'] == tokens['kubelet']
    assert (tmp_path / 'tokens.csv').read_text().startswith(tokens['kubelet'] + ',kubelet,kubelet')


@pytest.mark.parametrize('change, message', [
    (dict(client_key_path='{pki}/kube-proxy.key'), 'client key {pki}/kube-proxy.key does not belong to client certificate {pki}/admin.crt'),
    (dict(client_cert_path='{pki}/sa.pub'), 'client certificate {pki}/sa.pub is not a PEM certificate'),
    (dict(ca_cert_path='{pki}/missing.crt'), 'cannot read CA certificate {pki}/missing.crt'),
    (dict(client_key_path='{pki}/admin.crt'), 'client key {pki}/admin.crt cannot be parsed'),
    (dict(server='http://10.0.0.10:8080'), "server must be an https:// URL, got 'http://10.0.0.10:8080'"),
    (dict(mode='rw-------'), "mode must be an octal string such as \"0600\", got 'rw-------'"),
    (dict(token='abc'), 'parameters are mutually exclusive: token|client_cert_path'),
    (dict(ca_cert_data='x'), 'parameters are mutually exclusive: ca_cert_path|ca_cert_data'),
    (dict(client_key_path=None), 'parameters are required together: client_cert_path, client_key_path'),
])
def test_bad_requests_fail_without_writing(run, cert_args, pki_dir, tmp_path, change, message):
    args = dict(cert_args)
    for key, value in change.items():
        if value is None:
            del args[key]
        else:
            args[key] = value.format(pki=pki_dir)

    result = run(args)

    assert result['failed'] is True
    assert message.format(pki=pki_dir) in result['msg']
    assert not (tmp_path / 'admin.conf').exists()


def test_the_no_log_placeholder_is_refused_as_a_token(run, token_args, tmp_path):
    result = run(dict(token_args, token='VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'))
    assert result['failed'] is True
    assert 'register the task that returns it with no_log: true' in result['msg']
    assert not (tmp_path / 'kubelet.conf').exists()
