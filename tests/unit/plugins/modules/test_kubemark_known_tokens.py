# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_known_tokens on real files, run through the real AnsibleModule output path."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat

import pytest

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args
from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_known_tokens

TOKEN_RE = re.compile(r'^[A-Za-z0-9_-]{43}$')
USERS = [
    dict(user='admin', uid='admin', groups=['system:masters']),
    dict(user='system:kube-proxy', uid='kube_proxy'),
    dict(user='kubelet', groups=['system:nodes', 'kubemark']),
]


@pytest.fixture
def run():
    """Run the module's main() for real and return the JSON it prints, as Ansible would receive it."""
    def _run(args, check_mode=False, diff=False, no_log=True):
        ansible_warnings._global_warnings.clear()
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff, _ansible_no_log=no_log)
        output = io.StringIO()
        with patch_module_args(module_args), contextlib.redirect_stdout(output):
            with pytest.raises(SystemExit):
                kubemark_known_tokens.main()
        result = json.loads(output.getvalue())
        result['raw_output'] = output.getvalue()
        result['warning_messages'] = [w if isinstance(w, str) else w['event']['msg'] for w in result.get('warnings', [])]
        return result
    return _run


@pytest.fixture
def path(tmp_path):
    return tmp_path / 'auth' / 'known_tokens.csv'


def _records(path):
    """Read the file the way kube-apiserver does: Go's CSV reader, no comment syntax."""
    with open(str(path), newline='') as handle:
        return [row for row in csv.reader(handle, strict=True) if row]


def test_creates_the_file_then_keeps_every_token(run, path):
    first = run(dict(path=str(path), users=USERS))

    assert first['changed'] is True
    assert first['added'] == ['admin', 'system:kube-proxy', 'kubelet']
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(path.parent)).st_mode) == 0o700
    tokens = first['tokens']
    assert sorted(tokens) == ['admin', 'kubelet', 'system:kube-proxy']
    assert all(TOKEN_RE.match(token) for token in tokens.values())
    assert len(set(tokens.values())) == 3
    assert _records(path) == [
        [tokens['admin'], 'admin', 'admin', 'system:masters'],
        [tokens['system:kube-proxy'], 'system:kube-proxy', 'kube_proxy'],
        [tokens['kubelet'], 'kubelet', 'kubelet', 'system:nodes,kubemark'],
    ]
    assert path.read_text().splitlines()[2].endswith(',kubelet,kubelet,"system:nodes,kubemark"')
    content = path.read_bytes()

    second = run(dict(path=str(path), users=USERS), diff=True)

    assert second['changed'] is False
    assert second['tokens'] == tokens
    assert (second['added'], second['updated'], second['removed']) == ([], [], [])
    assert second['diff']['before'] == second['diff']['after']
    assert path.read_bytes() == content


def test_a_new_user_gets_a_token_and_the_others_keep_theirs(run, path):
    tokens = run(dict(path=str(path), users=USERS[:2]))['tokens']

    result = run(dict(path=str(path), users=USERS))

    assert result['changed'] is True and result['added'] == ['kubelet']
    assert result['tokens']['admin'] == tokens['admin']
    assert result['tokens']['system:kube-proxy'] == tokens['system:kube-proxy']
    assert TOKEN_RE.match(result['tokens']['kubelet'])
    assert [row[0] for row in _records(path)] == [tokens['admin'], tokens['system:kube-proxy'], result['tokens']['kubelet']]


def test_changed_uid_or_groups_keep_the_token(run, path):
    tokens = run(dict(path=str(path), users=USERS))['tokens']
    users = [dict(USERS[0], groups=['system:masters', 'admins']), USERS[1], dict(USERS[2], uid='uid:kubelet')]

    result = run(dict(path=str(path), users=users))

    assert result['changed'] is True
    assert result['updated'] == ['admin', 'kubelet'] and result['added'] == []
    assert result['tokens'] == tokens
    assert _records(path)[0] == [tokens['admin'], 'admin', 'admin', 'system:masters,admins']
    assert _records(path)[2] == [tokens['kubelet'], 'kubelet', 'uid:kubelet', 'system:nodes,kubemark']


def test_unlisted_users_are_kept_unless_pruned(run, path):
    tokens = run(dict(path=str(path), users=USERS))['tokens']

    kept = run(dict(path=str(path), users=USERS[:1]))
    assert kept['changed'] is False
    assert kept['tokens'] == dict(admin=tokens['admin'])
    assert kept['users'] == ['admin', 'system:kube-proxy', 'kubelet']

    check = run(dict(path=str(path), users=USERS[:1], prune=True), check_mode=True)
    assert check['changed'] is True and len(_records(path)) == 3
    pruned = run(dict(path=str(path), users=USERS[:1], prune=True))
    assert pruned['changed'] is True
    assert pruned['removed'] == ['system:kube-proxy', 'kubelet']
    assert _records(path) == [[tokens['admin'], 'admin', 'admin', 'system:masters']]


def test_a_hand_written_file_is_read_and_left_alone(run, path):
    path.parent.mkdir()
    text = ('\n'
            'tokenAAAA1111,admin,admin,system:masters\n'
            '\n'
            'tokenBBBB2222,kubelet,uid:kubelet,"system:nodes,kubemark"\n'
            'tokenCCCC3333,"user, with comma",u3\n'
            'tokenDDDD4444,nogroups,u4,\n')
    path.write_text(text)
    os.chmod(str(path), 0o600)
    users = [dict(user='admin', groups=['system:masters']), dict(user='kubelet', uid='uid:kubelet', groups=['system:nodes', 'kubemark']),
             dict(user='user, with comma', uid='u3'), dict(user='nogroups', uid='u4')]

    result = run(dict(path=str(path), users=users))

    assert result['changed'] is False
    assert result['tokens'] == {'admin': 'tokenAAAA1111', 'kubelet': 'tokenBBBB2222', 'user, with comma': 'tokenCCCC3333',
                                'nogroups': 'tokenDDDD4444'}
    assert path.read_text() == text


def test_comment_lines_are_dropped_with_a_warning(run, path):
    path.parent.mkdir()
    path.write_text('# written by hand\ntokenAAAA1111,admin,admin,system:masters\n  # indented comment\n')
    os.chmod(str(path), 0o600)

    result = run(dict(path=str(path), users=[dict(user='admin', groups=['system:masters'])]), diff=True)

    assert result['changed'] is True
    assert path.read_text() == 'tokenAAAA1111,admin,admin,"system:masters"\n'
    assert any('dropped 2 comment line(s)' in warning for warning in result['warning_messages'])
    assert result['diff']['before'].startswith('# 2 comment line(s)\n')


@pytest.mark.parametrize('line, problem', [
    ('tokenX,onlytwo', 'has 2 field(s), kube-apiserver needs at least 3'),
    ('tokenX,u,uid,system:a,system:b', 'has 5 fields; a list of several groups must be quoted'),
    ('tokenX,u,uid,"system:a', 'cannot be parsed as CSV'),
    ('tokenX,u"x,uid', 'a field contains a quote that is not CSV quoting'),
    (',u,uid', 'the token is empty'),
    ('token X,u,uid', 'the token contains white space'),
    ('tokenX,,uid', 'the user name is empty'),
    ('tokenX,admin,other', "user 'admin' is already on line 2"),
    ('tokenAAAA1111,other,other', "the token of user 'other' is also the token of user 'admin' on line 2"),
])
def test_a_malformed_line_fails_naming_its_number(run, path, line, problem):
    path.parent.mkdir()
    text = '# header\ntokenAAAA1111,admin,admin\n\n%s\n' % line
    path.write_text(text)

    result = run(dict(path=str(path), users=[dict(user='admin')]))

    assert result['failed'] is True
    assert result['msg'].startswith('%s line 4: %s' % (path, problem))
    assert 'token,user,uid or token,user,uid,"group1,group2"' in result['msg']
    assert path.read_text() == text


def test_check_mode_writes_nothing_and_the_diff_masks_tokens(run, path):
    tokens = run(dict(path=str(path), users=USERS[:1]))['tokens']
    content = path.read_bytes()

    result = run(dict(path=str(path), users=USERS), check_mode=True, diff=True)

    assert result['changed'] is True and result['added'] == ['system:kube-proxy', 'kubelet']
    assert path.read_bytes() == content
    assert result['diff']['before'] == '********,admin,admin,"system:masters"\n'
    assert result['diff']['after'] == ('********,admin,admin,"system:masters"\n'
                                       '********,system:kube-proxy,kube_proxy\n'
                                       '********,kubelet,kubelet,"system:nodes,kubemark"\n')
    assert tokens['admin'] not in json.dumps(result['diff'])

    missing = run(dict(path=str(path.parent / 'new.csv'), users=USERS), check_mode=True)
    assert missing['changed'] is True and not (path.parent / 'new.csv').exists()


def test_tokens_are_masked_in_the_output_unless_the_task_is_no_log(run, path):
    clear = run(dict(path=str(path), users=USERS), no_log=True)
    assert all(TOKEN_RE.match(token) for token in clear['tokens'].values())
    assert clear['warning_messages'] == []

    masked = run(dict(path=str(path), users=USERS), diff=True, no_log=False)

    assert masked['tokens'] == dict((user, 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER') for user in clear['tokens'])
    for token in clear['tokens'].values():
        assert token not in masked['raw_output']
    assert any('set it to use them in later tasks' in warning for warning in masked['warning_messages'])


def test_the_mode_is_corrected(run, path):
    run(dict(path=str(path), users=USERS))
    content = path.read_bytes()
    os.chmod(str(path), 0o644)

    result = run(dict(path=str(path), users=USERS))

    assert result['changed'] is True
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert path.read_bytes() == content


@pytest.mark.parametrize('users, message', [
    ([dict(user='a'), dict(user='a')], "users[1]: user 'a' is listed twice"),
    ([dict(user='a', groups=['x,y'])], "users[0]: group 'x,y' must be non-empty, without commas"),
    ([dict(user='a"b')], "users[0]: user 'a\"b' must be non-empty"),
    ([dict(user=' a')], "users[0]: user ' a' must be non-empty"),
])
def test_invalid_users_fail(run, path, users, message):
    result = run(dict(path=str(path), users=users))
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert not path.exists()


def test_parse_and_render_round_trip():
    text = 'tok1,admin,admin,"system:masters,x"\ntok2,"a,b",uid\n'
    records, comments = kubemark_known_tokens.parse_token_file(text, 'f')
    assert comments == 0
    assert [(r.token, r.user, r.uid, r.groups, r.line) for r in records] == [
        ('tok1', 'admin', 'admin', ['system:masters', 'x'], 1), ('tok2', 'a,b', 'uid', [], 2)]
    assert kubemark_known_tokens.render(records) == text
    assert kubemark_known_tokens.render(records, mask=True) == '********,admin,admin,"system:masters,x"\n********,"a,b",uid\n'
