# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""report.html: the report's tables and its plots as inline SVG, in one self-contained file.

Nothing is fetched: no CDN, no font, no image; a Content-Security-Policy forbids every request, so
the page shows the same on a machine without network. A few lines of inline script only check
that every plot has a size on screen and mark it (data-rendered), which the headless-browser test
reads back.
"""

from __future__ import annotations

import math
from html import escape

from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import fidelity
from ansible_collections.kubemark.kubemark.plugins.module_utils.perf import report as report_module

PALETTE = ('#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
           '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173')
WIDTH, HEIGHT = 720, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 70, 190, 36, 48


def nice_ticks(low, high, count=5):
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / float(count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if raw <= step:
            break
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt_tick(value):
    if value == int(value):
        return '%d' % value
    return ('%.3f' % value).rstrip('0').rstrip('.')


def line_chart(chart_id, title, x_label, y_label, series, hlines=(), step=False):
    """An SVG line chart. series: [{'name', 'points': [[x, y], ...]}]; hlines: [(y, label)]."""
    points = [point for entry in series for point in entry['points'] if point[1] is not None]
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-labelledby="%s-title">'
             % (WIDTH, HEIGHT, WIDTH, HEIGHT, chart_id),
             '<title id="%s-title">%s</title>' % (chart_id, escape(title)),
             '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (WIDTH, HEIGHT),
             '<text x="%d" y="20" font-size="15" font-weight="bold">%s</text>' % (MARGIN_LEFT, escape(title))]
    if not points:
        parts.append('<text class="no-data" x="%d" y="%d" font-size="14" fill="#a00">no data</text>' % (WIDTH // 2 - 30, HEIGHT // 2))
        parts.append('</svg>')
        return ''.join(parts)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points] + [y for y, dummy in hlines]
    x_ticks = nice_ticks(min(xs), max(xs)) if max(xs) > min(xs) else [min(xs) - 1, min(xs), min(xs) + 1]
    y_ticks = nice_ticks(0.0, max(ys) if max(ys) > 0 else 1.0)
    x0, x1, y0, y1 = x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1]

    def sx(x):
        return MARGIN_LEFT + (x - x0) / float(x1 - x0) * plot_w

    def sy(y):
        return MARGIN_TOP + plot_h - (y - y0) / float(y1 - y0) * plot_h

    parts.append('<g class="axes" font-size="11" fill="#333">')
    for tick in y_ticks:
        parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (MARGIN_LEFT, sy(tick), MARGIN_LEFT + plot_w, sy(tick)))
        parts.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>' % (MARGIN_LEFT - 6, sy(tick) + 4, _fmt_tick(tick)))
    for tick in x_ticks:
        parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/>' % (sx(tick), MARGIN_TOP, sx(tick), MARGIN_TOP + plot_h))
        parts.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>' % (sx(tick), MARGIN_TOP + plot_h + 16, _fmt_tick(tick)))
    parts.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>' % (MARGIN_LEFT, MARGIN_TOP, plot_w, plot_h))
    parts.append('<text x="%.1f" y="%d" text-anchor="middle" font-size="12">%s</text>' % (MARGIN_LEFT + plot_w / 2.0, HEIGHT - 8, escape(x_label)))
    parts.append('<text x="16" y="%.1f" text-anchor="middle" font-size="12" transform="rotate(-90 16 %.1f)">%s</text>'
                 % (MARGIN_TOP + plot_h / 2.0, MARGIN_TOP + plot_h / 2.0, escape(y_label)))
    parts.append('</g>')
    for y, label in hlines:
        parts.append('<line class="threshold" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#a00" stroke-dasharray="6 4"/>'
                     % (MARGIN_LEFT, sy(y), MARGIN_LEFT + plot_w, sy(y)))
        parts.append('<text x="%d" y="%.1f" font-size="11" fill="#a00" text-anchor="end">%s</text>'
                     % (MARGIN_LEFT + plot_w - 4, sy(y) - 4, escape(label)))
    legend_y = MARGIN_TOP + 6
    for index, entry in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        pts = [p for p in entry['points'] if p[1] is not None]
        if not pts:
            continue
        coords = []
        for i, (x, y) in enumerate(pts):
            if step and i:
                coords.append('%.1f,%.1f' % (sx(x), sy(pts[i - 1][1])))
            coords.append('%.1f,%.1f' % (sx(x), sy(y)))
        parts.append('<polyline class="series" data-name="%s" fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                     % (escape(entry['name']), color, ' '.join(coords)))
        if len(pts) <= 12:
            for x, y in pts:
                parts.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s, %s</title></circle>'
                             % (sx(x), sy(y), color, escape(entry['name']), _fmt_tick(x), _fmt_tick(round(y, 4))))
        parts.append('<rect x="%d" y="%d" width="12" height="3" fill="%s"/>' % (WIDTH - MARGIN_RIGHT + 12, legend_y, color))
        parts.append('<text x="%d" y="%d" font-size="11">%s</text>' % (WIDTH - MARGIN_RIGHT + 30, legend_y + 5, escape(entry['name'][:28])))
        legend_y += 16
    parts.append('</svg>')
    return ''.join(parts)


def plots(report):
    """[(id, caption, svg)] of every plot of the report."""
    levels = report['levels']
    threshold = report['slo_settings']['pod_startup_seconds']
    result = []
    series = []
    for p in (50, 90, 99):
        series.append({'name': 'p%d' % p, 'points': [[level, report['pod_startup'][str(level)]['p%d' % p]] for level in levels]})
    result.append(('pod-startup-vs-load', 'Pod startup latency against the load level',
                   line_chart('pod-startup-vs-load', 'Pod startup latency vs load', 'load (% of capacity)', 'seconds', series,
                              hlines=[(threshold, 'SLO %g s' % threshold)])))
    series = []
    for row in report['api_calls']:
        series.append({'name': '%s %s' % (row['verb'], row['resource']),
                       'points': [[level, row['levels'][str(level)]['p99']] for level in levels]})
    result.append(('api-p99-vs-load', 'Client-side p99 of every verb and resource against the load level',
                   line_chart('api-p99-vs-load', 'API call p99 vs load', 'load (% of capacity)', 'seconds', series,
                              hlines=[(report['slo_settings']['api_call_seconds'], 'SLO %g s' % report['slo_settings']['api_call_seconds'])])))
    series = [{'name': '%s%%-full' % level, 'points': [[value, fraction * 100.0] for value, fraction in report['pod_startup_cdf'][str(level)]]}
              for level in levels]
    result.append(('pod-startup-cdf', 'Cumulative distribution of pod startup latency per load level',
                   line_chart('pod-startup-cdf', 'Pod startup latency CDF', 'seconds', '% of pods', series, step=True)))
    series = [{'name': 'pods scheduled/s', 'points': report['scheduling_timeline']}]
    result.append(('scheduling-throughput', 'Pods scheduled per second over the run (PodScheduled condition times)',
                   line_chart('scheduling-throughput', 'Scheduling throughput over time', 'seconds since the first level started',
                              'pods scheduled per second', series)))
    series = [{'name': 'nodes', 'points': [[value, fraction * 100.0] for value, fraction in report['node_startup_cdf']]}]
    result.append(('node-startup-cdf', 'Cumulative distribution of node startup latency (creation to Ready)',
                   line_chart('node-startup-cdf', 'Node startup latency CDF', 'seconds', '% of nodes', series, step=True,
                              hlines=[])))
    return result


CHECK_SCRIPT = """
(function () {
  var figures = document.querySelectorAll('figure.plot');
  var rendered = 0;
  for (var i = 0; i < figures.length; i++) {
    var svg = figures[i].querySelector('svg');
    var box = svg ? svg.getBoundingClientRect() : null;
    var drawn = svg ? svg.querySelectorAll('polyline, text.no-data').length : 0;
    var ok = box !== null && box.width > 0 && box.height > 0 && drawn > 0;
    figures[i].setAttribute('data-rendered', ok ? 'yes' : 'no');
    if (ok) { rendered += 1; }
  }
  document.body.setAttribute('data-plots', String(figures.length));
  document.body.setAttribute('data-plots-rendered', String(rendered));
})();
"""

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em 0; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.pass { color: #070; font-weight: bold; } .fail { color: #b00; font-weight: bold; }
.no-data, .incomplete { color: #a60; font-weight: bold; }
.banner { padding: 0.6em 1em; border: 2px solid #a60; background: #fff4e0; }
.skipped { color: #666; }
section.suite th, section.suite td { text-align: left; }
code { white-space: pre-wrap; word-break: break-all; }
figure.plot { display: inline-block; margin: 0 1em 1em 0; }
"""


def _verdict_cell(verdict):
    css = {'pass': 'pass', 'fail': 'fail', 'no-data': 'no-data', 'incomplete': 'incomplete'}.get(verdict, '')
    return '<td class="%s">%s</td>' % (css, escape(report_module.mark(verdict)))


def _table(report, by_level, checks):
    levels = report['levels']
    rows = ['<table><tr><th></th>%s</tr>' % ''.join('<th>%s</th>' % escape(report_module.level_header(level)) for level in levels)]
    for p in report_module.TABLE_PERCENTILES:
        rows.append('<tr><td>%dth percentile</td>%s</tr>' % (p, ''.join(
            '<td>%s</td>' % escape(report_module.fmt_seconds((by_level.get(str(level)) or {}).get('p%d' % p))) for level in levels)))
    rows.append('<tr><td>samples</td>%s</tr>' % ''.join('<td>%s</td>' % (by_level.get(str(level)) or {}).get('count', 0) for level in levels))
    if checks:
        sample = next(iter(checks.values()))
        cells = ''.join(_verdict_cell(checks[level]['verdict']) if level in checks else '<td>—</td>' for level in levels)
        rows.append('<tr><td>SLO p%d &le; %s</td>%s</tr>' % (sample['percentile'], escape(report_module.fmt_seconds(sample['threshold'])), cells))
    rows.append('</table>')
    return ''.join(rows)


def _html_cell(cell, tag='td'):
    text, css = cell if isinstance(cell, tuple) else (cell, '')
    return '<%s%s>%s</%s>' % (tag, ' class="%s"' % escape(css) if css else '', escape(str(text)), tag)


def blocks_html(blocks):
    """HTML of report blocks (see report.py): well-formed, every text escaped."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind == 'h':
            out.append('<h%d>%s</h%d>' % (block[1], escape(block[2]), block[1]))
        elif kind == 'p':
            out.append('<p>%s</p>' % escape(block[1]))
        elif kind == 'ul':
            items = []
            for item in block[1]:
                if isinstance(item, tuple):
                    items.append('<li>%s: <code>%s</code></li>' % (escape(item[1]), escape(str(item[2]))))
                else:
                    items.append('<li>%s</li>' % escape(str(item)))
            out.append('<ul>%s</ul>' % ''.join(items))
        elif kind == 'table':
            table_id, header, rows = block[1], block[2], block[3]
            out.append('<table id="%s"><tr>%s</tr>%s</table>' % (
                escape(table_id), ''.join(_html_cell(cell, 'th') for cell in header),
                ''.join('<tr>%s</tr>' % ''.join(_html_cell(cell) for cell in row) for row in rows)))
    return ''.join(out)


def suite_section(section_id, blocks):
    return '<section class="suite" id="%s">%s</section>' % (escape(section_id), blocks_html(blocks))


def render(report):
    """report.html as a string."""
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
           'script-src \'unsafe-inline\'; img-src data:">',
           '<title>kubemark performance report %s</title><style>%s</style></head><body>'
           % (escape(str(report['run'].get('run_id', ''))), STYLE)]
    out.append('<h1>kubemark performance report</h1>')
    out.append('<p>Verdict: <span id="verdict" class="%s">%s</span></p>' % (escape(report['verdict']), escape(report_module.mark(report['verdict']))))
    if report['status'] != 'complete':
        out.append('<p class="banner" id="incomplete">This run is <b>incomplete</b>: the figures are partial and are not a pass.</p>')
    if report['errors']:
        out.append('<ul>%s</ul>' % ''.join('<li>error: %s</li>' % escape(str(e)) for e in report['errors']))
    out.append(suite_section('suites', report_module.suite_blocks(report)))
    out.append('<h2>Plots</h2>')
    for plot_id, caption, svg in plots(report):
        out.append('<figure class="plot" id="%s">%s<figcaption>%s</figcaption></figure>' % (plot_id, svg, escape(caption)))
    out.append('<h2>SLO verdicts</h2><table><tr><th>SLO</th><th>level</th><th>subject</th><th>value</th><th>threshold</th>'
               '<th>samples</th><th>verdict</th></tr>')
    for check in report['slo_checks']:
        out.append('<tr><td>%s p%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td>%s</tr>' % (
            escape(check['slo']), check['percentile'], '—' if check['level'] is None else escape(report_module.level_header(check['level'])),
            escape(check['subject']), escape(report_module.fmt_seconds(check['value'])),
            escape(report_module.fmt_seconds(check['threshold'])), check['count'], _verdict_cell(check['verdict'])))
    out.append('</table>')
    out.append('<h2>Pod startup latency</h2>')
    out.append(_table(report, report['pod_startup'], report_module.checks_for(report, 'pod_startup', 'pods')))
    out.append('<h2>API call latency per verb &times; resource (client side)</h2>')
    for row in report['api_calls']:
        key = (row['verb'], row['resource'], row['scope'])
        out.append('<h3>%s</h3>' % escape('%s %s (scope %s)' % key))
        out.append(_table(report, row['levels'], report_module.checks_for(report, 'api_call', report_module.api_key_name(key))))
    out.append(suite_section('clusterloader2', report_module.clusterloader2_blocks(report['clusterloader2'])))
    out.append(suite_section('e2e', report_module.e2e_blocks(report['e2e'])))
    if report.get('fidelity'):
        out.append(suite_section('fidelity', fidelity.blocks(report['fidelity'])))
    out.append('<h2>Full report</h2><p>Node startup, scheduler and API server metrics, clusterloader2 and e2e.test (also in '
               'report.md and report.json next to this file):</p>')
    out.append('<details open><summary>report.md</summary><pre>%s</pre></details>' % escape(report_module.markdown(report)))
    out.append('<script>%s</script></body></html>' % CHECK_SCRIPT)
    return '\n'.join(out) + '\n'
