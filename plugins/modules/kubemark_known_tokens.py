#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_known_tokens
short_description: Maintain a kube-apiserver static token file without ever changing a token
version_added: 0.1.0
description:
  - Maintains the file kube-apiserver reads with C(--token-auth-file), one line per user in the form
    C(token,user,uid,"group1,group2").
  - A user already in the file keeps its token; its uid and groups are updated when they differ.
    Only users that are not in the file yet get a new random token (256 bits from Python's
    C(secrets) module, 43 characters of the URL-safe alphabet C([A-Za-z0-9_-])).
  - Users in the file that are not listed are kept, unless O(prune=true).
  - The file is rewritten only when its users, uids or groups change. It is always mode C(0600) and
    is replaced atomically; a missing parent directory is created with mode C(0700).
  - Blank lines are ignored. Comment lines (starting with C(#)) are accepted when reading, but
    kube-apiserver's CSV reader has no comment syntax and refuses to start on them, so they are
    dropped and the file is rewritten, with a warning.
  - A malformed line (fewer than three fields, more than four, a broken quote, an empty token or
    user, a token with white space, a user or token listed twice) fails the task, naming the line.
author:
  - kubemark collection developers (@kubemark)
options:
  path:
    description:
      - The token file, for example C(/etc/kubernetes/auth/known_tokens.csv).
    type: path
    required: true
  users:
    description:
      - The users that must have a token.
    type: list
    elements: dict
    required: true
    suboptions:
      user:
        description:
          - User name, for example C(system:kube-scheduler).
        type: str
        required: true
      uid:
        description:
          - User uid. Defaults to the user name.
        type: str
      groups:
        description:
          - Groups of the user, for example C([system:masters]).
        type: list
        elements: str
        default: []
  prune:
    description:
      - Remove users from the file that are not in O(users).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change without writing it.
  diff_mode:
    support: full
    description: Shows the file before and after the change with every token replaced by C(********).
notes:
  - RV(tokens) holds secrets. To protect them even when the task is not marked C(no_log), the module
    masks every token in its output unless the task sets C(no_log) to C(true). Run the task with
    C(no_log) set to use RV(tokens) in later tasks.
  - Ansible's only way for a module to hide a value, C(no_log_values), also replaces it in the
    returned data, which is why the tokens can only be returned in clear to a C(no_log) task.
seealso:
  - module: kubemark.kubemark.kubemark_kubeconfig
"""

EXAMPLES = r"""
- name: Keep the static tokens of the kubemark master
  kubemark.kubemark.kubemark_known_tokens:
    path: /etc/kubernetes/auth/known_tokens.csv
    users:
      - user: admin
        uid: admin
        groups: [system:masters]
      - user: system:kube-proxy
        uid: kube_proxy
      - user: kubelet
        uid: kubelet
        groups: [system:nodes]
  no_log: true
  register: kubemark_known_tokens

- name: Write the hollow-node kubeconfig with the kubelet token
  kubemark.kubemark.kubemark_kubeconfig:
    path: /etc/kubernetes/hollow-node.kubeconfig
    server: https://10.0.0.10:6443
    ca_cert_path: /etc/kubernetes/pki/ca.crt
    token: "{{ kubemark_known_tokens.tokens.kubelet }}"
    user_name: kubelet
"""

RETURN = r"""
tokens:
  description:
    - The token of every user in O(users), by user name.
    - Secret. Every token is replaced by C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) unless the task sets
      C(no_log) to C(true).
    - In check mode a user that would be added gets a token that is not written; the real run
      generates another one.
  returned: success
  type: dict
  sample: {"admin": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
users:
  description: The users in the file after this run, in file order.
  returned: success
  type: list
  elements: str
  sample: [admin, system:kube-proxy, kubelet]
added:
  description: Users that got a new token.
  returned: success
  type: list
  elements: str
  sample: [kubelet]
updated:
  description: Users whose uid or groups changed; their tokens are kept.
  returned: success
  type: list
  elements: str
  sample: [admin]
removed:
  description: Users removed because of O(prune=true).
  returned: success
  type: list
  elements: str
  sample: []
"""

import csv
import os
import secrets
import stat

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic

FILE_MODE = 0o600
MASK = '********'
# 32 random bytes, URL-safe base64 without padding: 43 characters of [A-Za-z0-9_-].
TOKEN_BYTES = 32


class TokenFileError(Exception):
    """The token file or the request cannot be handled safely."""


class Record(object):
    def __init__(self, token, user, uid, groups, line=None):
        self.token = token
        self.user = user
        self.uid = uid
        self.groups = list(groups)
        self.line = line


def _bad_characters(value):
    return any(char in value for char in '"\r\n')


def parse_token_file(text, path):
    """Return (records, number of comment lines). Raises TokenFileError naming the line."""
    records = []
    comments = 0
    users = {}
    tokens = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith('#'):
            comments += 1
            continue

        def fail(problem, number=number):
            raise TokenFileError('%s line %d: %s; the line must read token,user,uid or token,user,uid,"group1,group2"'
                                 % (path, number, problem))

        try:
            fields = next(csv.reader([line], strict=True))
        except csv.Error as error:
            fail('cannot be parsed as CSV (%s)' % error)
        if len(fields) < 3:
            fail('has %d field(s), kube-apiserver needs at least 3' % len(fields))
        if len(fields) > 4:
            fail('has %d fields; a list of several groups must be quoted' % len(fields))
        if any(_bad_characters(field) for field in fields):
            fail('a field contains a quote that is not CSV quoting')
        token, user, uid = fields[:3]
        if not token:
            fail('the token is empty')
        if any(char.isspace() for char in token):
            fail('the token contains white space')
        if not user:
            fail('the user name is empty')
        if user in users:
            fail('user %r is already on line %d; this module keeps one token per user' % (user, users[user]))
        if token in tokens:
            fail('the token of user %r is also the token of user %r on line %d' % (user, tokens[token][0], tokens[token][1]))
        groups = fields[3].split(',') if len(fields) == 4 and fields[3] != '' else []
        users[user] = number
        tokens[token] = (user, number)
        records.append(Record(token, user, uid, groups, number))
    return records, comments


def _quote(value, always=False):
    if always or ',' in value or value != value.strip():
        return '"%s"' % value
    return value


def render(records, mask=False):
    lines = []
    for record in records:
        fields = [MASK if mask else record.token, _quote(record.user), _quote(record.uid)]
        if record.groups:
            fields.append(_quote(','.join(record.groups), always=True))
        lines.append(','.join(fields))
    return ''.join(line + '\n' for line in lines)


def desired_users(users):
    """Validate the users option; return a list of (user, uid, groups)."""
    result = []
    seen = set()
    for index, entry in enumerate(users):
        user = entry['user']
        uid = entry['uid'] if entry.get('uid') is not None else user
        groups = list(entry.get('groups') or [])
        where = 'users[%d]' % index
        if not user or _bad_characters(user) or user != user.strip():
            raise TokenFileError('%s: user %r must be non-empty, without quotes, line breaks or surrounding white space'
                                 % (where, user))
        if not uid or _bad_characters(uid):
            raise TokenFileError('%s: uid %r must be non-empty, without quotes or line breaks' % (where, uid))
        for group in groups:
            if not group or ',' in group or _bad_characters(group):
                raise TokenFileError('%s: group %r must be non-empty, without commas, quotes or line breaks'
                                     % (where, group))
        if user in seen:
            raise TokenFileError('%s: user %r is listed twice' % (where, user))
        seen.add(user)
        result.append((user, uid, groups))
    return result


def new_token(taken):
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if token not in taken:
            return token


def reconcile(records, wanted, prune):
    """Return (records after, added, updated, removed)."""
    wanted_by_user = dict((user, (uid, groups)) for user, uid, groups in wanted)
    taken = set(record.token for record in records)
    result = []
    updated = []
    removed = []
    present = set()
    for record in records:
        if record.user in wanted_by_user:
            uid, groups = wanted_by_user[record.user]
            if (record.uid, record.groups) != (uid, groups):
                updated.append(record.user)
            result.append(Record(record.token, record.user, uid, groups, record.line))
            present.add(record.user)
        elif prune:
            removed.append(record.user)
        else:
            result.append(record)
    added = []
    for user, uid, groups in wanted:
        if user not in present:
            token = new_token(taken)
            taken.add(token)
            result.append(Record(token, user, uid, groups))
            added.append(user)
    return result, added, updated, removed


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            users=dict(type='list', elements='dict', required=True, options=dict(
                user=dict(type='str', required=True),
                uid=dict(type='str'),
                groups=dict(type='list', elements='str', default=[]),
            )),
            prune=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    path = module.params['path']
    try:
        wanted = desired_users(module.params['users'])
        if os.path.isdir(path):
            raise TokenFileError('%s is a directory' % path)
        try:
            with open(path, encoding='utf-8') as handle:
                text = handle.read()
            exists = True
        except FileNotFoundError:
            text = ''
            exists = False
        except (OSError, UnicodeDecodeError) as error:
            raise TokenFileError('cannot read %s: %s' % (path, error))
        records, comments = parse_token_file(text, path)
        after, added, updated, removed = reconcile(records, wanted, module.params['prune'])
        if not module.no_log:
            # Without no_log on the task, Ansible would print the result: mask every token, from the
            # file or new, wherever it could appear in the module's output.
            module.no_log_values.update(record.token for record in after + records)

        content = render(after)
        rewrite = not exists or bool(added or updated or removed or comments)
        mode_wrong = exists and stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE
        if comments:
            module.warn('%s: dropped %d comment line(s): kube-apiserver cannot read comments in a token file'
                        % (path, comments))
        if not module.check_mode:
            if rewrite:
                write_atomic(path, content, FILE_MODE, dir_mode=0o700)
            elif mode_wrong:
                os.chmod(path, FILE_MODE)
    except TokenFileError as error:
        module.fail_json(msg=str(error))
    except OSError as error:
        module.fail_json(msg='cannot write %s: %s' % (path, error))

    wanted_users = set(user for user, _uid, _groups in wanted)
    tokens = dict((record.user, record.token) for record in after if record.user in wanted_users)
    if not module.no_log:
        module.warn('the tokens in the result are masked because the task does not set no_log: true; '
                    'set it to use them in later tasks')
    result = dict(
        changed=rewrite or mode_wrong,
        tokens=tokens,
        users=[record.user for record in after],
        added=added,
        updated=updated,
        removed=removed,
    )
    if module._diff:
        before = render(records, mask=True) if exists else ''
        if comments:
            before = '# %d comment line(s)\n' % comments + before
        result['diff'] = dict(before=before, after=render(after, mask=True), before_header=path, after_header=path)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
