# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The samples_dir fixture: a synthetic samples directory with known figures."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import write_samples


@pytest.fixture
def samples_dir(tmp_path):
    def make(**kwargs):
        return write_samples(str(tmp_path / 'run'), **kwargs)
    return make
