#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_go_build
short_description: Build Go programs (and other outputs) into a cache directory named after their inputs
version_added: 0.2.0
description:
  - The one cached build of the collection. Kubernetes commands, C(e2e.test), etcd, CRI-O,
    clusterloader2 and kwok all go through it.
  - O(dest) holds C(builds/<id>/), one directory per set of inputs, and a link C(bin) to the
    current one. The id is a hash of O(inputs), the Go version the build runs with, the build
    flags (O(ldflags), O(tags), O(cgo), O(mod), O(trimpath), O(env)).
  - Outputs missing from the build directory are built into a temporary directory and moved into
    place only when complete, so the cache never holds a half-written binary. Outputs already
    there are never rebuilt; which outputs are asked for is not part of the id, so runs that
    need different binaries of the same sources share one build directory.
  - The module reports C(changed) only when it built something, moved the C(bin) link or removed
    superseded builds (O(prune)). Runs on the same O(dest) wait for each other (a lock file).
  - With O(module), the module is downloaded from the Go module proxy (C(go mod download)) and
    built inside its read-only directory in the module cache; its checksum is one of the inputs.
author:
  - kubemark collection developers (@kubemark)
options:
  dest:
    description:
      - Artifact directory, such as C(~/.cache/kubemark/kwok/v0.8.0). Created when missing.
    type: path
    required: true
  chdir:
    description:
      - Directory of the main module the Go targets are built in (a checkout, a builder module).
      - Exactly one of O(chdir) and O(module).
    type: path
  module:
    description:
      - A Go module as C(path@version), such as C(sigs.k8s.io/kwok@v0.8.0), to download from the Go
        module proxy and build inside. Its go.mod must not replace modules with local paths.
      - Exactly one of O(chdir) and O(module).
    type: str
  inputs:
    description:
      - What identifies the sources besides the toolchain and flags, such as a version, a commit,
        the checksums of patched files. Any JSON-compatible value.
    type: dict
    default: {}
  targets:
    description:
      - Go packages to build, each into the file O(targets[].name) of the build directory.
    type: list
    elements: dict
    default: []
    suboptions:
      package:
        description: Import path or relative package (C(./cmd/kwok)).
        type: str
        required: true
      name:
        description: Output file name; default the package's last element (C(.test) added with O(targets[].test)).
        type: str
      test:
        description: Build the package's test binary (C(go test -c)) instead of a command.
        type: bool
        default: false
  commands:
    description:
      - Outputs made by other programs (a C compiler, for instance). C({output}) in O(commands[].argv)
        is replaced by the output path and C({source}) by the build directory (O(chdir) or the
        module's directory).
      - Like the list of outputs, the argv is not part of the id. Put what makes an output differ,
        such as a version or a checksum, into O(inputs).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Output file name.
        type: str
        required: true
      argv:
        description: The command and its arguments; runs in the source directory.
        type: list
        elements: str
        required: true
  ldflags:
    description: Linker flags of every Go target.
    type: str
    default: -s -w
  tags:
    description: Build tags of every Go target.
    type: list
    elements: str
    default: []
  cgo:
    description: Build with cgo (C(CGO_ENABLED=1)); the default makes static binaries.
    type: bool
    default: false
  mod:
    description:
      - C(-mod) flag of the Go targets. Empty leaves Go's default; builds inside O(module) use C(readonly).
    type: str
    choices: ['', vendor, readonly, mod]
    default: ''
  trimpath:
    description: Pass C(-trimpath).
    type: bool
    default: true
  env:
    description: More environment variables of every build step (part of the id).
    type: dict
    default: {}
  go:
    description: The go command.
    type: str
    default: go
  toolchain:
    description:
      - C(GOTOOLCHAIN). C(auto) lets go fetch the toolchain a go.mod asks for from the module proxy.
    type: str
    default: auto
  gocache:
    description: C(GOCACHE) of the builds; empty for Go's default.
    type: path
  nice:
    description: Niceness of every build step (0 for none); builds take minutes on a shared control host.
    type: int
    default: 10
  prune:
    description: Remove builds of other inputs (and partial builds of interrupted runs) from O(dest).
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Reports what would be built without building or writing anything.
  diff_mode:
    support: none
    description: Nothing is shown as a difference.
  idempotent:
    support: full
    description: With the same inputs, a second run builds nothing and reports no change.
notes:
  - Run long builds with C(async) and C(poll).
  - A failed build leaves the cache as it was and returns the end of the command's output.
seealso:
  - module: kubemark.kubemark.kubemark_gomod_builder
"""

EXAMPLES = r"""
- name: Build the kwok controller from the Go module proxy
  kubemark.kubemark.kubemark_go_build:
    dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.cache/kubemark/kwok/v0.8.0"
    module: sigs.k8s.io/kwok@v0.8.0
    targets:
      - package: ./cmd/kwok
  async: 3600
  poll: 10
  register: kwok_build

- name: Build kubelet and kubemark in a vendored builder module
  kubemark.kubemark.kubemark_go_build:
    dest: /var/cache/kubemark/kubernetes/v1.37.2
    chdir: /var/cache/kubemark/kubernetes/v1.37.2/builder
    mod: vendor
    ldflags: -s -w -X k8s.io/component-base/version.gitVersion=v1.37.2
    inputs:
      kubernetes: v1.37.2
      patched: {hollow_kubelet.go: 9f86d081884c7d65}
    targets:
      - package: k8s.io/kubernetes/cmd/kubelet
      - package: k8s.io/kubernetes/cmd/kubemark
      - package: k8s.io/kubernetes/test/e2e
        name: e2e.test
        test: true
"""

RETURN = r"""
id:
  description: The build's id (the name of its directory under C(builds/)).
  returned: always
  type: str
  sample: 3f2a9c0d1b7e6a54
path:
  description: The build directory.
  returned: always
  type: str
  sample: /root/.cache/kubemark/kwok/v0.8.0/builds/3f2a9c0d1b7e6a54
bin:
  description: The link to the current build (O(dest)/bin).
  returned: always
  type: str
binaries:
  description: Path of every output asked for, by name.
  returned: always
  type: dict
  sample: {"kwok": "/root/.cache/kubemark/kwok/v0.8.0/builds/3f2a9c0d1b7e6a54/kwok"}
available:
  description:
    - Path of every output the build directory holds, by name, including outputs of earlier runs
      with the same inputs (in check mode, those that exist already).
  returned: always
  type: dict
built:
  description: Names of the outputs this run built (or would build, in check mode).
  returned: always
  type: list
  elements: str
seconds:
  description:
    - Wall-clock seconds of each output this run built, by name. Outputs are built one after the
      other with one Go build cache, so a later output's figure is what it adds to the earlier ones.
      The build directory's C(build.json) keeps the figures of every run that built into it.
  returned: always
  type: dict
  sample: {"kubemark": 412.3, "e2e.test": 221.9}
removed:
  description: Superseded entries of C(builds/) removed (or that would be removed).
  returned: always
  type: list
  elements: str
go_version:
  description: The Go version the build ran with (C(go env GOVERSION) in the source directory).
  returned: always
  type: str
  sample: go1.26.8
module_dir:
  description: The module's directory in the module cache (with O(module)).
  returned: when O(module) is set
  type: str
inputs:
  description: Everything the id covers.
  returned: always
  type: dict
"""

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils import _files, gobuild


class _BuildError(Exception):
    """A step failed; the message carries the command and the end of its output."""


def _run(argv, cwd, env):
    process = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        raise _BuildError('%s (in %s) exited with %d:\n%s' % (
            ' '.join(argv), cwd, process.returncode, gobuild.error_tail(process.stderr + process.stdout)))
    return process.stdout


def _environment(params, settings):
    env = dict(os.environ)
    env.update(CGO_ENABLED='1' if settings['cgo'] else '0', GOTOOLCHAIN=params['toolchain'])
    if params['gocache']:
        env['GOCACHE'] = params['gocache']
    env.update(dict((key, str(value)) for key, value in settings['env'].items()))
    return env


def _download(params, env):
    """Download O(module) into the module cache; return its directory and checksum."""
    work = tempfile.mkdtemp(prefix='kubemark-go-download-')
    try:
        process = subprocess.run([params['go'], 'mod', 'download', '-json', params['module']], cwd=work,
                                 env=dict(env, GOFLAGS='-mod=mod'), capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    try:
        info = json.loads(process.stdout)
    except ValueError:
        info = {}
    if process.returncode != 0 or info.get('Error') or not info.get('Dir'):
        raise _BuildError('%s cannot be downloaded from the Go module proxy (%s): %s' % (
            params['module'], env.get('GOPROXY') or 'GOPROXY', (info.get('Error') or process.stderr).strip()))
    return info['Dir'], info.get('Sum', '')


@contextlib.contextmanager
def _locked(dest):
    with open(os.path.join(dest, gobuild.LOCK_FILE), 'a') as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _point_link(link, target):
    """Make link point at target (relative); True when it changed."""
    if os.path.islink(link) and os.readlink(link) == target:
        return False
    temporary = '%s.%d.tmp' % (link, os.getpid())
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, link)
    return True


def _build(params, source, env, settings, targets, commands, build_dir):
    """Build what is missing into a temporary directory, then move each output into build_dir.

    Return the wall-clock seconds each output took, in build order: a later output reuses the
    Go build cache of the earlier ones, so its figure is what it adds to them.
    """
    builds = os.path.dirname(build_dir)
    partial = tempfile.mkdtemp(prefix='.%s.partial.' % os.path.basename(build_dir), dir=builds)
    seconds = {}
    try:
        steps = [(target['name'],
                  gobuild.go_argv(params['go'], target, os.path.join(partial, target['name']), settings, nice=params['nice']))
                 for target in targets]
        steps += [(command['name'],
                   gobuild.command_argv(command, os.path.join(partial, command['name']), source, nice=params['nice']))
                  for command in commands]
        for name, argv in steps:
            start = time.monotonic()
            _run(argv, source, env)
            seconds[name] = round(time.monotonic() - start, 1)
        if not os.path.isdir(build_dir):
            os.mkdir(build_dir, 0o755)
        for name in os.listdir(partial):
            os.replace(os.path.join(partial, name), os.path.join(build_dir, name))
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return seconds


def _recorded_seconds(record):
    """The build seconds an earlier run wrote into the build's record (empty when unreadable)."""
    try:
        with open(record) as handle:
            seconds = json.load(handle).get('seconds', {})
    except (OSError, ValueError, AttributeError):
        return {}
    return seconds if isinstance(seconds, dict) else {}


def _available(build_dir):
    if not os.path.isdir(build_dir):
        return {}
    return dict((name, os.path.join(build_dir, name)) for name in sorted(os.listdir(build_dir))
                if name != gobuild.RECORD_FILE)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type='path', required=True),
            chdir=dict(type='path'),
            module=dict(type='str'),
            inputs=dict(type='dict', default={}),
            targets=dict(type='list', elements='dict', default=[], options=dict(
                package=dict(type='str', required=True),
                name=dict(type='str'),
                test=dict(type='bool', default=False),
            )),
            commands=dict(type='list', elements='dict', default=[], options=dict(
                name=dict(type='str', required=True),
                argv=dict(type='list', elements='str', required=True),
            )),
            ldflags=dict(type='str', default='-s -w'),
            tags=dict(type='list', elements='str', default=[]),
            cgo=dict(type='bool', default=False),
            mod=dict(type='str', choices=list(gobuild.MOD_MODES), default=''),
            trimpath=dict(type='bool', default=True),
            env=dict(type='dict', default={}),
            go=dict(type='str', default='go'),
            toolchain=dict(type='str', default='auto'),
            gocache=dict(type='path'),
            nice=dict(type='int', default=10),
            prune=dict(type='bool', default=True),
        ),
        required_one_of=[('chdir', 'module')],
        mutually_exclusive=[('chdir', 'module')],
        supports_check_mode=True,
    )
    params = module.params
    dest = params['dest']
    try:
        targets, commands = gobuild.check_outputs(params['targets'], params['commands'])
        if params['module']:
            gobuild.parse_module(params['module'])
    except gobuild.BuildSpecError as error:
        module.fail_json(msg=str(error))
    if os.path.lexists(dest) and not os.path.isdir(dest):
        module.fail_json(msg='dest %s exists and is not a directory' % dest)

    settings = dict(ldflags=params['ldflags'], tags=sorted(params['tags']), cgo=params['cgo'],
                    mod=params['mod'] or ('readonly' if params['module'] else ''), trimpath=params['trimpath'],
                    env=dict((key, str(value)) for key, value in params['env'].items()))
    if params['module']:
        # The module cache is no workspace of its own: a go.work around it must not apply.
        settings['env'].setdefault('GOWORK', 'off')
    env = _environment(params, settings)
    inputs = dict(params['inputs'])
    result = dict(changed=False, built=[], removed=[], seconds={})
    try:
        if params['module']:
            source, checksum = _download(params, env)
            inputs['module'] = {params['module']: checksum}
            result['module_dir'] = source
        else:
            source = params['chdir']
            if not os.path.isdir(source):
                module.fail_json(msg='chdir %s is not a directory' % source)
        go_version = _run([params['go'], 'env', 'GOVERSION'], source, env).strip()
    except _BuildError as error:
        module.fail_json(msg=str(error))

    full_inputs = gobuild.build_inputs(inputs, go_version, settings)
    build_id = gobuild.build_id(full_inputs)
    builds = os.path.join(dest, gobuild.BUILDS_DIR)
    build_dir = os.path.join(builds, build_id)
    link = os.path.join(dest, gobuild.BIN_LINK)
    link_target = os.path.join(gobuild.BUILDS_DIR, build_id)
    result.update(id=build_id, path=build_dir, bin=link, go_version=go_version, inputs=full_inputs,
                  binaries=dict((item['name'], os.path.join(build_dir, item['name'])) for item in targets + commands))

    def plan():
        existing = os.listdir(build_dir) if os.path.isdir(build_dir) else []
        missing_targets, missing_commands = gobuild.missing_outputs(targets, commands, existing)
        stale = gobuild.superseded(os.listdir(builds), build_id) if params['prune'] and os.path.isdir(builds) else []
        link_ok = os.path.islink(link) and os.readlink(link) == link_target
        return missing_targets, missing_commands, stale, link_ok

    if module.check_mode:
        missing_targets, missing_commands, stale, link_ok = plan()
        result.update(built=[item['name'] for item in missing_targets + missing_commands], removed=stale)
        result['changed'] = bool(result['built'] or stale or not link_ok)
        result['available'] = _available(build_dir)
        module.exit_json(**result)

    os.makedirs(builds, 0o755, exist_ok=True)
    try:
        with _locked(dest):
            missing_targets, missing_commands, stale, link_ok = plan()
            record = os.path.join(build_dir, gobuild.RECORD_FILE)
            if missing_targets or missing_commands:
                result['seconds'] = _build(params, source, env, settings, missing_targets, missing_commands, build_dir)
                result['built'] = [item['name'] for item in missing_targets + missing_commands]
            if result['built'] or not os.path.exists(record):
                # Outputs may join a build in later runs: the record keeps every output's seconds.
                seconds = dict(_recorded_seconds(record), **result['seconds'])
                _files.write_atomic(record, json.dumps(dict(id=build_id, inputs=full_inputs, seconds=seconds), indent=2,
                                                       sort_keys=True) + '\n', 0o644)
            if _point_link(link, link_target):
                result['changed'] = True
            for entry in stale:
                shutil.rmtree(os.path.join(builds, entry), ignore_errors=True)
            result['removed'] = stale
    except _BuildError as error:
        module.fail_json(msg=str(error), **result)
    result['changed'] = result['changed'] or bool(result['built'] or result['removed'])
    result['available'] = _available(build_dir)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
