#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubemark_whoami
short_description: Ask the API server who a kubeconfig's credentials are (kubectl auth whoami)
version_added: 0.1.0
description:
  - Sends a C(SelfSubjectReview) with the credentials of a kubeconfig, as C(kubectl auth whoami)
    does, and returns the user name and groups the API server authenticated.
  - Credentials the API server does not accept (a token that is not in the master's
    C(known_tokens.csv), a client certificate of another CA) are answered with 401 and fail the
    module with a message that says so, before anything is deployed with that kubeconfig.
  - API servers older than 1.28 without the v1 API fall back to v1beta1, then to C(GET /api),
    which proves the credentials are accepted but names nobody.
  - With O(node_kubeconfigs), it reviews many kubelet kubeconfigs at once, each of which must be
    C(system:node:<its node name>) in group C(system:nodes).
author:
  - kubemark collection developers (@kubemark)
extends_documentation_fragment:
  - kubemark.kubemark.kubeconfig
options:
  node_kubeconfigs:
    description:
      - Node name to the path of that node's kubelet kubeconfig on the control host. Each is
        reviewed (16 at a time) and must be C(system:node:<node name>) in group C(system:nodes).
      - Instead of O(kubeconfig) and O(kubeconfig_content).
    type: dict
  expect_user:
    description:
      - Fail unless the API server authenticates this user name.
    type: str
  expect_groups:
    description:
      - Fail unless the user is in all of these groups.
    type: list
    elements: str
    default: []
  timeout:
    description:
      - Seconds to wait for the API server.
    type: int
    default: 15
attributes:
  check_mode:
    support: full
    description: The review is read-only; it runs in check mode too.
  diff_mode:
    support: none
    description: Nothing to show a difference of.
notes:
  - The credentials are never returned.
"""

EXAMPLES = r"""
- name: Check that the master knows the hollow kubelet's token
  kubemark.kubemark.kubemark_whoami:
    kubeconfig_content: "{{ hollow_kubelet_kubeconfig.content | b64decode }}"
    expect_user: kubelet
    expect_groups: [system:nodes]
  no_log: false
"""

RETURN = r"""
server:
  description: URL of the API server of the kubeconfig's current context.
  returned: without O(node_kubeconfigs)
  type: str
nodes:
  description: Number of node kubeconfigs reviewed.
  returned: with O(node_kubeconfigs)
  type: int
username:
  description: The authenticated user name (empty when only the C(GET /api) fallback was possible).
  returned: success
  type: str
groups:
  description: The authenticated groups.
  returned: success
  type: list
  elements: str
method:
  description: C(selfsubjectreview/v1), C(selfsubjectreview/v1beta1) or C(get-api).
  returned: success
  type: str
"""

from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kubemark.kubemark.plugins.module_utils._kube import (
    KUBECONFIG_ARGS,
    KUBECONFIG_SOURCES,
    ApiError,
    client_for_module,
    load,
)


NODES_GROUP = 'system:nodes'


def _review_node(name, path, timeout):
    """None when the kubeconfig of node name is system:node:<name> in system:nodes, else why not."""
    try:
        method, username, groups = load(path=path, timeout=timeout).whoami()
    except ApiError as error:
        return 'rejected (%s)' % error if error.status == 401 else 'not reviewed (%s)' % error
    except Exception as error:  # pylint: disable=broad-except
        # The loader has no common error class (missing file, bad YAML, unusable credentials).
        return 'unusable kubeconfig %s (%s)' % (path, error)
    if method == 'get-api':
        return None
    if username != 'system:node:' + name or NODES_GROUP not in groups:
        return 'authenticated as %r in %s' % (username, groups)
    return None


def review_nodes(module, kubeconfigs, timeout):
    with ThreadPoolExecutor(max_workers=16) as pool:
        problems = dict(zip(kubeconfigs, pool.map(lambda item: _review_node(item[0], item[1], timeout), kubeconfigs.items())))
    bad = sorted((name, why) for name, why in problems.items() if why)
    if bad:
        module.fail_json(msg='%d of %d hollow kubelet kubeconfigs are not the identity of their node (system:node:<name>, '
                             'group %s): %s' % (len(bad), len(kubeconfigs), NODES_GROUP,
                                                '; '.join('%s %s' % item for item in bad[:5])))
    module.exit_json(changed=False, nodes=len(kubeconfigs))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            KUBECONFIG_ARGS,
            node_kubeconfigs=dict(type='dict'),
            expect_user=dict(type='str'),
            expect_groups=dict(type='list', elements='str', default=[]),
            timeout=dict(type='int', default=15),
        ),
        required_one_of=[KUBECONFIG_SOURCES[0] + ('node_kubeconfigs',)],
        mutually_exclusive=[KUBECONFIG_SOURCES[0] + ('node_kubeconfigs',)],
        supports_check_mode=True,
    )
    params = module.params
    if params['node_kubeconfigs'] is not None:
        review_nodes(module, params['node_kubeconfigs'], params['timeout'])
    api = client_for_module(module, timeout=params['timeout'])
    server, source = api.server, api.source

    try:
        method, username, groups = api.whoami()
    except ApiError as error:
        if error.status == 401:
            module.fail_json(server=server, msg=(
                'the API server %s rejected the credentials of %s (user entry %r): 401 Unauthorized. '
                'The kubeconfig does not belong to this master (a token its token file lacks, a '
                'certificate of another CA), or the master\'s credentials changed. Take the kubeconfig '
                'the master role wrote, never one made elsewhere.' % (server, source, api.user)))
        if error.status == 0:
            module.fail_json(server=server, msg='cannot reach the API server %s of %s: %s' % (server, source, error))
        module.fail_json(server=server, msg='the API server %s refused the review of %s: %s' % (server, source, error))

    problems = []
    if params['expect_user'] is not None and method != 'get-api' and username != params['expect_user']:
        problems.append('user %r, not %r' % (username, params['expect_user']))
    missing_groups = [group for group in params['expect_groups'] if method != 'get-api' and group not in groups]
    if missing_groups:
        problems.append('groups %s lack %s' % (groups, missing_groups))
    if problems:
        module.fail_json(server=server, username=username, groups=groups, method=method,
                         msg='the API server %s authenticates %s as %s' % (server, source, '; '.join(problems)))
    module.exit_json(changed=False, server=server, username=username, groups=groups, method=method)


if __name__ == '__main__':
    main()
