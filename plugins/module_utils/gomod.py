# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic for building Kubernetes commands from the Go module proxy.

k8s.io/kubernetes requires each of its staging modules (k8s.io/api, k8s.io/client-go, ...) at
v0.0.0 and replaces them with ./staging/src/k8s.io/<name>. Those replaces only apply while
k8s.io/kubernetes is the main module, so a "builder" module that requires k8s.io/kubernetes
must replace every staging module with its published tag v0.Y.Z. This file reads the real go.mod
of a release, derives the staging list from it and renders the builder's go.mod and blank-import
file. Nothing here touches the file system or runs go.
"""

from __future__ import annotations

import re

BUILDER_MODULE_PATH = 'kubemark.local/kubernetes-builder'
KUBERNETES_MODULE = 'k8s.io/kubernetes'
TOOLS_FILE = 'tools.go'
GOMOD_FILE = 'go.mod'
TOOLS_BUILD_TAG = 'tools'

_VERSION_RE = re.compile(r'^v1\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)(?P<pre>-[0-9A-Za-z.-]+)?$')
_MODULE_PATH_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._~/-]*$')
_PACKAGE_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._~/-]*[A-Za-z0-9_]$')
_GO_VERSION_RE = re.compile(r'^1\.[0-9]+(\.[0-9]+|rc[0-9]+|beta[0-9]+)?$')
_TOOLCHAIN_RE = re.compile(r'^go1\.[0-9]+(\.[0-9]+|rc[0-9]+|beta[0-9]+)?(\+[0-9A-Za-z.-]+)?$')
_STAGING_TARGET_RE = re.compile(r'^\./staging/src/(?P<path>k8s\.io/[A-Za-z0-9._-]+)$')


class GoModError(Exception):
    """A go.mod, a version or a package list that cannot be used for a builder module."""


class GoMod(object):
    """The directives of one go.mod file that a builder module cares about."""

    def __init__(self):
        self.module = None
        self.go = None
        self.toolchain = None
        self.godebug = []
        self.requires = []
        self.replaces = []

    def require_version(self, path):
        for req_path, req_version in self.requires:
            if req_path == path:
                return req_version
        return None


def _strip_comment(line):
    index = line.find('//')
    if index >= 0:
        line = line[:index]
    return line.strip()


def _unquote(token):
    if len(token) >= 2 and token[0] == token[-1] and token[0] in ('"', '`'):
        return token[1:-1]
    return token


def _parse_replace(args, lineno):
    if '=>' not in args:
        raise GoModError('go.mod line %d: replace without "=>"' % lineno)
    left, right = args.split('=>', 1)
    left = [_unquote(t) for t in left.split()]
    right = [_unquote(t) for t in right.split()]
    if len(left) not in (1, 2) or len(right) not in (1, 2):
        raise GoModError('go.mod line %d: malformed replace directive' % lineno)
    return (left[0], left[1] if len(left) == 2 else None,
            right[0], right[1] if len(right) == 2 else None)


def _parse_require(args, lineno):
    tokens = [_unquote(t) for t in args.split()]
    if len(tokens) != 2:
        raise GoModError('go.mod line %d: malformed require directive' % lineno)
    return (tokens[0], tokens[1])


def parse_gomod(text):
    """Parse the directives of a go.mod file (module, go, toolchain, godebug, require, replace)."""
    gomod = GoMod()
    block = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        if block is not None:
            if line == ')':
                block = None
                continue
            directive, args = block, line
        else:
            parts = line.split(None, 1)
            directive = parts[0]
            args = parts[1].strip() if len(parts) > 1 else ''
            if args == '(':
                block = directive
                continue
        if directive == 'module':
            gomod.module = _unquote(args)
        elif directive == 'go':
            gomod.go = args
        elif directive == 'toolchain':
            gomod.toolchain = args
        elif directive == 'godebug':
            gomod.godebug.append(' '.join(args.split()))
        elif directive == 'require':
            gomod.requires.append(_parse_require(args, lineno))
        elif directive == 'replace':
            gomod.replaces.append(_parse_replace(args, lineno))
    if block is not None:
        raise GoModError('go.mod: unterminated "%s (" block' % block)
    return gomod


def parse_kubernetes_version(version):
    """Return (minor, patch, prerelease) of a Kubernetes release tag such as v1.31.14."""
    match = _VERSION_RE.match(version or '')
    if not match:
        raise GoModError('"%s" is not a Kubernetes release version of the form v1.Y.Z' % version)
    return int(match.group('minor')), int(match.group('patch')), match.group('pre') or ''


def staging_version(version):
    """The tag of the staging modules published with a Kubernetes release: v1.Y.Z -> v0.Y.Z."""
    parse_kubernetes_version(version)
    return 'v0.' + version[len('v1.'):]


def staging_modules(gomod):
    """Every module the Kubernetes go.mod replaces with a directory under ./staging/src/."""
    found = set()
    for old_path, dummy_old_version, new_path, new_version in gomod.replaces:
        match = _STAGING_TARGET_RE.match(new_path)
        if match is None or new_version is not None:
            continue
        if match.group('path') != old_path:
            raise GoModError('go.mod replaces %s with staging directory %s; expected the matching name'
                             % (old_path, new_path))
        found.add(old_path)
    return sorted(found)


def check_kubernetes_gomod(gomod, version):
    """Fail unless the parsed go.mod is the k8s.io/kubernetes module with staging replaces."""
    parse_kubernetes_version(version)
    if gomod.module != KUBERNETES_MODULE:
        raise GoModError('the go.mod declares module %s, not %s' % (gomod.module, KUBERNETES_MODULE))
    if not gomod.go or not _GO_VERSION_RE.match(gomod.go):
        raise GoModError('the k8s.io/kubernetes go.mod has no usable "go" directive (%r)' % gomod.go)
    if gomod.toolchain is not None and not _TOOLCHAIN_RE.match(gomod.toolchain):
        raise GoModError('the k8s.io/kubernetes go.mod has an unexpected toolchain %r' % gomod.toolchain)
    if not staging_modules(gomod):
        raise GoModError('the k8s.io/kubernetes go.mod replaces no module with ./staging/src/: '
                         'not a Kubernetes release go.mod')


def check_packages(packages):
    """Validate the main package import paths listed for the blank-import file."""
    if not packages:
        raise GoModError('at least one package to build is required')
    cleaned = []
    for package in packages:
        if not isinstance(package, str) or not _PACKAGE_RE.match(package) or '//' in package \
                or '/../' in package or package.startswith('.'):
            raise GoModError('"%s" is not a Go package import path' % (package,))
        if package not in cleaned:
            cleaned.append(package)
    return sorted(cleaned)


def render_gomod(kubernetes_gomod, version, module_path=BUILDER_MODULE_PATH):
    """Render the builder's go.mod text for one Kubernetes release."""
    check_kubernetes_gomod(kubernetes_gomod, version)
    if not _MODULE_PATH_RE.match(module_path or ''):
        raise GoModError('"%s" is not a usable module path' % (module_path,))
    tag = staging_version(version)
    lines = [
        '// Rendered by kubemark.kubemark.kubemark_gomod_builder for Kubernetes %s.' % version,
        '// "go mod tidy" may add require lines; the directives below are managed by the module.',
        '',
        'module %s' % module_path,
        '',
        'go %s' % kubernetes_gomod.go,
    ]
    if kubernetes_gomod.toolchain:
        lines.append('')
        lines.append('toolchain %s' % kubernetes_gomod.toolchain)
    if kubernetes_gomod.godebug:
        lines.append('')
        if len(kubernetes_gomod.godebug) == 1:
            lines.append('godebug %s' % kubernetes_gomod.godebug[0])
        else:
            lines.append('godebug (')
            lines.extend('\t%s' % item for item in kubernetes_gomod.godebug)
            lines.append(')')
    lines.extend(['', 'require %s %s' % (KUBERNETES_MODULE, version), '', 'replace ('])
    lines.extend('\t%s => %s %s' % (path, path, tag) for path in staging_modules(kubernetes_gomod))
    lines.extend([')', ''])
    return '\n'.join(lines)


def render_tools(packages):
    """Render a Go file whose blank imports make "go mod tidy/vendor" keep the packages to build."""
    packages = check_packages(packages)
    lines = [
        '// Rendered by kubemark.kubemark.kubemark_gomod_builder.',
        '// The blank imports keep these main packages in the module graph and in vendor/.',
        '',
        '//go:build %s' % TOOLS_BUILD_TAG,
        '',
        'package builder',
        '',
        'import (',
    ]
    lines.extend('\t_ "%s"' % package for package in packages)
    lines.extend([')', ''])
    return '\n'.join(lines)


def managed_state(gomod):
    """What of a builder go.mod this collection manages: everything but tidy's extra requires."""
    replaces = sorted((old, old_v or '', new, new_v or '') for old, old_v, new, new_v in gomod.replaces)
    return {
        'module': gomod.module,
        'go': gomod.go,
        'toolchain': gomod.toolchain,
        'godebug': list(gomod.godebug),
        'kubernetes': gomod.require_version(KUBERNETES_MODULE),
        'replaces': replaces,
    }


def gomod_up_to_date(existing_text, rendered_text):
    """True when an existing builder go.mod carries exactly the managed directives rendered.

    "go mod tidy" adds the require lines the build graph needs; those are not compared, so a
    tidied go.mod stays up to date and a second run reports no change.
    """
    if existing_text is None:
        return False
    try:
        existing = parse_gomod(existing_text)
    except GoModError:
        return False
    return managed_state(existing) == managed_state(parse_gomod(rendered_text))


def version_ldflags(version, build_date=None, git_commit=None):
    """The -X flags Kubernetes' hack/lib/version.sh sets, so "--version" prints the release."""
    minor, dummy_patch, pre = parse_kubernetes_version(version)
    values = [('gitVersion', version), ('gitMajor', '1'), ('gitMinor', str(minor) + ('+' if pre else ''))]
    if git_commit:
        values.extend([('gitCommit', git_commit), ('gitTreeState', 'clean')])
    if build_date:
        values.append(('buildDate', build_date))
    flags = []
    for package in ('k8s.io/client-go/pkg/version', 'k8s.io/component-base/version'):
        for key, value in values:
            flags.append('-X %s.%s=%s' % (package, key, value))
    return flags


# --------------------------------------------------------------------------------------------
# The entry point of e2e.test
# --------------------------------------------------------------------------------------------

# k8s.io/kubernetes's test/e2e/e2e_test.go is the entry point of e2e.test (TestMain, TestE2E and
# the imports of every test suite). It is a _test.go file of a dependency, which "go mod vendor"
# leaves out, so a builder module carries an entry point of its own in a test package, e2e/.
E2E_TEST_FILE = 'e2e/e2e_test.go'
E2E_PACKAGE = './e2e'
_BLANK_IMPORT_RE = re.compile(r'^\s*_\s+"(?P<path>k8s\.io/kubernetes/test/[A-Za-z0-9_./-]+)"\s*$', re.MULTILINE)
# Embedded file sources the framework reads manifests and fixtures from, by the accessor a
# release's entry point calls: import path and the function of it.
_EMBEDDED_SOURCES = (
    ('GetE2ETestingManifestsFS', 'k8s.io/kubernetes/test/e2e/testing-manifests'),
    ('GetTestFixturesFS', 'k8s.io/kubernetes/test/fixtures'),
    ('GetConformanceTestdataFS', 'k8s.io/kubernetes/test/conformance/testdata'),
)
_LOGCHECK = ('logcheck.RegisterFlags', 'k8s.io/kubernetes/test/e2e/invariants/logcheck')


def render_e2e_test(release_text, version):
    """The builder's e2e/e2e_test.go for a release, from what the release's own entry point needs.

    release_text is k8s.io/kubernetes's test/e2e/e2e_test.go of that release: its blank imports
    (the test suites and the framework's reconfiguration) and the embedded file sources and flag
    sets it registers are carried over; the rest (listing conformance tests, --version, progress
    reports) is left out.
    """
    parse_kubernetes_version(version)
    blank = []
    for match in _BLANK_IMPORT_RE.finditer(release_text or ''):
        if match.group('path') not in blank:
            blank.append(match.group('path'))
    if not any(path.startswith('k8s.io/kubernetes/test/e2e/') and '/framework/' not in path for path in blank):
        raise GoModError('the e2e entry point of Kubernetes %s imports no test suite: not a test/e2e/e2e_test.go' % version)
    if 'RunE2ETests' not in release_text or 'RegisterClusterFlags' not in release_text:
        raise GoModError('the e2e entry point of Kubernetes %s does not call RunE2ETests and RegisterClusterFlags: '
                         'upstream changed it, and the builder must learn the new shape' % version)
    sources = [(function, path) for function, path in _EMBEDDED_SOURCES if function in release_text]
    logcheck = _LOGCHECK[0] in release_text
    named = [('e2esource%d' % index, path) for index, (dummy_function, path) in enumerate(sources)]
    imports = ['"k8s.io/kubernetes/test/e2e"', '"k8s.io/kubernetes/test/e2e/framework"',
               '"k8s.io/kubernetes/test/e2e/framework/config"', '"k8s.io/kubernetes/test/e2e/framework/testfiles"']
    imports += ['%s "%s"' % (alias, path) for alias, path in named]
    if logcheck:
        imports.append('"%s"' % _LOGCHECK[1])
    lines = [
        '// Rendered by kubemark.kubemark.kubemark_gomod_builder for Kubernetes %s: the entry point' % version,
        '// of e2e.test. Upstream\'s (test/e2e/e2e_test.go) is a test file of k8s.io/kubernetes, which',
        '// "go mod vendor" leaves out; this one imports the same test suites and registers the same flags.',
        '',
        'package e2e',
        '',
        'import (',
        '\t"flag"',
        '\t"os"',
        '\t"testing"',
        '',
    ]
    lines += ['\t' + entry for entry in sorted(imports, key=lambda entry: entry.split('"')[1])]
    lines.append('')
    lines += ['\t_ "%s"' % path for path in sorted(blank)]
    lines += [
        ')',
        '',
        'func TestMain(m *testing.M) {',
        '\tconfig.CopyFlags(config.Flags, flag.CommandLine)',
        '\tframework.RegisterCommonFlags(flag.CommandLine)',
        '\tframework.RegisterClusterFlags(flag.CommandLine)',
    ]
    if logcheck:
        lines.append('\tlogcheck.RegisterFlags(flag.CommandLine)')
    lines.append('\tflag.Parse()')
    lines += ['\ttestfiles.AddFileSource(%s.%s())' % (alias, function)
              for (alias, dummy_path), (function, dummy) in zip(named, sources)]
    lines += [
        '\tframework.AfterReadingAllFlags(&framework.TestContext)',
        '\tos.Exit(m.Run())',
        '}',
        '',
        'func TestE2E(t *testing.T) {',
        '\te2e.RunE2ETests(t)',
        '}',
        '',
    ]
    return '\n'.join(lines)
