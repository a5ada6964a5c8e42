# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The performance suite: the density/load test, its raw samples and the report.

prom (Prometheus text format and histogram deltas), slo (verdicts), samples (the raw samples
directory), clusterloader2 (its results, one directory per test config), e2e (the Kubernetes e2e
suite's junit file), report (report.json and report.md), render_html (report.html with inline SVG
plots) and density (the test itself, over the kubernetes client).
The exact percentiles are module_utils/_stats.py's, shared with the hollow-node modules.
"""
