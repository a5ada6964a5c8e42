# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad clusterloader2 and e2e.test inputs through playbooks/perf.yml: each stops the play before
anything runs, with a message naming the variable, and leaves no run directory behind.

The repository is a writable copy of the kubernetes/perf-tests mirror (KUBEMARK_PERF_TESTS_MIRROR,
which hack/test.sh sets); e2e.test is the one in the artifacts manifest of the default version
(the test stage's artifacts build). The successful run (the load config on a kubemark master, and
e2e.test's default set) is the e2e stage's: it needs a master with SSH, etcd's metrics listener
and its components' layout, which the cluster of processes does not have.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

import cluster  # tests/integration/perf/cluster.py, put on sys.path by conftest.py

MIRROR = os.environ.get('KUBEMARK_PERF_TESTS_MIRROR', '')
MANIFEST = os.path.expanduser('~/.cache/kubemark/kubernetes/%s/artifacts.json' % cluster.VERSION)


@pytest.fixture(scope='module')
def perf_tests_repo(tmp_path_factory):
    """A writable git repository of the mirror's commit (the mirror itself is read-only)."""
    if not MIRROR or not os.path.isdir(MIRROR):
        pytest.fail('KUBEMARK_PERF_TESTS_MIRROR (%r) names no kubernetes/perf-tests mirror' % MIRROR, pytrace=False)
    copy = tmp_path_factory.mktemp('perf-tests') / 'perf-tests.git'
    shutil.copytree(MIRROR, str(copy))
    for root, dirs, files in os.walk(str(copy)):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755 if name in dirs else 0o644)
    os.chmod(str(copy), 0o755)
    # The mirror has packed-refs but no refs/ directory, without which git does not take it for a
    # repository.
    for name in ('refs/heads', 'refs/tags'):
        os.makedirs(str(copy / name), exist_ok=True)
    head = subprocess.run(['git', '--git-dir', str(copy), 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True)
    return 'file://%s' % copy, head.stdout.strip()


@pytest.fixture
def stopped_early(run_playbook, tmp_path):
    """Run perf.yml with the given variables against a kubeconfig that is never read."""
    kubeconfig = tmp_path / 'kubeconfig'
    kubeconfig.write_text('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n')
    results = tmp_path / 'results'

    def run(**overrides):
        variables = {'perf_kubeconfig': str(kubeconfig), 'perf_results_dir': str(results), 'perf_nodes': 1,
                     'perf_clusterloader2_master_ip': '127.0.0.1',
                     'perf_clusterloader2_enabled': False, 'perf_e2e_enabled': False}
        variables.update(overrides)
        rc, output = run_playbook(variables, timeout=900)
        assert rc != 0, output[-3000:]
        runs = os.listdir(str(results)) if results.exists() else []
        assert not runs, 'a run directory was made: %r\n%s' % (runs, output[-3000:])
        return output
    return run


def test_unreachable_repository(stopped_early, tmp_path):
    output = stopped_early(perf_clusterloader2_enabled=True, perf_clusterloader2_repo='file://%s/nowhere.git' % tmp_path)
    assert 'perf_clusterloader2_repo' in output and 'does not answer' in output, output[-3000:]


def test_unknown_ref(stopped_early, perf_tests_repo):
    repo = perf_tests_repo[0]
    output = stopped_early(perf_clusterloader2_enabled=True, perf_clusterloader2_repo=repo,
                           perf_clusterloader2_version='no-such-branch')
    assert "perf_clusterloader2_version 'no-such-branch' is neither a commit" in output, output[-3000:]


def test_config_missing_from_the_checkout(stopped_early, perf_tests_repo):
    repo, commit = perf_tests_repo
    output = stopped_early(perf_clusterloader2_enabled=True, perf_clusterloader2_repo=repo,
                           perf_clusterloader2_version=commit,
                           perf_clusterloader2_testconfigs=['testing/load/config.yaml', 'testing/no-such/config.yaml'])
    assert 'testing/no-such/config.yaml not found in' in output and 'perf_clusterloader2_testconfigs' in output, output[-3000:]


def test_e2e_focus_that_selects_nothing(stopped_early):
    with open(MANIFEST) as handle:
        binaries = json.load(handle)['binaries']
    assert 'e2e.test' in binaries and 'ginkgo' in binaries, 'build e2e.test and ginkgo first (image_build_e2e_test)'
    output = stopped_early(perf_e2e_enabled=True, perf_e2e_focus='no test has this name', perf_e2e_artifacts_manifest=MANIFEST)
    assert 'e2e.test selects no test' in output and 'perf_e2e_focus' in output, output[-3000:]


def test_e2e_parallelism_below_one(stopped_early):
    output = stopped_early(perf_e2e_enabled=True, perf_e2e_parallelism=0, perf_e2e_artifacts_manifest=MANIFEST)
    assert 'perf_e2e_parallelism (0) must be at least 1' in output, output[-3000:]
