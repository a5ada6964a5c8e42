# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of the one cached build every artifact of the collection goes through.

An artifact directory holds builds/<id>/ (finished builds, never half-written) and a link bin ->
builds/<id> to the current one. The id is a hash of everything that makes the binaries what they
are: the caller's inputs (module sums, commits, checksums of patched files, the versions behind
non-Go outputs), the Go toolchain and the Go build flags. Which outputs are asked for is not part
of it: one build directory collects every output ever asked of the same inputs, so runs that need
different binaries of the same sources never rebuild each other's. Nothing here touches the file system or
runs a command.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re

BUILDS_DIR = 'builds'
BIN_LINK = 'bin'
RECORD_FILE = 'build.json'
LOCK_FILE = '.lock'
ID_LENGTH = 16

# Placeholders in the argv of a command output.
OUTPUT_PLACEHOLDER = '{output}'
SOURCE_PLACEHOLDER = '{source}'

_NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._+-]*$')
_PACKAGE_RE = re.compile(r'^(\.{1,2}(/[A-Za-z0-9._~+-]+)*|[A-Za-z0-9][A-Za-z0-9._~/+-]*)$')
_MODULE_RE = re.compile(r'^(?P<path>[A-Za-z0-9][A-Za-z0-9._~/-]*)@(?P<version>v[0-9][0-9A-Za-z.+-]*)$')
MOD_MODES = ('', 'vendor', 'readonly', 'mod')


class BuildSpecError(ValueError):
    """Options that cannot describe a build; the message names the option."""


def parse_module(spec):
    """Split 'path@version' of a Go module; raise BuildSpecError when it is not one."""
    match = _MODULE_RE.match(spec or '')
    if not match:
        raise BuildSpecError('module %r must be a Go module path and version such as sigs.k8s.io/kwok@v0.8.0' % (spec,))
    return match.group('path'), match.group('version')


def check_outputs(targets, commands):
    """Validate the Go targets and command outputs; return them with defaults filled in.

    A target is {'package', 'name', 'test'}: 'go build' (or 'go test -c' with test) of a package
    into the file name. A command is {'name', 'argv'}: any other program that writes one output,
    with {output} (and {source}, the directory the build runs in) replaced in its argv.
    """
    checked_targets = []
    for index, target in enumerate(targets or []):
        package = (target.get('package') or '').strip()
        if not _PACKAGE_RE.match(package):
            raise BuildSpecError('targets[%d].package %r is not a Go package path' % (index, package))
        test = bool(target.get('test'))
        base = posixpath.basename(package.rstrip('/'))
        name = target.get('name') or ('' if base in ('', '.', '..') else base + ('.test' if test else ''))
        if not name:
            raise BuildSpecError('targets[%d].name is needed: package %r has no name of its own' % (index, package))
        checked_targets.append({'package': package, 'name': name, 'test': test})
    checked_commands = []
    for index, command in enumerate(commands or []):
        argv = [str(arg) for arg in command.get('argv') or []]
        if not argv:
            raise BuildSpecError('commands[%d].argv is empty' % index)
        if not any(OUTPUT_PLACEHOLDER in arg for arg in argv):
            raise BuildSpecError('commands[%d].argv must write its output to %s' % (index, OUTPUT_PLACEHOLDER))
        checked_commands.append({'name': command.get('name') or '', 'argv': argv})
    names = [item['name'] for item in checked_targets + checked_commands]
    for name in names:
        if not _NAME_RE.match(name) or name in (RECORD_FILE, LOCK_FILE):
            raise BuildSpecError('output name %r must be a plain file name (letters, digits, . _ + -), not %s'
                                 % (name, RECORD_FILE))
    duplicates = sorted(set(name for name in names if names.count(name) > 1))
    if duplicates:
        raise BuildSpecError('output names must be distinct: %s' % ', '.join(duplicates))
    if not names:
        raise BuildSpecError('nothing to build: give targets or commands')
    return checked_targets, checked_commands


def build_inputs(inputs, go_version, settings):
    """Everything the id covers: the caller's inputs, the toolchain and the Go build flags.

    The argv of command outputs is not covered, like the list of outputs: a run that asks for one
    more command output joins the build. What makes a command's output differ belongs in inputs.
    """
    return {'inputs': inputs or {}, 'go': go_version, 'settings': settings}


def build_id(full_inputs):
    """The build's directory name: a hash of its canonical JSON."""
    canonical = json.dumps(full_inputs, sort_keys=True, separators=(',', ':'))
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:ID_LENGTH]


def missing_outputs(targets, commands, existing_names):
    """The targets and commands whose output file the build directory lacks, in order."""
    existing = set(existing_names)
    return ([target for target in targets if target['name'] not in existing],
            [command for command in commands if command['name'] not in existing])


def go_argv(go, target, output, settings, nice=None):
    """The argv of 'go build' (or 'go test -c') of one target."""
    argv = [go, 'test', '-c'] if target['test'] else [go, 'build']
    if settings.get('mod'):
        argv.append('-mod=' + settings['mod'])
    if settings.get('trimpath', True):
        argv.append('-trimpath')
    if settings.get('tags'):
        argv += ['-tags', ','.join(settings['tags'])]
    if settings.get('ldflags'):
        argv += ['-ldflags', settings['ldflags']]
    argv += ['-o', output, target['package']]
    return _niced(argv, nice)


def command_argv(command, output, source, nice=None):
    """The argv of a command output, with its placeholders filled in."""
    argv = [arg.replace(OUTPUT_PLACEHOLDER, output).replace(SOURCE_PLACEHOLDER, source) for arg in command['argv']]
    return _niced(argv, nice)


def _niced(argv, nice):
    return ['nice', '-n', str(int(nice))] + argv if nice else argv


def superseded(entries, current_id):
    """Entries of builds/ other than the current build (older builds and partial ones)."""
    return sorted(entry for entry in entries if entry != current_id)


def error_tail(text, lines=40):
    """The last lines of a failed command's output: where Go puts the error."""
    kept = (text or '').rstrip().splitlines()[-lines:]
    return '\n'.join(kept)


def parse_json_stream(text):
    """The JSON objects 'go list -m -json' prints one after the other."""
    decoder = json.JSONDecoder()
    objects = []
    index = 0
    text = text or ''
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return objects
        value, index = decoder.raw_decode(text, index)
        objects.append(value)


def module_errors(listed):
    """{path@version: error} of the modules 'go list -m -json -e' could not find."""
    errors = {}
    for entry in listed:
        error = entry.get('Error')
        if error:
            message = error.get('Err', '') if isinstance(error, dict) else str(error)
            errors['%s@%s' % (entry.get('Path'), entry.get('Version'))] = message.strip()
    return errors
