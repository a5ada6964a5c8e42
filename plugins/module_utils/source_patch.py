# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Detect and patch the two places in Kubernetes sources that break kubemark hollow nodes.

Everything here works on file text so it can be tested on small strings and on real upstream
files alike; the file system is only touched by the read and by run_patch_module, the flow the
modules share.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections import namedtuple

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import write_atomic


class SourcePatchError(Exception):
    """The source tree is missing a file, or a file does not have a shape this code can patch."""


HOLLOW_KUBELET_FILE = 'pkg/kubemark/hollow_kubelet.go'
KUBE_PROXY_SERVER_FILE = 'cmd/kube-proxy/app/server.go'

# The newest minor whose sources were read to write the tables below. Later minors are
# patched with the newest known shape, and a shape mismatch fails instead of guessing.
NEWEST_VERIFIED_MINOR = 37

# v1.31, v1.31.14 or a full semantic version such as v1.32.0-rc.1 (pre-releases need the patch number).
_VERSION_RE = re.compile(
    r'^v?1\.(?P<minor>0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?$')


def parse_minor(version):
    """Return the minor number of a Kubernetes version such as ``v1.31.14`` or ``1.31``."""
    match = _VERSION_RE.match(version.strip())
    if not match:
        raise SourcePatchError(
            "version %r is not a Kubernetes 1.x version such as v1.31.14" % (version,))
    return int(match.group('minor'))


def _minor_in(minor, first, last):
    return minor >= first and (last is None or minor <= last)


# --------------------------------------------------------------------------------------------
# Hollow kubelet image service endpoint (pkg/kubemark/hollow_kubelet.go)
# --------------------------------------------------------------------------------------------

# One assignment of a string literal in GetHollowKubeletConfig points the hollow kubelet's image
# service at the host's CRI socket. Upstream moved it from the flags struct to the config struct
# when the runtime endpoint flags became config fields (kubernetes PR #112136).
CriEndpointShape = namedtuple('CriEndpointShape', ['first_minor', 'last_minor', 'field', 'example'])

CRI_ENDPOINT_SHAPES = (
    # v1.21 and v1.22 assign a bare socket path; v1.23-v1.26 a unix:// URL. Both kubelets parse
    # unix:// URLs, so the same replacement works for the whole range.
    CriEndpointShape(21, 26, 'f.RemoteImageEndpoint',
                     'f.RemoteImageEndpoint = "unix:///run/containerd/containerd.sock"'),
    CriEndpointShape(27, None, 'c.ImageServiceEndpoint',
                     'c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"'),
)

FIRST_CRI_MINOR = CRI_ENDPOINT_SHAPES[0].first_minor

# Upstream's socket, and the built-in endpoint when the module is not given another one.
DEFAULT_CRI_ENDPOINT = 'unix:///run/containerd/containerd.sock'

# The patched assignment calls a function added at the end of the file, which reads this
# environment variable when kubemark runs. One build then serves hosts of every container runtime:
# the hollow node's unit or pod sets the variable to its host's socket.
CRI_ENDPOINT_ENV = 'KUBEMARK_IMAGE_SERVICE_ENDPOINT'
CRI_ENDPOINT_FUNCTION = 'kubemarkImageServiceEndpoint'
# gofmt-clean as it is, so the patched file stays so.
CRI_ENDPOINT_FUNCTION_SOURCE = (
    '// %(name)s was added by the kubemark.kubemark collection so that one kubemark\n'
    '// build serves hosts of any container runtime: the hollow kubelet\'s image service dials\n'
    '// $%(env)s when it is set and not empty, and the endpoint built\n'
    '// into this file (builtIn) otherwise.\n'
    'func %(name)s(builtIn string) string {\n'
    '\tif endpoint := os.Getenv("%(env)s"); endpoint != "" {\n'
    '\t\treturn endpoint\n'
    '\t}\n'
    '\treturn builtIn\n'
    '}\n'
) % dict(name=CRI_ENDPOINT_FUNCTION, env=CRI_ENDPOINT_ENV)
# What tells a function of that name apart as one this collection wrote (maybe an older text).
_CRI_ENDPOINT_FUNCTION_MARK = 'kubemark.kubemark collection'

_ENDPOINT_ASSIGNMENT_RE = re.compile(
    r'^(?P<indent>[ \t]*)(?P<field>[A-Za-z_][A-Za-z0-9_]*\.(?:RemoteImageEndpoint|ImageServiceEndpoint))'
    r'(?P<assign>[ \t]*=[ \t]*)(?P<rhs>[^\n]*)$',
    re.MULTILINE,
)
# The right-hand side upstream writes (a string literal) or this module writes (the literal
# wrapped in the function call), with an optional trailing comment.
_ENDPOINT_RHS_RE = re.compile(
    r'^(?P<call>' + CRI_ENDPOINT_FUNCTION + r'\()?"(?P<value>[^"\\\n]*)"(?(call)\))'
    r'(?P<trailer>[ \t]*(?://[^\n]*)?)$')
# Characters that would end or escape the Go string literal, or make the URL ambiguous.
_UNSAFE_ENDPOINT_CHARS_RE = re.compile(r'["\\`\s\x00-\x1f\x7f]')

_CRI_ENDPOINT_FUNCTION_RE = re.compile(r'^func ' + CRI_ENDPOINT_FUNCTION + r'\(', re.MULTILINE)
# gofmt ends a top-level function with a closing brace in column 0.
_FUNCTION_END_RE = re.compile(r'^\}[ \t]*(?:\n|\Z)', re.MULTILINE)
_IMPORT_BLOCK_RE = re.compile(r'^import \(\n(?P<body>(?:[^\n]*\n)*?)\)$', re.MULTILINE)
_SINGLE_IMPORT_RE = re.compile(
    r'^import[ \t]+(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*|\.)[ \t]+)?"(?P<path>[^"\\\n]+)"', re.MULTILINE)
_IMPORT_SPEC_RE = re.compile(
    r'^\t(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*|\.)[ \t]+)?"(?P<path>[^"\\\n]+)"[ \t]*(?://[^\n]*)?$')

CriPatch = namedtuple('CriPatch', ['before', 'after', 'field', 'line', 'previous_endpoint', 'endpoint', 'env'])
# One line of an import block: its index among the block's lines, its name ('' for none), its path.
_ImportSpec = namedtuple('_ImportSpec', ['index', 'name', 'path'])


def cri_shape_for_version(version):
    """Return the CriEndpointShape used by a Kubernetes version, or fail for unsupported ones."""
    minor = parse_minor(version)
    for shape in CRI_ENDPOINT_SHAPES:
        if _minor_in(minor, shape.first_minor, shape.last_minor):
            return shape
    raise SourcePatchError(
        "Kubernetes %s is not supported: the hollow kubelet only uses the host's CRI image service "
        "since v1.%d (before that it always uses its fake image service)" % (version, FIRST_CRI_MINOR))


def describe_cri_shapes(shapes=CRI_ENDPOINT_SHAPES):
    parts = []
    for shape in shapes:
        span = 'v1.%d-v1.%d' % (shape.first_minor, shape.last_minor) if shape.last_minor else 'v1.%d+' % shape.first_minor
        parts.append('%s (%s)' % (shape.example, span))
    return ' or '.join(parts)


def validate_cri_endpoint(endpoint):
    """Check that endpoint is a unix:// URL with an absolute socket path that fits a Go literal."""
    scheme = 'unix://'
    if not endpoint.startswith(scheme):
        raise SourcePatchError(
            "endpoint %r must be a unix:// URL such as unix:///run/containerd/containerd.sock: "
            "the hollow kubelet only dials unix sockets" % (endpoint,))
    socket_path = endpoint[len(scheme):]
    if not socket_path.startswith('/'):
        raise SourcePatchError(
            "endpoint %r must name an absolute socket path after unix:// (three slashes, as in "
            "unix:///run/crio/crio.sock)" % (endpoint,))
    if socket_path.endswith('/'):
        raise SourcePatchError("endpoint %r names a directory, not a socket file" % (endpoint,))
    if _UNSAFE_ENDPOINT_CHARS_RE.search(socket_path):
        raise SourcePatchError(
            "endpoint %r contains whitespace, quotes, backslashes or control characters" % (endpoint,))
    # posixpath.normpath keeps a leading '//', which is still not a canonical socket path.
    normalized = '/' + posixpath.normpath(socket_path).lstrip('/')
    if normalized != socket_path:
        raise SourcePatchError("endpoint %r is not a normalized path (use %s)" % (endpoint, scheme + normalized))
    return endpoint


def _line_number(text, offset):
    return text.count('\n', 0, offset) + 1


def set_cri_endpoint(text, endpoint=DEFAULT_CRI_ENDPOINT, version=None, path=HOLLOW_KUBELET_FILE):
    """Return a CriPatch that makes the hollow kubelet's image service endpoint a run-time choice.

    The one assignment of the endpoint becomes a call of kubemarkImageServiceEndpoint with endpoint
    as its built-in value; that function, added at the end of the file, returns the environment
    variable CRI_ENDPOINT_ENV when it is not empty. The file also gets the "os" import.

    The file must contain exactly one assignment to one of the known fields, of a string literal
    (upstream, or patched by an older version of this code) or of that call (patched before); anything
    else means upstream changed the code and a human has to look at it. Patching a patched file
    only replaces the built-in endpoint, so a second run with the same endpoint changes nothing.
    """
    validate_cri_endpoint(endpoint)
    shapes = (cri_shape_for_version(version),) if version else CRI_ENDPOINT_SHAPES
    expected = describe_cri_shapes(shapes)

    assignments = list(_ENDPOINT_ASSIGNMENT_RE.finditer(text))
    if not assignments:
        raise SourcePatchError(
            "%s: no hollow kubelet image service endpoint assignment found; expected a line like %s. "
            "Upstream moved or removed it: this Kubernetes version needs a new entry in "
            "CRI_ENDPOINT_SHAPES" % (path, expected))
    if len(assignments) > 1:
        raise SourcePatchError(
            "%s: found %d image service endpoint assignments (lines %s); expected exactly one line like %s"
            % (path, len(assignments), ', '.join(str(_line_number(text, m.start())) for m in assignments), expected))

    match = assignments[0]
    line = _line_number(text, match.start())
    known_fields = [shape.field for shape in shapes]
    if match.group('field') not in known_fields:
        if version:
            raise SourcePatchError(
                "%s:%d: found %r but Kubernetes %s uses a line like %s; check the version option"
                % (path, line, match.group(0).strip(), version, expected))
        raise SourcePatchError(
            "%s:%d: %r is not a known shape; expected a line like %s" % (path, line, match.group(0).strip(), expected))
    rhs = _ENDPOINT_RHS_RE.match(match.group('rhs'))
    if not rhs:
        raise SourcePatchError(
            "%s:%d: %r assigns neither a plain string literal nor %s(\"...\"); expected a line like %s"
            % (path, line, match.group(0).strip(), CRI_ENDPOINT_FUNCTION, expected))

    new_line = '%s%s%s%s("%s")%s' % (match.group('indent'), match.group('field'), match.group('assign'),
                                     CRI_ENDPOINT_FUNCTION, endpoint, rhs.group('trailer'))
    after = text[:match.start()] + new_line + text[match.end():]
    after = _with_cri_endpoint_function(after, path)
    after = _with_import(after, 'os', path)
    line = _line_number(after, _ENDPOINT_ASSIGNMENT_RE.search(after).start())
    return CriPatch(text, after, match.group('field'), line, rhs.group('value'), endpoint, CRI_ENDPOINT_ENV)


def _with_cri_endpoint_function(text, path):
    """text with CRI_ENDPOINT_FUNCTION_SOURCE at its end, or in place of an older text of it."""
    found = list(_CRI_ENDPOINT_FUNCTION_RE.finditer(text))
    if not found:
        return text.rstrip('\n') + '\n\n' + CRI_ENDPOINT_FUNCTION_SOURCE
    if len(found) > 1:
        raise SourcePatchError(
            "%s: %s is declared %d times (lines %s)" % (
                path, CRI_ENDPOINT_FUNCTION, len(found), ', '.join(str(_line_number(text, m.start())) for m in found)))

    func_start = found[0].start()
    # The declaration runs to the first closing brace in column 0 ...
    closing = _FUNCTION_END_RE.search(text, func_start)
    # ... and its doc comment is the run of // lines right above it.
    start = func_start
    while start > 0:
        previous = text.rfind('\n', 0, start - 1) + 1
        if not text[previous:start].startswith('//'):
            break
        start = previous
    if closing is None or _CRI_ENDPOINT_FUNCTION_MARK not in text[start:func_start]:
        raise SourcePatchError(
            "%s:%d: declares a %s that the kubemark.kubemark collection did not write (its comment does "
            "not say so); restore upstream's file" % (path, _line_number(text, func_start), CRI_ENDPOINT_FUNCTION))
    return text[:start] + CRI_ENDPOINT_FUNCTION_SOURCE + text[closing.end():]


def _with_import(text, import_path, path):
    """text whose import block imports import_path, added where gofmt sorts it when missing.

    gofmt sorts each run of imports on successive lines by path, then by name. The path goes into
    the first run of standard library imports (no dot in the first path element), or into a run of
    its own at the top of the block when there is none. A single-line import declaration of the
    path counts as well.
    """
    block = _IMPORT_BLOCK_RE.search(text)
    if not block:
        raise SourcePatchError(
            "%s: no import block (a line 'import (' and a line ')') found to add %r to" % (path, import_path))
    lines = block.group('body').splitlines(True)
    specs = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith('//'):
            continue
        spec = _IMPORT_SPEC_RE.match(line.rstrip('\n'))
        if not spec:
            raise SourcePatchError(
                "%s:%d: %r is not an import line this module can read (one tab, an optional name and a "
                "quoted path)" % (path, _line_number(text, block.start('body')) + index, stripped))
        specs.append(_ImportSpec(index, spec.group('name') or '', spec.group('path')))
    imported = [(spec.name, spec.path) for spec in specs]
    imported.extend((single.group('name') or '', single.group('path')) for single in _SINGLE_IMPORT_RE.finditer(text))
    if ('', import_path) in imported or (posixpath.basename(import_path), import_path) in imported:
        return text

    groups = []  # runs of imports on successive lines, which gofmt sorts each on its own
    for spec in specs:
        if groups and groups[-1][-1].index + 1 == spec.index:
            groups[-1].append(spec)
        else:
            groups.append([spec])
    standard = [group for group in groups if all('.' not in spec.path.split('/')[0] for spec in group)]
    new_line = '\t"%s"\n' % import_path
    if not standard:
        lines.insert(0, new_line + '\n')
    else:
        group = standard[0]
        later = [spec for spec in group if (spec.path, spec.name) > (import_path, '')]
        if later:
            at = later[0].index
            # A comment right above an import line stays with it.
            while at > 0 and lines[at - 1].strip().startswith('//'):
                at -= 1
        else:
            at = group[-1].index + 1
        lines.insert(at, new_line)
    return text[:block.start('body')] + ''.join(lines) + text[block.end('body'):]


# --------------------------------------------------------------------------------------------
# Hollow kube-proxy nil HealthzServer (cmd/kube-proxy/app/server.go)
# --------------------------------------------------------------------------------------------

# ProxyServer.Run() registers a NodeEligibleHandler whose methods call SyncNode on
# s.HealthzServer. The hollow proxy never creates a health server, so the first node event
# dereferences nil (kubernetes issue #133526). The kube-proxy NodeManager refactor in v1.34
# removed the handler. v1.28-v1.29 carry the same registration behind the then alpha, default-off
# KubeProxyDrainingTerminatingNodes gate; the guard is harmless there, so it is applied too.
PROXY_SHAPE_GATED = 'gated_registration'
PROXY_SHAPE_UNCONDITIONAL = 'unconditional_registration'
PROXY_SHAPE_ABSENT = 'no_registration'

ProxyRegistrationRange = namedtuple('ProxyRegistrationRange', ['first_minor', 'last_minor', 'shape'])

PROXY_REGISTRATION_RANGES = (
    ProxyRegistrationRange(28, 32, PROXY_SHAPE_GATED),
    ProxyRegistrationRange(33, 33, PROXY_SHAPE_UNCONDITIONAL),
)

PROXY_SHAPE_DESCRIPTIONS = {
    PROXY_SHAPE_GATED: (
        'nodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{HealthServer: s.HealthzServer}) inside '
        '"if utilfeature.DefaultFeatureGate.Enabled(features.KubeProxyDrainingTerminatingNodes) {" (v1.28-v1.32)'),
    PROXY_SHAPE_UNCONDITIONAL: (
        'nodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{HealthServer: s.HealthzServer}) '
        'directly in ProxyServer.Run (v1.33)'),
    PROXY_SHAPE_ABSENT: (
        'ProxyServer.Run without any NodeEligibleHandler (v1.27 and older, v1.34 and newer)'),
}

_PROXY_RUN_RE = re.compile(r'^func \(s \*ProxyServer\) Run\(', re.MULTILINE)
_REGISTRATION_LINES = (
    re.compile(r'^nodeConfig\.RegisterEventHandler\(&proxy\.NodeEligibleHandler\{$'),
    re.compile(r'^HealthServer:\s*s\.HealthzServer,$'),
    re.compile(r'^\}\)$'),
)
_FEATURE_GATE_LINE = 'if utilfeature.DefaultFeatureGate.Enabled(features.KubeProxyDrainingTerminatingNodes) {'
HEALTHZ_GUARD_LINE = 'if s.HealthzServer != nil {'
HEALTHZ_GUARD_COMMENT = (
    '// The hollow kube-proxy (kubemark) has no health server; this handler calls',
    '// SyncNode on it and would panic on a nil pointer (kubernetes issue #133526).',
)

ProxyPatch = namedtuple('ProxyPatch', ['before', 'after', 'needed', 'shape', 'line'])


def expected_proxy_shape(version):
    minor = parse_minor(version)
    for entry in PROXY_REGISTRATION_RANGES:
        if _minor_in(minor, entry.first_minor, entry.last_minor):
            return entry.shape
    return PROXY_SHAPE_ABSENT


def _indent_of(line):
    return line[:len(line) - len(line.lstrip(' \t'))]


def _find_registrations(lines):
    """Yield the index of each three-line NodeEligibleHandler registration, as gofmt writes it."""
    for index in range(len(lines) - 2):
        block = lines[index:index + 3]
        if not all(pattern.match(line.strip()) for pattern, line in zip(_REGISTRATION_LINES, block)):
            continue
        indent = _indent_of(block[0])
        if _indent_of(block[1]) == indent + '\t' and _indent_of(block[2]) == indent:
            yield index


def _previous_code_line(lines, index):
    """Index of the nearest line above index that is neither blank nor a comment, or -1."""
    index -= 1
    while index >= 0 and (not lines[index].strip() or lines[index].strip().startswith('//')):
        index -= 1
    return index


def guard_proxy_healthz(text, version=None, path=KUBE_PROXY_SERVER_FILE):
    """Return a ProxyPatch that wraps the NodeEligibleHandler registration in a nil check.

    Text that already has the guard comes back unchanged with needed=True, so a second run is a
    no-op. Sources without the registration come back unchanged with needed=False, but only when
    ProxyServer.Run is there to prove the file is the kube-proxy server at all.
    """
    lines = text.splitlines(True)
    registrations = list(_find_registrations(lines))
    mentions = text.count('NodeEligibleHandler')
    expected = expected_proxy_shape(version) if version else None

    if mentions != len(registrations) or len(registrations) > 1:
        raise SourcePatchError(
            "%s: NodeEligibleHandler appears %d time(s) but %d registration(s) have a known shape; "
            "expected exactly one %s, or %s" % (
                path, mentions, len(registrations), PROXY_SHAPE_DESCRIPTIONS[PROXY_SHAPE_GATED],
                PROXY_SHAPE_DESCRIPTIONS[PROXY_SHAPE_UNCONDITIONAL]))

    if not registrations:
        if not _PROXY_RUN_RE.search(text):
            raise SourcePatchError(
                "%s: no 'func (s *ProxyServer) Run(' found; this is not a kube-proxy server.go shape "
                "this module knows (expected one of: %s)" % (
                    path, '; '.join(PROXY_SHAPE_DESCRIPTIONS[s] for s in sorted(PROXY_SHAPE_DESCRIPTIONS))))
        shape = PROXY_SHAPE_ABSENT
        _check_expected_proxy_shape(path, version, expected, shape, None)
        return ProxyPatch(text, text, False, shape, None)

    start = registrations[0]
    indent = _indent_of(lines[start])
    above = _previous_code_line(lines, start)
    guarded = above >= 0 and lines[above].strip() == HEALTHZ_GUARD_LINE and indent == _indent_of(lines[above]) + '\t'
    if guarded:
        above = _previous_code_line(lines, above)
    gated = above >= 0 and lines[above].strip() == _FEATURE_GATE_LINE
    shape = PROXY_SHAPE_GATED if gated else PROXY_SHAPE_UNCONDITIONAL
    _check_expected_proxy_shape(path, version, expected, shape, start + 1)

    if guarded:
        return ProxyPatch(text, text, True, shape, start + 1)

    newline = '\r\n' if lines[start].endswith('\r\n') else '\n'
    replacement = [indent + comment + newline for comment in HEALTHZ_GUARD_COMMENT]
    replacement.append(indent + HEALTHZ_GUARD_LINE + newline)
    replacement.extend('\t' + line for line in lines[start:start + 3])
    replacement.append(indent + '}' + newline)
    after = ''.join(lines[:start] + replacement + lines[start + 3:])
    return ProxyPatch(text, after, True, shape, start + 1)


def _check_expected_proxy_shape(path, version, expected, found, line):
    if expected is None or expected == found:
        return
    where = '%s:%d' % (path, line) if line else path
    raise SourcePatchError(
        "%s: found %s, but Kubernetes %s should have %s; check the version option or the source tree"
        % (where, PROXY_SHAPE_DESCRIPTIONS[found], version, PROXY_SHAPE_DESCRIPTIONS[expected]))


# --------------------------------------------------------------------------------------------
# Shared by both modules
# --------------------------------------------------------------------------------------------

def unified_diff(before, after, relative_path):
    """A git-style unified diff, so the returned patch applies with 'patch -p1' in the tree root."""
    return ''.join(difflib.unified_diff(
        before.splitlines(True), after.splitlines(True),
        fromfile='a/' + relative_path, tofile='b/' + relative_path))


def source_file(src, relative_path):
    """Absolute path of relative_path inside the source tree src, failing when it is missing."""
    if not os.path.isdir(src):
        raise SourcePatchError("src %s is not a directory (expected a Kubernetes source tree root)" % src)
    path = os.path.join(src, relative_path)
    if not os.path.isfile(path):
        raise SourcePatchError(
            "%s not found: src %s is not a Kubernetes source tree root, or upstream moved %s"
            % (path, src, relative_path))
    return path


def read_source(path):
    """Go sources are UTF-8 by definition; newlines are kept exactly as they are."""
    try:
        with open(path, 'rb') as handle:
            return handle.read().decode('utf-8')
    except (OSError, UnicodeDecodeError) as error:
        raise SourcePatchError("cannot read %s: %s" % (path, error))


def run_patch_module(module, relative_path, check_arguments, make_patch, result_fields):
    """The flow both patch modules share; exits the module.

    check_arguments() raises SourcePatchError for bad arguments before any file is read, so a typo
    never looks like a moved file. make_patch(text, path) returns an object with before and after.
    result_fields(patch) gives the module's own return values.
    """
    try:
        check_arguments()
        path = source_file(module.params['src'], relative_path)
        patch = make_patch(read_source(path), path)
        changed = patch.after != patch.before
        if changed and not module.check_mode:
            try:
                # The file keeps its mode and owner: a tree copied from the Go module cache is
                # read-only and must stay so.
                write_atomic(path, patch.after, 0o644, keep_attributes=True)
            except OSError as error:
                raise SourcePatchError(
                    "cannot write next to %s: %s (a Go module cache copy is read-only: copy the tree first)"
                    % (path, error))
    except SourcePatchError as error:
        module.fail_json(msg=str(error))

    result = dict(changed=changed, path=path, patch=unified_diff(patch.before, patch.after, relative_path) if changed else '')
    result.update(result_fields(patch))
    if module._diff:
        result['diff'] = dict(before=patch.before, after=patch.after, before_header=path, after_header=path)
    module.exit_json(**result)
