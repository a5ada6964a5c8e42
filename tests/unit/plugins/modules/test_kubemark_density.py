# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""kubemark_density's bad input, refused before any cluster is touched. The run itself is tested on a
real cluster of processes in tests/integration/perf."""

from __future__ import annotations

import os

from ansible_collections.kubemark.kubemark.plugins.modules import kubemark_density


def test_load_level_above_100_is_a_clear_error(run_module, tmp_path):
    result = run_module(kubemark_density, {'kubeconfig': str(tmp_path / 'none'), 'output_dir': str(tmp_path / 'out'),
                                           'load_levels': [10, 50, 120]})
    assert result['failed']
    assert 'load level 120' in result['msg'] and 'above 100 %' in result['msg']
    assert not os.path.exists(str(tmp_path / 'out'))


def test_bad_numbers(run_module, tmp_path):
    base = {'kubeconfig': str(tmp_path / 'none'), 'output_dir': str(tmp_path / 'out')}
    assert 'nodes must be' in run_module(kubemark_density, dict(base, nodes=-1))['msg']
    assert 'above 0' in run_module(kubemark_density, dict(base, api_qps=0))['msg']
    assert 'pods_per_node must be at least 1' in run_module(kubemark_density, dict(base, pods_per_node=0))['msg']


def test_unreadable_kubeconfig(run_module, tmp_path):
    result = run_module(kubemark_density, {'kubeconfig': str(tmp_path / 'missing.kubeconfig'), 'output_dir': str(tmp_path / 'out')})
    assert result['failed'] and 'cannot load the kubeconfig' in result['msg']


def test_the_kubeconfig_text_is_loaded_too(run_module, tmp_path):
    result = run_module(kubemark_density, {'kubeconfig_content': 'apiVersion: v1\nkind: Config\n', 'output_dir': str(tmp_path / 'out')})
    assert result['failed'] and result['msg'].startswith('cannot load the kubeconfig (kubeconfig_content): ')
