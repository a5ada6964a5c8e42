# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""report.html: self-contained, every plot an inline SVG that parses as XML. The browser check is
in tests/integration/perf (headless Chromium)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import render_html, report
from ansible_collections.kubemark.kubemark.tests.unit.plugins.module_utils.perf.perf_samples import (
    add_clusterloader2, add_e2e, fail_measurement)

PLOTS = ('pod-startup-vs-load', 'api-p99-vs-load', 'pod-startup-cdf', 'scheduling-throughput', 'node-startup-cdf')


def svgs(html):
    return re.findall(r'<figure class="plot" id="([^"]+)">(<svg.*?</svg>)', html, re.S)


def test_every_plot_is_valid_svg_with_data(samples_dir):
    html = render_html.render(report.build(samples_dir()))
    found = svgs(html)
    assert [plot_id for plot_id, dummy in found] == list(PLOTS)
    for plot_id, svg in found:
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith('svg')
        assert root.findall('.//{http://www.w3.org/2000/svg}polyline'), plot_id
    assert 'threshold' in dict(found)['pod-startup-vs-load']


def test_nothing_is_fetched(samples_dir):
    html = render_html.render(report.build(samples_dir()))
    assert "default-src 'none'" in html
    urls = set(re.findall(r'(?:https?:)?//[^\s"\'<>)]+', html))
    assert urls <= {'http://www.w3.org/2000/svg'}
    assert '<link' not in html and 'src=' not in html


def test_empty_run_still_renders_no_data_plots(samples_dir):
    data = report.build(samples_dir(levels=(10,), scrapes=False))
    data['pod_startup_cdf'] = {'10': []}
    data['pod_startup']['10'] = dict.fromkeys(data['pod_startup']['10'], None)
    html = render_html.render(data)
    assert 'class="no-data"' in html
    for dummy, svg in svgs(html):
        ElementTree.fromstring(svg)


def test_incomplete_banner_and_escaping(samples_dir):
    data = report.build(samples_dir(status='incomplete'))
    data['errors'] = ['<script>alert(1)</script>']
    html = render_html.render(data)
    assert 'id="incomplete"' in html
    assert '<script>alert(1)</script>' not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in html


def test_nice_ticks():
    assert render_html.nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    ticks = render_html.nice_ticks(10, 100)
    assert ticks[0] <= 10 and ticks[-1] >= 100


def sections(html):
    return dict(re.findall(r'<section class="suite" id="([^"]+)">(.*?)</section>', html, re.S))


def test_suite_sections_are_well_formed_and_escaped(samples_dir):
    directory = samples_dir()
    fail_measurement(add_clusterloader2(directory), error='<b>boom</b> & more')
    add_e2e(directory, 'junit-failed.xml', status='failed')
    html = render_html.render(report.build(directory))
    found = sections(html)
    assert sorted(found) == ['clusterloader2', 'e2e', 'suites']
    for section_id, body in found.items():
        ElementTree.fromstring('<section>%s</section>' % body)
    assert '<b>boom</b>' not in html and '&lt;b&gt;boom&lt;/b&gt; &amp; more' in html
    assert html.index('id="suites"') < html.index('<h2>Plots</h2>') < html.index('id="clusterloader2"') < html.index('id="e2e"')
    assert 'id="cl2-load-measurements"' in found['clusterloader2']
    assert '<td class="skipped">skipped: needs Prometheus, which this cluster does not run</td>' in found['clusterloader2']
    assert '<td class="fail">failed: ' in found['clusterloader2']
    assert '<h4>etcd latencies (ms) and database size</h4>' in found['clusterloader2']
    assert 'id="e2e-counts"' in found['e2e'] and '[FAILED] Timed out after 300.001s.' in found['e2e']
    assert '<code>Conformance &amp;&amp; !Slow &amp;&amp; !Disruptive</code>' in found['e2e']
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # Still self-contained: the repository's address is text, nothing links or loads.
    assert '<link' not in html and 'src=' not in html and 'href=' not in html


def test_suite_sections_when_not_run(samples_dir):
    found = sections(render_html.render(report.build(samples_dir())))
    assert 'clusterloader2 was not run' in found['clusterloader2'] and 'e2e.test was not run' in found['e2e']
