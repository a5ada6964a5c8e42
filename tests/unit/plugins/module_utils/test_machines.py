# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the machine containers: validation, naming and rendered files."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.kubemark.kubemark.plugins.module_utils.machines import (
    MACHINE_OPEN_FILES,
    MachineSpecError,
    host_veth_name,
    link_flags,
    machine_open_files,
    netns_name,
    parse_open_files_limit,
    parse_size,
    parse_task_list,
    render_hosts,
    render_known_hosts,
    spec_open_files,
    spec_with_open_files,
    validate_network,
    validate_specs,
)

CIDR = "10.199.0.0/24"


def spec(name, address, disks=None):
    return {"name": name, "address": address, "disks": disks or []}


def test_valid_specs_are_normalised():
    specs, network, gateway = validate_specs(
        [spec("master", "10.199.0.10", [{"name": "vdb", "size": "2G"}]), spec("hollow-1", "10.199.0.11")],
        CIDR,
        None,
    )
    assert str(gateway) == "10.199.0.1"
    assert network.prefixlen == 24
    assert specs[0]["disks"] == [{"name": "vdb", "size": 2 * 1024 ** 3}]
    assert specs[1] == {"name": "hollow-1", "address": "10.199.0.11", "disks": []}


@pytest.mark.parametrize(
    "machines, message",
    [
        ([spec("Master", "10.199.0.10")], "not a valid machine name"),
        ([spec("m", "10.199.0.10"), spec("m", "10.199.0.11")], "listed twice"),
        ([spec("m", "10.200.0.10")], "outside machines_network_cidr"),
        ([spec("m", "10.199.0.255")], "outside machines_network_cidr"),
        ([spec("m", "10.199.0.1")], "gateway address"),
        ([spec("m", "not-an-ip")], "is not an IPv4 address"),
        ([spec("m", None)], "is not an IPv4 address"),
        ([spec("a", "10.199.0.10"), spec("b", "10.199.0.10")], "already used by machine a"),
        ([spec("m", "10.199.0.10", [{"name": "disk1", "size": "1G"}])], "not a block device name"),
        ([spec("m", "10.199.0.10", [{"name": "vdb", "size": "lots"}])], "is not a size"),
        ([spec("m", "10.199.0.10", [{"name": "vdb", "size": "0"}])], "is not a size"),
        (
            [spec("m", "10.199.0.10", [{"name": "vdb", "size": "1G"}, {"name": "vdb", "size": "2G"}])],
            "listed twice",
        ),
    ],
)
def test_bad_specs_name_the_cause(machines, message):
    with pytest.raises(MachineSpecError, match=message):
        validate_specs(machines, CIDR, None)


@pytest.mark.parametrize(
    "cidr, gateway, message",
    [
        ("10.199.0.1/24", None, "not a network address"),
        ("nonsense", None, "not a network address"),
        ("8.8.8.0/24", None, "not a private range"),
        ("10.199.0.0/30", None, "too small"),
        ("fd00::/64", None, "only IPv4"),
        (CIDR, "10.200.0.1", "is not a host address"),
        (CIDR, "gateway", "not an IPv4 address"),
    ],
)
def test_bad_networks_name_the_cause(cidr, gateway, message):
    with pytest.raises(MachineSpecError, match=message):
        validate_network(cidr, gateway)


def test_explicit_gateway():
    network, gateway = validate_network(CIDR, "10.199.0.254")
    assert str(gateway) == "10.199.0.254"


@pytest.mark.parametrize("size, expected", [("512M", 512 * 1024 ** 2), ("8g", 8 * 1024 ** 3), ("4096", 4096)])
def test_parse_size(size, expected):
    assert parse_size(size, "here") == expected


def test_interface_names_fit_the_kernel_limit_and_differ():
    long_a = "a" * 32
    long_b = "a" * 31 + "b"
    assert len(host_veth_name(long_a)) <= 15
    assert host_veth_name(long_a) != host_veth_name(long_b)
    assert host_veth_name("m") == host_veth_name("m")
    assert netns_name("m") == "kubemark-m"


def test_hosts_file_lists_machines_in_address_order():
    text = render_hosts([spec("b", "10.199.0.20"), spec("a", "10.199.0.3")])
    lines = text.splitlines()
    assert lines[0] == "127.0.0.1\tlocalhost"
    assert lines[-2:] == ["10.199.0.3\ta", "10.199.0.20\tb"]


def test_known_hosts_pins_address_and_name():
    text = render_known_hosts({"m": ("10.199.0.10", "ssh-ed25519 AAAAkey root@m")})
    assert text == "10.199.0.10,m ssh-ed25519 AAAAkey\n"
    assert render_known_hosts({}) == ""


def test_parse_task_list():
    text = "TASK    PID      STATUS    \nm1      18131    RUNNING\nm2      0        STOPPED\n"
    assert parse_task_list(text) == {"m1": "RUNNING", "m2": "STOPPED"}


def test_link_flags():
    line = "7: kubemark0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP"
    assert "UP" in link_flags(line)
    assert link_flags("4: kmv1: <BROADCAST,MULTICAST> mtu 1500") == {"BROADCAST", "MULTICAST"}
    assert link_flags("") == set()


LIMITS = """Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 20000                files
Max locked memory         8388608              8388608              bytes
"""


def test_parse_open_files_limit_takes_the_hard_limit():
    assert parse_open_files_limit(LIMITS) == 20000
    assert parse_open_files_limit(LIMITS.replace("20000", "unlimited")) is None
    assert parse_open_files_limit("Limit Soft Hard Units\n") is None


def test_machine_open_files_never_above_the_daemon_nor_the_kernel_default():
    assert machine_open_files(20000) == 20000
    assert machine_open_files(4 * MACHINE_OPEN_FILES) == MACHINE_OPEN_FILES
    assert machine_open_files(None) == MACHINE_OPEN_FILES


def test_spec_with_open_files_changes_only_that_rlimit():
    # What ctr generates: containerd's default of 1024 open files.
    spec = {"process": {"args": ["/sbin/init"], "rlimits": [
        {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024},
        {"type": "RLIMIT_CORE", "hard": 0, "soft": 0}]}, "root": {"path": "/rootfs"}}
    patched = spec_with_open_files(spec, 20000)
    assert spec_open_files(spec) == 1024, "the input is not modified"
    assert spec_open_files(patched) == 20000
    assert {"type": "RLIMIT_NOFILE", "hard": 20000, "soft": 20000} in patched["process"]["rlimits"]
    assert {"type": "RLIMIT_CORE", "hard": 0, "soft": 0} in patched["process"]["rlimits"]
    assert patched["root"] == spec["root"] and patched["process"]["args"] == ["/sbin/init"]
    assert spec_with_open_files(patched, 20000) is None, "already so: nothing to re-create"


def test_spec_without_rlimits_gets_one():
    assert spec_open_files({"process": {}}) is None
    assert spec_open_files(spec_with_open_files({"process": {}}, 4096)) == 4096
