# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of source_patch on small strings; the modules' tests cover the real upstream files."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import source_patch
from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import (
    CRI_ENDPOINT_ENV,
    CRI_ENDPOINT_FUNCTION_SOURCE,
    CRI_ENDPOINT_SHAPES,
    DEFAULT_CRI_ENDPOINT,
    NEWEST_VERIFIED_MINOR,
    PROXY_REGISTRATION_RANGES,
    PROXY_SHAPE_ABSENT,
    PROXY_SHAPE_GATED,
    PROXY_SHAPE_UNCONDITIONAL,
    SourcePatchError,
    cri_shape_for_version,
    expected_proxy_shape,
    guard_proxy_healthz,
    parse_minor,
    set_cri_endpoint,
    unified_diff,
    validate_cri_endpoint,
)

CRIO = 'unix:///run/crio/crio.sock'

HEADER = (
    'package kubemark\n'
    '\n'
    'import (\n'
    '\t"fmt"\n'
    '\t"time"\n'
    '\n'
    '\t"k8s.io/klog/v2"\n'
    ')\n'
    '\n'
)
PATCHED_HEADER = HEADER.replace('\t"fmt"\n', '\t"fmt"\n\t"os"\n')
CONFIG_BLOCK = (
    'func GetHollowKubeletConfig() {\n'
    '\tc, err := options.NewKubeletConfiguration()\n'
    '\tc.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"\n'
    '\tc.StaticPodURL = ""\n'
    '}\n'
)
FLAGS_BLOCK = (
    'func GetHollowKubeletConfig() {\n'
    '\tf.RegisterWithTaints = opt.RegisterWithTaints\n'
    '\tf.RemoteImageEndpoint = "/run/containerd/containerd.sock"\n'
    '}\n'
)
CONFIG_FILE = HEADER + CONFIG_BLOCK
FLAGS_FILE = HEADER + FLAGS_BLOCK

GATED_RUN = (
    'func (s *ProxyServer) Run(ctx context.Context) error {\n'
    '\tif utilfeature.DefaultFeatureGate.Enabled(features.KubeProxyDrainingTerminatingNodes) {\n'
    '\t\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n'
    '\t\t\tHealthServer: s.HealthzServer,\n'
    '\t\t})\n'
    '\t}\n'
    '\tnodeConfig.RegisterEventHandler(s.Proxier)\n'
    '}\n'
)
UNCONDITIONAL_RUN = (
    'func (s *ProxyServer) Run(ctx context.Context) error {\n'
    '\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n'
    '\t\tHealthServer: s.HealthzServer,\n'
    '\t})\n'
    '\tnodeConfig.RegisterEventHandler(s.Proxier)\n'
    '}\n'
)
NODE_MANAGER_RUN = (
    'func (s *ProxyServer) Run(ctx context.Context) error {\n'
    '\tif s.NodeManager != nil {\n'
    '\t\tnodeConfig.RegisterEventHandler(s.NodeManager)\n'
    '\t}\n'
    '}\n'
)


@pytest.mark.parametrize('version, minor', [
    ('v1.31.14', 31), ('1.26', 26), ('v1.37.0-rc.1', 37), (' v1.9.0 ', 9),
])
def test_parse_minor_accepts_kubernetes_versions(version, minor):
    assert parse_minor(version) == minor


@pytest.mark.parametrize('version', ['v2.0.0', '1', 'v1.x', 'latest', 'v1.031.0', 'v1.31-latest', ''])
def test_parse_minor_rejects_other_strings(version):
    with pytest.raises(SourcePatchError, match='not a Kubernetes 1.x version'):
        parse_minor(version)


def test_cri_shapes_cover_every_minor_from_the_first_without_gaps():
    covered = []
    for shape in CRI_ENDPOINT_SHAPES:
        covered.extend(range(shape.first_minor, (shape.last_minor or NEWEST_VERIFIED_MINOR) + 1))
    assert covered == list(range(21, NEWEST_VERIFIED_MINOR + 1))


@pytest.mark.parametrize('version, field', [
    ('v1.21.0', 'f.RemoteImageEndpoint'), ('v1.26.15', 'f.RemoteImageEndpoint'),
    ('v1.27.0', 'c.ImageServiceEndpoint'), ('v1.99.0', 'c.ImageServiceEndpoint'),
])
def test_cri_shape_for_version(version, field):
    assert cri_shape_for_version(version).field == field


def test_cri_shape_for_version_rejects_releases_without_host_image_service():
    with pytest.raises(SourcePatchError, match=r'v1\.20\.15 is not supported.*since v1\.21'):
        cri_shape_for_version('v1.20.15')


@pytest.mark.parametrize('endpoint', [
    'unix:///run/containerd/containerd.sock', CRIO, 'unix:///var/run/cri-dockerd.sock',
])
def test_validate_cri_endpoint_accepts_unix_urls(endpoint):
    assert validate_cri_endpoint(endpoint) == endpoint


@pytest.mark.parametrize('endpoint, message', [
    ('/run/crio/crio.sock', 'must be a unix:// URL'),
    ('tcp://127.0.0.1:3735', 'must be a unix:// URL'),
    ('npipe:////./pipe/containerd', 'must be a unix:// URL'),
    ('unix://run/crio/crio.sock', 'absolute socket path'),
    ('unix:///run/crio/', 'names a directory'),
    ('unix:///run/crio"/crio.sock', 'quotes'),
    ('unix:///run/crio/crio .sock', 'whitespace'),
    ('unix:///run/crio\\crio.sock', 'backslashes'),
    ('unix:///run/../crio.sock', 'not a normalized path'),
    ('unix:////run/crio.sock', 'not a normalized path'),
])
def test_validate_cri_endpoint_rejects(endpoint, message):
    with pytest.raises(SourcePatchError, match=message):
        validate_cri_endpoint(endpoint)


def _patched(block, field, endpoint, old='"unix:///run/containerd/containerd.sock"'):
    """The file HEADER + block as set_cri_endpoint is meant to leave it."""
    call = '%s = kubemarkImageServiceEndpoint("%s")' % (field, endpoint)
    return PATCHED_HEADER + block.replace('%s = %s' % (field, old), call) + '\n' + CRI_ENDPOINT_FUNCTION_SOURCE


def test_set_cri_endpoint_calls_the_function_in_config_shape():
    patch = set_cri_endpoint(CONFIG_FILE, CRIO)
    assert patch.after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)
    assert (patch.field, patch.line, patch.previous_endpoint, patch.endpoint, patch.env) == (
        'c.ImageServiceEndpoint', 13, 'unix:///run/containerd/containerd.sock', CRIO, CRI_ENDPOINT_ENV)
    assert patch.after.splitlines()[patch.line - 1] == '\tc.ImageServiceEndpoint = kubemarkImageServiceEndpoint("%s")' % CRIO


def test_set_cri_endpoint_defaults_to_containerd():
    patch = set_cri_endpoint(CONFIG_FILE)
    assert patch.endpoint == DEFAULT_CRI_ENDPOINT == 'unix:///run/containerd/containerd.sock'
    assert patch.after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', DEFAULT_CRI_ENDPOINT)


def test_set_cri_endpoint_turns_bare_path_of_flags_shape_into_url():
    patch = set_cri_endpoint(FLAGS_FILE, CRIO, version='v1.21.14')
    assert patch.after == _patched(FLAGS_BLOCK, 'f.RemoteImageEndpoint', CRIO, old='"/run/containerd/containerd.sock"')
    assert '\tf.RemoteImageEndpoint = kubemarkImageServiceEndpoint("unix:///run/crio/crio.sock")\n' in patch.after
    assert patch.previous_endpoint == '/run/containerd/containerd.sock'


def test_the_function_reads_the_variable_and_falls_back_to_its_argument():
    assert CRI_ENDPOINT_FUNCTION_SOURCE.startswith('// kubemarkImageServiceEndpoint was added by the kubemark.kubemark collection')
    assert 'func kubemarkImageServiceEndpoint(builtIn string) string {\n' in CRI_ENDPOINT_FUNCTION_SOURCE
    assert '\tif endpoint := os.Getenv("KUBEMARK_IMAGE_SERVICE_ENDPOINT"); endpoint != "" {\n' in CRI_ENDPOINT_FUNCTION_SOURCE
    assert CRI_ENDPOINT_FUNCTION_SOURCE.endswith('\treturn builtIn\n}\n')


def test_set_cri_endpoint_keeps_trailing_comment():
    text = CONFIG_FILE.replace('containerd.sock"', 'containerd.sock" // host runtime')
    after = set_cri_endpoint(text, CRIO).after
    assert 'kubemarkImageServiceEndpoint("%s") // host runtime\n' % CRIO in after
    assert set_cri_endpoint(after, CRIO).after == after


def test_set_cri_endpoint_is_idempotent():
    first = set_cri_endpoint(CONFIG_FILE, CRIO)
    second = set_cri_endpoint(first.after, CRIO)
    assert second.after == second.before == first.after
    assert (second.previous_endpoint, second.line) == (CRIO, first.line)


def test_set_cri_endpoint_only_replaces_the_built_in_endpoint_of_a_patched_file():
    first = set_cri_endpoint(FLAGS_FILE, CRIO)
    second = set_cri_endpoint(first.after, DEFAULT_CRI_ENDPOINT)
    assert second.after == first.after.replace(
        'kubemarkImageServiceEndpoint("%s")' % CRIO, 'kubemarkImageServiceEndpoint("%s")' % DEFAULT_CRI_ENDPOINT)
    assert second.previous_endpoint == CRIO
    changed_lines = [line for line in unified_diff(second.before, second.after, 'x').splitlines()
                     if line[:1] in '+-' and line[:3] not in ('+++', '---')]
    assert changed_lines == ['-\tf.RemoteImageEndpoint = kubemarkImageServiceEndpoint("%s")' % CRIO,
                             '+\tf.RemoteImageEndpoint = kubemarkImageServiceEndpoint("%s")' % DEFAULT_CRI_ENDPOINT]


def test_set_cri_endpoint_upgrades_a_plain_literal_of_an_earlier_patch():
    earlier = CONFIG_FILE.replace('"unix:///run/containerd/containerd.sock"', '"%s"' % CRIO)
    patch = set_cri_endpoint(earlier, CRIO)
    assert patch.after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)
    assert patch.previous_endpoint == CRIO


def test_set_cri_endpoint_completes_a_half_patched_file():
    call_only = CONFIG_FILE.replace('"unix:///run/containerd/containerd.sock"',
                                    'kubemarkImageServiceEndpoint("unix:///run/containerd/containerd.sock")')
    assert set_cri_endpoint(call_only, CRIO).after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)
    function_only = CONFIG_FILE + '\n' + CRI_ENDPOINT_FUNCTION_SOURCE
    assert set_cri_endpoint(function_only, CRIO).after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)


def test_set_cri_endpoint_replaces_an_older_text_of_its_function():
    older = _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO).replace(
        CRI_ENDPOINT_FUNCTION_SOURCE,
        '// Added by the kubemark.kubemark collection.\n'
        'func kubemarkImageServiceEndpoint(builtIn string) string {\n'
        '\treturn builtIn\n'
        '}\n')
    assert set_cri_endpoint(older, CRIO).after == _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)


def test_set_cri_endpoint_refuses_a_function_it_did_not_write():
    text = CONFIG_FILE + '\n// Somebody else\'s.\nfunc kubemarkImageServiceEndpoint(s string) string {\n\treturn s\n}\n'
    with pytest.raises(SourcePatchError, match=r'hollow_kubelet.go:17: declares a kubemarkImageServiceEndpoint that'):
        set_cri_endpoint(text, CRIO)


def test_set_cri_endpoint_refuses_two_functions():
    patched = _patched(CONFIG_BLOCK, 'c.ImageServiceEndpoint', CRIO)
    with pytest.raises(SourcePatchError, match=r'kubemarkImageServiceEndpoint is declared 2 times \(lines 21, 32\)'):
        set_cri_endpoint(patched + '\n' + CRI_ENDPOINT_FUNCTION_SOURCE, CRIO)


IMPORT_CASES = [
    # (import block body before, after); gofmt must find the result clean.
    pytest.param('\t"fmt"\n\t"time"\n', '\t"fmt"\n\t"os"\n\t"time"\n', id='middle'),
    pytest.param('\t"context"\n\t"fmt"\n', '\t"context"\n\t"fmt"\n\t"os"\n', id='last'),
    pytest.param('\t"sync"\n\n\t"k8s.io/klog/v2"\n', '\t"os"\n\t"sync"\n\n\t"k8s.io/klog/v2"\n', id='first'),
    pytest.param('\t"k8s.io/klog/v2"\n', '\t"os"\n\n\t"k8s.io/klog/v2"\n', id='no-standard-library-group'),
    pytest.param('\t"k8s.io/klog/v2"\n\n\t"fmt"\n\t"time"\n', '\t"k8s.io/klog/v2"\n\n\t"fmt"\n\t"os"\n\t"time"\n',
                 id='standard-library-group-second'),
    pytest.param('\t"fmt"\n\t// Timing.\n\t"time"\n', '\t"fmt"\n\t"os"\n\t// Timing.\n\t"time"\n', id='comment-splits-run'),
    pytest.param('\t// Formatting.\n\t"strings"\n', '\t"os"\n\t// Formatting.\n\t"strings"\n', id='comment-stays-above'),
    pytest.param('\t"fmt"\n\tgoos "os"\n', '\t"fmt"\n\t"os"\n\tgoos "os"\n', id='other-name-for-os'),
    pytest.param('\t"fmt"\n\t"os"\n\t"time"\n', None, id='already-imported'),
    pytest.param('\t"fmt"\n\tos "os"\n\t"time"\n', None, id='already-imported-as-os'),
]


@pytest.mark.parametrize('before, after', IMPORT_CASES)
def test_set_cri_endpoint_imports_os_where_gofmt_sorts_it(before, after, tmp_path, gofmt_unformatted):
    text = 'package kubemark\n\nimport (\n%s)\n\n%s' % (before, CONFIG_BLOCK)
    patched = set_cri_endpoint(text, CRIO).after
    assert patched.startswith('package kubemark\n\nimport (\n%s)\n\n' % (after or before))
    go_file = tmp_path / 'hollow_kubelet.go'
    go_file.write_text(patched, encoding='utf-8')
    assert gofmt_unformatted(go_file) == ''


def test_set_cri_endpoint_counts_a_single_line_import_of_os():
    text = 'package kubemark\n\nimport "os"\n\nimport (\n\t"fmt"\n)\n\n' + CONFIG_BLOCK
    assert set_cri_endpoint(text, CRIO).after.startswith('package kubemark\n\nimport "os"\n\nimport (\n\t"fmt"\n)\n')


@pytest.mark.parametrize('header, message', [
    ('package kubemark\n\n', 'no import block'),
    ('package kubemark\n\nimport "fmt"\n\n', 'no import block'),
    ('package kubemark\n\nimport (\n\t"fmt"; "time"\n)\n\n', r'hollow_kubelet.go:4: .* is not an import line'),
])
def test_set_cri_endpoint_fails_without_a_readable_import_block(header, message):
    with pytest.raises(SourcePatchError, match=message):
        set_cri_endpoint(header + CONFIG_BLOCK, CRIO)


def test_set_cri_endpoint_fails_naming_file_and_shapes_when_line_is_gone():
    with pytest.raises(SourcePatchError) as error:
        set_cri_endpoint('package kubemark\n', CRIO, path='/src/pkg/kubemark/hollow_kubelet.go')
    message = str(error.value)
    assert message.startswith('/src/pkg/kubemark/hollow_kubelet.go: no hollow kubelet image service')
    assert 'f.RemoteImageEndpoint = "unix:///run/containerd/containerd.sock" (v1.21-v1.26)' in message
    assert 'c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock" (v1.27+)' in message


def test_set_cri_endpoint_fails_when_version_expects_the_other_shape():
    with pytest.raises(SourcePatchError, match=r'hollow_kubelet.go:12: found .*c.ImageServiceEndpoint.* v1.26.0 uses'):
        set_cri_endpoint(CONFIG_FILE, CRIO, version='v1.26.0')


@pytest.mark.parametrize('replacement, message', [
    ('c.ImageServiceEndpoint = defaultEndpoint', 'assigns neither a plain string literal nor kubemarkImageServiceEndpoint'),
    ('c.ImageServiceEndpoint = "unix:///a\\"b"', 'assigns neither a plain string literal'),
    ('c.ImageServiceEndpoint = otherEndpoint("unix:///run/x.sock")', 'assigns neither a plain string literal'),
    ('c.ImageServiceEndpoint = kubemarkImageServiceEndpoint("unix:///run/x.sock"', 'assigns neither a plain string literal'),
    ('c.ImageServiceEndpoint = kubemarkImageServiceEndpoint(defaultEndpoint)', 'assigns neither a plain string literal'),
    ('c.ImageServiceEndpoint = "unix:///run/x.sock")', 'assigns neither a plain string literal'),
    ('cfg.ImageServiceEndpoint = "unix:///run/x.sock"', 'is not a known shape'),
])
def test_set_cri_endpoint_fails_on_unknown_assignments(replacement, message):
    text = CONFIG_FILE.replace('c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"', replacement)
    with pytest.raises(SourcePatchError, match=message):
        set_cri_endpoint(text, CRIO)


def test_set_cri_endpoint_fails_on_two_assignments():
    with pytest.raises(SourcePatchError, match=r'found 2 image service endpoint assignments \(lines 12, 16\)'):
        set_cri_endpoint(CONFIG_FILE + FLAGS_BLOCK.split('\n', 1)[1], CRIO)


@pytest.mark.parametrize('version, shape', [
    ('v1.27.16', PROXY_SHAPE_ABSENT), ('v1.28.0', PROXY_SHAPE_GATED), ('v1.32.13', PROXY_SHAPE_GATED),
    ('v1.33.0', PROXY_SHAPE_UNCONDITIONAL), ('v1.34.0', PROXY_SHAPE_ABSENT), ('v1.37.2', PROXY_SHAPE_ABSENT),
])
def test_expected_proxy_shape(version, shape):
    assert expected_proxy_shape(version) == shape


def test_proxy_ranges_do_not_overlap():
    minors = [m for r in PROXY_REGISTRATION_RANGES for m in range(r.first_minor, r.last_minor + 1)]
    assert len(minors) == len(set(minors))


def test_guard_proxy_healthz_nests_guard_inside_feature_gate():
    patch = guard_proxy_healthz(GATED_RUN)
    assert (patch.needed, patch.shape, patch.line) == (True, PROXY_SHAPE_GATED, 3)
    assert patch.after == (
        'func (s *ProxyServer) Run(ctx context.Context) error {\n'
        '\tif utilfeature.DefaultFeatureGate.Enabled(features.KubeProxyDrainingTerminatingNodes) {\n'
        '\t\t' + source_patch.HEALTHZ_GUARD_COMMENT[0] + '\n'
        '\t\t' + source_patch.HEALTHZ_GUARD_COMMENT[1] + '\n'
        '\t\tif s.HealthzServer != nil {\n'
        '\t\t\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n'
        '\t\t\t\tHealthServer: s.HealthzServer,\n'
        '\t\t\t})\n'
        '\t\t}\n'
        '\t}\n'
        '\tnodeConfig.RegisterEventHandler(s.Proxier)\n'
        '}\n'
    )


def test_guard_proxy_healthz_wraps_unconditional_registration():
    patch = guard_proxy_healthz(UNCONDITIONAL_RUN, version='v1.33.13')
    assert (patch.needed, patch.shape) == (True, PROXY_SHAPE_UNCONDITIONAL)
    assert '\tif s.HealthzServer != nil {\n\t\tnodeConfig.RegisterEventHandler(' in patch.after
    assert patch.after.endswith('\t\t})\n\t}\n\tnodeConfig.RegisterEventHandler(s.Proxier)\n}\n')


@pytest.mark.parametrize('text', [GATED_RUN, UNCONDITIONAL_RUN])
def test_guard_proxy_healthz_recognises_its_own_guard(text):
    first = guard_proxy_healthz(text)
    second = guard_proxy_healthz(first.after)
    assert second.after == second.before == first.after
    assert (second.needed, second.shape) == (True, first.shape)


def test_guard_proxy_healthz_accepts_a_guard_without_the_comment():
    text = UNCONDITIONAL_RUN.replace(
        '\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n\t\tHealthServer: s.HealthzServer,\n\t})\n',
        '\tif s.HealthzServer != nil {\n\t\tnodeConfig.RegisterEventHandler(&proxy.NodeEligibleHandler{\n'
        '\t\t\tHealthServer: s.HealthzServer,\n\t\t})\n\t}\n')
    patch = guard_proxy_healthz(text)
    assert patch.after == text and patch.needed


def test_guard_proxy_healthz_leaves_node_manager_source_alone():
    patch = guard_proxy_healthz(NODE_MANAGER_RUN, version='v1.34.4')
    assert (patch.needed, patch.shape, patch.line, patch.after) == (False, PROXY_SHAPE_ABSENT, None, NODE_MANAGER_RUN)


def test_guard_proxy_healthz_fails_without_proxy_server_run():
    with pytest.raises(SourcePatchError, match=r"^/x/server.go: no 'func \(s \*ProxyServer\) Run\(' found"):
        guard_proxy_healthz('package app\n', path='/x/server.go')


@pytest.mark.parametrize('text', [
    UNCONDITIONAL_RUN.replace('HealthServer: s.HealthzServer,', 'HealthServer: s.healthServer,'),
    UNCONDITIONAL_RUN.replace('\t\tHealthServer', '        HealthServer'),
    UNCONDITIONAL_RUN.replace('\tnodeConfig.RegisterEventHandler(s.Proxier)', '\tvar _ = proxy.NodeEligibleHandler{}'),
    UNCONDITIONAL_RUN + UNCONDITIONAL_RUN.split('\n', 1)[1],
])
def test_guard_proxy_healthz_fails_on_unknown_registration(text):
    with pytest.raises(SourcePatchError, match='NodeEligibleHandler appears'):
        guard_proxy_healthz(text)


@pytest.mark.parametrize('text, version, message', [
    (GATED_RUN, 'v1.33.0', 'inside "if utilfeature.* but Kubernetes v1.33.0 should have .*directly in ProxyServer.Run'),
    (UNCONDITIONAL_RUN, 'v1.31.0', 'directly in ProxyServer.Run .* but Kubernetes v1.31.0 should have .*inside'),
    (NODE_MANAGER_RUN, 'v1.30.0', 'without any NodeEligibleHandler .* but Kubernetes v1.30.0 should have'),
    (GATED_RUN, 'v1.34.0', 'should have ProxyServer.Run without any NodeEligibleHandler'),
])
def test_guard_proxy_healthz_fails_when_version_disagrees_with_source(text, version, message):
    with pytest.raises(SourcePatchError, match=message):
        guard_proxy_healthz(text, version=version)


def test_unified_diff_is_git_style():
    patch = set_cri_endpoint(CONFIG_FILE, CRIO)
    diff = unified_diff(patch.before, patch.after, 'pkg/kubemark/hollow_kubelet.go')
    assert diff.startswith('--- a/pkg/kubemark/hollow_kubelet.go\n+++ b/pkg/kubemark/hollow_kubelet.go\n@@ ')
    assert '+\t"os"\n' in diff
    assert '-\tc.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"\n' in diff
    assert '+\tc.ImageServiceEndpoint = kubemarkImageServiceEndpoint("unix:///run/crio/crio.sock")\n' in diff
    assert unified_diff(CONFIG_FILE, CONFIG_FILE, 'x') == ''
