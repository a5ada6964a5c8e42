# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures of the perf suite's integration test: a real cluster of processes (cluster.py) and a
runner of playbooks/perf.yml against it with this checkout's collection."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cluster  # noqa: E402 pylint: disable=wrong-import-position

REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
NODES = int(os.environ.get('KUBEMARK_PERF_TEST_NODES', '6'))


@pytest.fixture(scope='session')
def perf_cluster(tmp_path_factory):
    """N hollow nodes and a control plane on 127.0.0.1, torn down after the session."""
    instance = cluster.ProcessCluster(NODES, workdir=str(tmp_path_factory.mktemp('cluster')))
    try:
        instance.start()
    except cluster.ClusterError as error:
        instance.stop()
        pytest.fail('the test cluster did not come up: %s' % error, pytrace=False)
    yield instance
    instance.stop()


@pytest.fixture(scope='session')
def run_playbook(tmp_path_factory):
    """Run playbooks/perf.yml of this checkout on localhost with extra variables; return (rc, output)."""
    inventory = tmp_path_factory.mktemp('inventory') / 'hosts'
    inventory.write_text('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)

    def run(extra_vars, timeout=1800):
        vars_file = tmp_path_factory.mktemp('vars') / 'vars.json'
        vars_file.write_text(json.dumps(extra_vars))
        env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), ANSIBLE_FORCE_COLOR='0',
                   ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='default')
        process = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', str(inventory),
             os.path.join(REPO, 'playbooks', 'perf.yml'), '-e', '@' + str(vars_file)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        return process.returncode, process.stdout + process.stderr

    return run


@pytest.fixture
def perf_vars(perf_cluster, tmp_path):
    """Return a function giving the playbook's variables for the test cluster, with overrides."""
    def make(**overrides):
        return cluster.playbook_vars(perf_cluster, tmp_path / 'results', **overrides)
    return make
