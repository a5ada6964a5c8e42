# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""runc-restricted, CRI-O's runc on hosts whose root lacks CAP_SYS_RESOURCE.

The template is rendered as the master role renders it, then run as a program with /bin/echo
standing in for runc, so the arguments it hands on are visible. The molecule scenario crio runs it
with the real runc under CRI-O on a machine container that lacks CAP_SYS_RESOURCE.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jinja2
import pytest

TEMPLATE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..',
                        'roles', 'master', 'templates', 'runc-restricted.j2')


def own_score():
    with open('/proc/self/oom_score_adj') as own_file:
        return int(own_file.read().strip())


def bounding_set():
    """Names (CAP_*) of the capabilities in this process's bounding set."""
    with open('/proc/self/status') as status_file:
        bounding = next(int(line.split()[1], 16) for line in status_file if line.startswith('CapBnd:'))
    names = ('CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE '
             'NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO '
             'SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME '
             'SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG '
             'WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE').split()
    return ['CAP_' + name for number, name in enumerate(names) if bounding >> number & 1], ['CAP_' + name for name in names]


@pytest.fixture()
def script(tmp_path):
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters['to_json'] = json.dumps
    with open(TEMPLATE) as template_file:
        source = env.from_string(template_file.read()).render(
            master_crio_python=sys.executable,
            master_crio_runc_path='/bin/echo',
            ansible_managed='managed by the test')
    path = tmp_path / 'runc-restricted'
    path.write_text(source)
    path.chmod(0o755)
    return path


def bundle(tmp_path, process):
    directory = tmp_path / 'bundle'
    directory.mkdir()
    config = {'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}}
    if process is not None:
        config['process'] = process
    (directory / 'config.json').write_text(json.dumps(config))
    (directory / 'config.json').chmod(0o600)
    return directory


def run(script, args):
    return subprocess.run([str(script)] + args, capture_output=True, text=True, check=True)


@pytest.mark.parametrize('form', ['--bundle', '-b', '--bundle=', '-b='])
def test_create_raises_a_negative_score_to_its_own(script, tmp_path, form):
    directory = bundle(tmp_path, {'args': ['pause'], 'oomScoreAdj': -998})
    where = [form + str(directory)] if form.endswith('=') else [form, str(directory)]
    args = ['--root=/run/runc', '--systemd-cgroup', 'create'] + where + ['--pid-file', 'pid', 'abc']
    result = run(script, args)
    assert result.stdout.split() == args
    config = json.loads((directory / 'config.json').read_text())
    assert config['process']['oomScoreAdj'] == max(-998, own_score())
    assert config['process']['args'] == ['pause']
    assert oct((directory / 'config.json').stat().st_mode & 0o777) == '0o600'
    assert not os.path.exists(str(directory / 'config.json') + '.restricted')


def test_run_uses_the_current_directory_without_bundle(script, tmp_path):
    directory = bundle(tmp_path, {'oomScoreAdj': -997})
    subprocess.run([str(script), 'run', 'abc'], cwd=str(directory), capture_output=True, check=True)
    assert json.loads((directory / 'config.json').read_text())['process']['oomScoreAdj'] == max(-997, own_score())


@pytest.mark.parametrize('process', [{'oomScoreAdj': 1000}, {'args': ['sh']},
                                     {'capabilities': {'bounding': ['CAP_CHOWN', 'CAP_KILL']}}, None])
def test_scores_it_may_set_and_configs_without_one_are_left_alone(script, tmp_path, process):
    directory = bundle(tmp_path, process)
    before = (directory / 'config.json').read_text()
    run(script, ['create', '--bundle', str(directory), 'abc'])
    assert (directory / 'config.json').read_text() == before


def test_privileged_capabilities_are_kept_within_the_bounding_set(script, tmp_path):
    kept, every = bounding_set()
    # What CRI-O asks for a privileged container: every capability it knows, in every set.
    wanted = every + ['CAP_NOT_KNOWN_HERE']
    directory = bundle(tmp_path, {'capabilities': {kind: list(wanted) for kind in
                                                   ('bounding', 'effective', 'permitted', 'inheritable')}})
    run(script, ['create', '--bundle', str(directory), 'abc'])
    capabilities = json.loads((directory / 'config.json').read_text())['process']['capabilities']
    # Names it cannot place are left for runc to judge.
    assert capabilities == {kind: kept + ['CAP_NOT_KNOWN_HERE'] for kind in
                            ('bounding', 'effective', 'permitted', 'inheritable')}


def test_other_commands_are_passed_on_untouched(script, tmp_path):
    directory = bundle(tmp_path, {'oomScoreAdj': -997})
    before = (directory / 'config.json').read_text()
    result = run(script, ['--root', '/run/runc', 'state', 'abc'])
    assert result.stdout.split() == ['--root', '/run/runc', 'state', 'abc']
    assert (directory / 'config.json').read_text() == before


def test_an_unreadable_bundle_is_left_to_runc(script, tmp_path):
    result = run(script, ['create', '--bundle', str(tmp_path / 'missing'), 'abc'])
    assert result.stdout.split() == ['create', '--bundle', str(tmp_path / 'missing'), 'abc']
    assert 'left as it is' in result.stderr
