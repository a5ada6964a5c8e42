# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests of module_utils/gomod.py on the real go.mod of released Kubernetes versions.

The go.mod files come from the Go module cache ('go mod download -json'), and Go's own parser
('go mod edit -json') is the oracle for what they and the rendered builder go.mod declare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.gomod import (
    GoModError,
    check_packages,
    gomod_up_to_date,
    parse_gomod,
    parse_kubernetes_version,
    render_gomod,
    render_tools,
    staging_modules,
    staging_version,
    version_ldflags,
)

# v1.31.14: the oldest release the collection targets; v1.33.13: godebug directive;
# v1.37.2: the newest release the Go module proxy served when this list was written.
GOMOD_RELEASES = ('v1.31.14', 'v1.33.13', 'v1.37.2')


def _go():
    go = shutil.which('go')
    if go is None:
        pytest.fail('these tests need the Go toolchain: "go" is not on PATH', pytrace=False)
    return go


def _go_json(argv):
    process = subprocess.run([_go()] + argv, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        pytest.fail('%s failed: %s' % (' '.join(argv), process.stderr.strip()), pytrace=False)
    return json.loads(process.stdout)


@pytest.fixture(scope='session')
def release_gomods():
    """Map each release to the path of its go.mod in the Go module cache (downloaded if missing)."""
    return dict((version, _go_json(['mod', 'download', '-json', 'k8s.io/kubernetes@' + version])['GoMod'])
                for version in GOMOD_RELEASES)


def _read(path):
    with open(path) as handle:
        return handle.read()


def _edit_json(path):
    return _go_json(['mod', 'edit', '-json', str(path)])


@pytest.mark.parametrize('version', GOMOD_RELEASES)
def test_staging_modules_match_go_parser(release_gomods, version):
    expected = sorted(item['Old']['Path'] for item in _edit_json(release_gomods[version])['Replace']
                      if item['New']['Path'].startswith('./staging/src/'))
    assert staging_modules(parse_gomod(_read(release_gomods[version]))) == expected
    assert 'k8s.io/client-go' in expected and 'k8s.io/kubelet' in expected


def test_newer_release_adds_staging_modules(release_gomods):
    old = set(staging_modules(parse_gomod(_read(release_gomods['v1.31.14']))))
    new = set(staging_modules(parse_gomod(_read(release_gomods['v1.37.2']))))
    # Modules split out after 1.31 must come from the file, not from a list in the code.
    assert {'k8s.io/cri-streaming', 'k8s.io/externaljwt', 'k8s.io/streaming'} <= new - old
    assert 'k8s.io/cri-client' in old


@pytest.mark.parametrize('version', GOMOD_RELEASES)
def test_rendered_gomod_parsed_by_go(release_gomods, version, tmp_path):
    upstream = _edit_json(release_gomods[version])
    rendered = render_gomod(parse_gomod(_read(release_gomods[version])), version, 'example.test/builder')
    path = tmp_path / 'go.mod'
    path.write_text(rendered)
    builder = _edit_json(path)

    assert builder['Module']['Path'] == 'example.test/builder'
    assert builder['Go'] == upstream['Go']
    assert builder.get('Toolchain') == upstream.get('Toolchain')
    assert builder.get('Godebug') == upstream.get('Godebug')
    assert builder['Require'] == [{'Path': 'k8s.io/kubernetes', 'Version': version}]
    tag = 'v0.' + version[3:]
    staged = sorted(item['Old']['Path'] for item in upstream['Replace']
                    if item['New']['Path'].startswith('./staging/src/'))
    assert sorted(item['Old']['Path'] for item in builder['Replace']) == staged
    for item in builder['Replace']:
        assert item['New'] == {'Path': item['Old']['Path'], 'Version': tag}
        assert 'Version' not in item['Old']


def test_godebug_copied_for_release_that_has_one(release_gomods):
    rendered = render_gomod(parse_gomod(_read(release_gomods['v1.37.2'])), 'v1.37.2')
    assert 'godebug default=go1.26\n' in rendered
    assert '\ngo 1.26.0\n' in rendered


def test_render_is_deterministic(release_gomods):
    gomod = parse_gomod(_read(release_gomods['v1.31.14']))
    assert render_gomod(gomod, 'v1.31.14') == render_gomod(parse_gomod(_read(release_gomods['v1.31.14'])), 'v1.31.14')


@pytest.mark.parametrize('version', GOMOD_RELEASES)
def test_tidied_gomod_stays_up_to_date(release_gomods, version):
    rendered = render_gomod(parse_gomod(_read(release_gomods[version])), version)
    # What "go mod tidy" does to the file: more require blocks, reordering inside blocks.
    tidied = rendered.replace(
        'require k8s.io/kubernetes %s\n' % version,
        'require (\n\tk8s.io/component-base %s\n\tk8s.io/kubernetes %s\n)\n\n'
        'require (\n\tgithub.com/spf13/cobra v1.8.1 // indirect\n)\n' % (staging_version(version), version))
    assert tidied != rendered
    assert gomod_up_to_date(tidied, rendered)
    assert gomod_up_to_date(rendered, rendered)


@pytest.mark.parametrize('version', GOMOD_RELEASES)
def test_changed_directives_are_not_up_to_date(release_gomods, version):
    gomod = parse_gomod(_read(release_gomods[version]))
    rendered = render_gomod(gomod, version)
    first = staging_modules(gomod)[0]
    tag = staging_version(version)
    assert not gomod_up_to_date(None, rendered)
    assert not gomod_up_to_date('module broken\nrequire (\n', rendered)
    assert not gomod_up_to_date(rendered.replace('\t%s => %s %s\n' % (first, first, tag), ''), rendered)
    assert not gomod_up_to_date(rendered.replace(' %s\n' % tag, ' v0.0.1\n', 1), rendered)
    assert not gomod_up_to_date(rendered.replace('\ngo ', '\ngo 1.99.0\n// was ', 1), rendered)
    assert not gomod_up_to_date(rendered.replace('kubernetes-builder', 'other'), rendered)
    assert not gomod_up_to_date(rendered + 'replace example.test/x => example.test/y v1.0.0\n', rendered)
    other = 'v1.%s.%s' % (parse_kubernetes_version(version)[0], parse_kubernetes_version(version)[1] + 1)
    assert not gomod_up_to_date(render_gomod(gomod, other), rendered)


def test_parse_single_line_directives_and_comments():
    text = (
        '// header\n'
        'module "k8s.io/kubernetes" // trailing\n'
        'go 1.23.4\n'
        'toolchain go1.23.6\n'
        'godebug (\n\tdefault=go1.23\n\twinsymlink=0\n)\n'
        'require k8s.io/api v0.0.0\n'
        'replace k8s.io/api => ./staging/src/k8s.io/api\n'
        'replace k8s.io/utils v1.0.0 => example.test/utils v1.0.1\n'
        'replace k8s.io/local => ./staging/src/k8s.io/local v1.0.0\n'
        'exclude k8s.io/x v1.0.0\n'
    )
    gomod = parse_gomod(text)
    assert gomod.module == 'k8s.io/kubernetes'
    assert (gomod.go, gomod.toolchain) == ('1.23.4', 'go1.23.6')
    assert gomod.godebug == ['default=go1.23', 'winsymlink=0']
    assert gomod.require_version('k8s.io/api') == 'v0.0.0'
    assert gomod.require_version('k8s.io/none') is None
    assert staging_modules(gomod) == ['k8s.io/api']
    rendered = render_gomod(gomod, 'v1.23.4')
    assert 'toolchain go1.23.6\n' in rendered
    assert 'godebug (\n\tdefault=go1.23\n\twinsymlink=0\n)\n' in rendered
    assert '\tk8s.io/api => k8s.io/api v0.23.4\n' in rendered


@pytest.mark.parametrize('text, message', [
    ('module k8s.io/kubernetes\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n', 'unterminated'),
    ('module k8s.io/kubernetes\nreplace k8s.io/api ./staging/src/k8s.io/api\n', 'without "=>"'),
    ('module k8s.io/kubernetes\nreplace a b c => d\n', 'malformed replace'),
    ('module k8s.io/kubernetes\nrequire k8s.io/api\n', 'malformed require'),
])
def test_parse_errors(text, message):
    with pytest.raises(GoModError, match=message):
        parse_gomod(text)


@pytest.mark.parametrize('text, message', [
    ('module example.test/other\ngo 1.22.0\nreplace k8s.io/api => ./staging/src/k8s.io/api\n', 'not k8s.io/kubernetes'),
    ('module k8s.io/kubernetes\nreplace k8s.io/api => ./staging/src/k8s.io/api\n', 'no usable "go"'),
    ('module k8s.io/kubernetes\ngo 1.22.0\ntoolchain local\nreplace k8s.io/api => ./staging/src/k8s.io/api\n',
     'unexpected toolchain'),
    ('module k8s.io/kubernetes\ngo 1.22.0\nreplace k8s.io/api => ../api\n', 'replaces no module'),
    ('module k8s.io/kubernetes\ngo 1.22.0\nreplace k8s.io/api => ./staging/src/k8s.io/client-go\n',
     'expected the matching name'),
])
def test_render_rejects_non_kubernetes_gomod(text, message):
    with pytest.raises(GoModError, match=message):
        render_gomod(parse_gomod(text), 'v1.22.0')


def test_render_rejects_bad_module_path(release_gomods):
    with pytest.raises(GoModError, match='usable module path'):
        render_gomod(parse_gomod(_read(release_gomods['v1.31.14'])), 'v1.31.14', 'bad path')


@pytest.mark.parametrize('version, expected', [
    ('v1.31.14', (31, 14, '')),
    ('v1.0.0', (0, 0, '')),
    ('v1.37.0-rc.1', (37, 0, '-rc.1')),
])
def test_parse_kubernetes_version(version, expected):
    assert parse_kubernetes_version(version) == expected


@pytest.mark.parametrize('version', ['1.31.14', 'v2.0.0', 'v1.31', 'v1.031.1', 'v1.31.14 ', '', None])
def test_parse_kubernetes_version_rejects(version):
    with pytest.raises(GoModError):
        parse_kubernetes_version(version)


def test_staging_version():
    assert staging_version('v1.31.14') == 'v0.31.14'
    assert staging_version('v1.37.0-rc.1') == 'v0.37.0-rc.1'


def test_render_tools_sorted_unique():
    text = render_tools(['k8s.io/kubernetes/cmd/kubemark', 'k8s.io/component-base/logs/kube-log-runner',
                         'k8s.io/kubernetes/cmd/kubemark'])
    assert text.count('_ "k8s.io/kubernetes/cmd/kubemark"') == 1
    assert text.index('kube-log-runner') < text.index('cmd/kubemark')
    assert '//go:build tools\n\npackage builder\n' in text


def test_render_tools_is_valid_go(tmp_path):
    path = tmp_path / 'tools.go'
    path.write_text(render_tools(['k8s.io/kubernetes/cmd/kubelet', 'go.etcd.io/etcd/server/v3']))
    gofmt = shutil.which('gofmt', path=os.path.dirname(os.path.realpath(_go()))) or shutil.which('gofmt')
    if gofmt is None:
        pytest.fail('gofmt not found next to go', pytrace=False)
    process = subprocess.run([gofmt, '-l', str(path)], capture_output=True, text=True, check=False)
    assert process.returncode == 0 and process.stdout == '' and process.stderr == ''


@pytest.mark.parametrize('packages', [[], ['./cmd/kubemark'], ['k8s.io/a//b'], ['k8s.io/a/../b'],
                                      ['k8s.io/a b'], ['k8s.io/a"'], [None]])
def test_check_packages_rejects(packages):
    with pytest.raises(GoModError):
        check_packages(packages)


def test_version_ldflags():
    flags = version_ldflags('v1.31.14', build_date='2025-01-02T03:04:05Z')
    assert '-X k8s.io/component-base/version.gitVersion=v1.31.14' in flags
    assert '-X k8s.io/client-go/pkg/version.gitMinor=31' in flags
    assert '-X k8s.io/component-base/version.gitMajor=1' in flags
    assert '-X k8s.io/component-base/version.buildDate=2025-01-02T03:04:05Z' in flags
    assert not [flag for flag in flags if 'gitCommit' in flag or 'gitTreeState' in flag]
    assert '-X k8s.io/component-base/version.gitMinor=37+' in version_ldflags('v1.37.0-rc.1')
    assert '-X k8s.io/component-base/version.gitTreeState=clean' in version_ldflags('v1.31.14', git_commit='abc')
    assert not [flag for flag in version_ldflags('v1.31.14') if 'buildDate' in flag]
