# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of source_patch on small strings; the modules' tests cover the real upstream files."""

from __future__ import annotations

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils import source_patch
from ansible_collections.kubemark.kubemark.plugins.module_utils.source_patch import (
    CRI_ENDPOINT_SHAPES,
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


def test_set_cri_endpoint_replaces_only_the_literal_in_config_shape():
    patch = set_cri_endpoint(CONFIG_BLOCK, CRIO)
    assert patch.after == CONFIG_BLOCK.replace('unix:///run/containerd/containerd.sock', CRIO)
    assert (patch.field, patch.line, patch.previous_endpoint, patch.endpoint) == (
        'c.ImageServiceEndpoint', 3, 'unix:///run/containerd/containerd.sock', CRIO)


def test_set_cri_endpoint_turns_bare_path_of_flags_shape_into_url():
    patch = set_cri_endpoint(FLAGS_BLOCK, CRIO, version='v1.21.14')
    assert '\tf.RemoteImageEndpoint = "unix:///run/crio/crio.sock"\n' in patch.after
    assert patch.previous_endpoint == '/run/containerd/containerd.sock'


def test_set_cri_endpoint_keeps_trailing_comment():
    text = CONFIG_BLOCK.replace('containerd.sock"', 'containerd.sock" // host runtime')
    assert '"%s" // host runtime\n' % CRIO in set_cri_endpoint(text, CRIO).after


def test_set_cri_endpoint_is_unchanged_when_value_matches():
    patch = set_cri_endpoint(CONFIG_BLOCK, 'unix:///run/containerd/containerd.sock')
    assert patch.after == patch.before


def test_set_cri_endpoint_fails_naming_file_and_shapes_when_line_is_gone():
    with pytest.raises(SourcePatchError) as error:
        set_cri_endpoint('package kubemark\n', CRIO, path='/src/pkg/kubemark/hollow_kubelet.go')
    message = str(error.value)
    assert message.startswith('/src/pkg/kubemark/hollow_kubelet.go: no hollow kubelet image service')
    assert 'f.RemoteImageEndpoint = "unix:///run/containerd/containerd.sock" (v1.21-v1.26)' in message
    assert 'c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock" (v1.27+)' in message


def test_set_cri_endpoint_fails_when_version_expects_the_other_shape():
    with pytest.raises(SourcePatchError, match=r'hollow_kubelet.go:3: found .*c.ImageServiceEndpoint.* v1.26.0 uses'):
        set_cri_endpoint(CONFIG_BLOCK, CRIO, version='v1.26.0')


@pytest.mark.parametrize('replacement, message', [
    ('c.ImageServiceEndpoint = defaultEndpoint', 'does not assign a plain string literal'),
    ('c.ImageServiceEndpoint = "unix:///a\\"b"', 'does not assign a plain string literal'),
    ('cfg.ImageServiceEndpoint = "unix:///run/x.sock"', 'is not a known shape'),
])
def test_set_cri_endpoint_fails_on_unknown_assignments(replacement, message):
    text = CONFIG_BLOCK.replace('c.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"', replacement)
    with pytest.raises(SourcePatchError, match=message):
        set_cri_endpoint(text, CRIO)


def test_set_cri_endpoint_fails_on_two_assignments():
    with pytest.raises(SourcePatchError, match=r'found 2 image service endpoint assignments \(lines 3, 7\)'):
        set_cri_endpoint(CONFIG_BLOCK + FLAGS_BLOCK.split('\n', 1)[1], CRIO)


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
    patch = set_cri_endpoint(CONFIG_BLOCK, CRIO)
    diff = unified_diff(patch.before, patch.after, 'pkg/kubemark/hollow_kubelet.go')
    assert diff.startswith('--- a/pkg/kubemark/hollow_kubelet.go\n+++ b/pkg/kubemark/hollow_kubelet.go\n@@ ')
    assert '-\tc.ImageServiceEndpoint = "unix:///run/containerd/containerd.sock"\n' in diff
    assert '+\tc.ImageServiceEndpoint = "unix:///run/crio/crio.sock"\n' in diff
    assert unified_diff(CONFIG_BLOCK, CONFIG_BLOCK, 'x') == ''
