# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Machine containers: systemd Debian "VMs" in privileged containerd containers.

The pure part of this file (naming, validation, rendering of the files written into a machine's
root file system) has no side effects and is unit tested on its own. ``MachineHost`` does the work
on the host through commands (``ctr``, ``ip``, ``losetup``, ``ssh-keygen``), and every method that
changes something first checks whether the change is needed, so a second run changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import ipaddress
import json
import os
import re
import resource
import shutil

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import file_matches, write_atomic

# A machine name becomes a hostname, a containerd container id and part of a netns name.
MACHINE_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")
DISK_NAME_RE = re.compile(r"^(vd|sd|xvd)[a-z]$|^nvme[0-9]n[0-9]$")
SIZE_RE = re.compile(r"^([0-9]+)([KMGT]?)$")
SIZE_FACTORS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
# Label that marks a containerd container as one of ours: a container with the machine's name and
# without this label belongs to somebody else and is never touched.
MACHINE_LABEL = "kubemark.machine"
# Open files of a machine's processes. ctr gives every container containerd's default of 1024
# (soft and hard), and nothing inside can raise a hard limit: a schedulable master's containerd ran
# out of descriptors at about 45 hollow-node pods ("pipe2: too many open files"). A cloud VM's
# containerd has LimitNOFILE=infinity (1048576, the kernel's default nr_open). A machine gets that,
# or the hard limit of the machines' containerd when it is lower (runc cannot raise it above that).
MACHINE_OPEN_FILES = 1048576
# Units that wait for hardware a container never has (a serial console, real ttys).
MASKED_UNITS = (
    "getty.target",
    "serial-getty@.service",
    "console-getty.service",
    "systemd-udevd.service",
    "systemd-udevd-control.socket",
    "systemd-udevd-kernel.socket",
)


class MachineSpecError(Exception):
    """Bad input: the message names the variable and the fix."""


class MachineHostError(Exception):
    """The host cannot run machines, or a command on it failed."""


def parse_size(size, where):
    match = SIZE_RE.match(str(size).strip().upper())
    if not match or int(match.group(1)) == 0:
        raise MachineSpecError(
            "%s: disk size %r is not a size; write a whole number with an optional K, M, G or T "
            "suffix, for example 4G" % (where, size)
        )
    return int(match.group(1)) * SIZE_FACTORS[match.group(2)]


def netns_name(machine):
    return "kubemark-%s" % machine


def host_veth_name(machine):
    # Interface names are limited to 15 bytes; a digest keeps long machine names apart.
    return "kmv%s" % hashlib.sha1(machine.encode("utf-8")).hexdigest()[:10]


def validate_network(cidr, gateway):
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise MachineSpecError(
            "machines_network_cidr %r is not a network address (%s); write it like 10.199.0.0/24"
            % (cidr, exc)
        )
    if network.version != 4:
        raise MachineSpecError("machines_network_cidr %r: only IPv4 networks are supported" % cidr)
    if network.prefixlen > 29:
        raise MachineSpecError(
            "machines_network_cidr %r is too small for a gateway and machines; use a /29 or larger" % cidr
        )
    if not network.is_private:
        raise MachineSpecError(
            "machines_network_cidr %r is not a private range; machine addresses must never shadow "
            "public ones: use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" % cidr
        )
    if gateway:
        try:
            gw = ipaddress.ip_address(gateway)
        except ValueError:
            raise MachineSpecError("machines_network_gateway %r is not an IPv4 address" % gateway)
    else:
        gw = next(network.hosts())
    if gw not in network or gw in (network.network_address, network.broadcast_address):
        raise MachineSpecError(
            "machines_network_gateway %s is not a host address of machines_network_cidr %s" % (gw, cidr)
        )
    return network, gw


def validate_specs(machines, cidr, gateway):
    """Check every machine spec before anything is changed; return normalised specs."""
    network, gw = validate_network(cidr, gateway)
    seen_names = {}
    seen_addresses = {}
    result = []
    for index, spec in enumerate(machines):
        where = "machines_instances[%d]" % index
        name = spec.get("name")
        if not name or not MACHINE_NAME_RE.match(name):
            raise MachineSpecError(
                "%s: name %r is not a valid machine name; use 1-32 lower-case letters, digits and "
                "inner dashes (it becomes the hostname)" % (where, name)
            )
        if name in seen_names:
            raise MachineSpecError("%s: machine name %s is listed twice" % (where, name))
        seen_names[name] = True
        try:
            address = ipaddress.ip_address(spec.get("address") or "")
        except ValueError:
            raise MachineSpecError(
                "%s (%s): address %r is not an IPv4 address; set ansible_host of this host in the "
                "inventory to a free address of %s" % (where, name, spec.get("address"), cidr)
            )
        if address not in network or address in (network.network_address, network.broadcast_address):
            raise MachineSpecError(
                "%s (%s): address %s is outside machines_network_cidr %s; pick a host address "
                "inside it or widen machines_network_cidr" % (where, name, address, cidr)
            )
        if address == gw:
            raise MachineSpecError(
                "%s (%s): address %s is the host's gateway address on the machine network; pick "
                "another one" % (where, name, address)
            )
        if str(address) in seen_addresses:
            raise MachineSpecError(
                "%s (%s): address %s is already used by machine %s"
                % (where, name, address, seen_addresses[str(address)])
            )
        seen_addresses[str(address)] = name
        disks = []
        disk_names = set()
        for disk_index, disk in enumerate(spec.get("disks") or []):
            disk_where = "%s (%s) disks[%d]" % (where, name, disk_index)
            disk_name = disk.get("name")
            if not disk_name or not DISK_NAME_RE.match(disk_name):
                raise MachineSpecError(
                    "%s: disk name %r is not a block device name such as vdb, sdb, xvdb or nvme1n1"
                    % (disk_where, disk_name)
                )
            if disk_name in disk_names:
                raise MachineSpecError("%s: disk %s is listed twice" % (disk_where, disk_name))
            disk_names.add(disk_name)
            disks.append({"name": disk_name, "size": parse_size(disk.get("size"), disk_where)})
        result.append({"name": name, "address": str(address), "disks": disks})
    return result, network, gw


def render_hosts(machines):
    lines = [
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        "ff02::1\tip6-allnodes",
        "ff02::2\tip6-allrouters",
    ]
    for spec in sorted(machines, key=lambda m: ipaddress.ip_address(m["address"])):
        lines.append("%s\t%s" % (spec["address"], spec["name"]))
    return "\n".join(lines) + "\n"


def render_known_hosts(entries):
    """entries: {name: (address, public key line)} -> known_hosts text, stable order."""
    lines = []
    for name in sorted(entries):
        address, key = entries[name]
        key_type, key_data = key.split()[:2]
        lines.append("%s,%s %s %s" % (address, name, key_type, key_data))
    return "\n".join(lines) + ("\n" if lines else "")


def parse_open_files_limit(limits_text):
    """The hard 'Max open files' of /proc/<pid>/limits text: an int, None when unlimited or absent."""
    for line in limits_text.splitlines():
        if line.startswith("Max open files"):
            fields = line[len("Max open files"):].split()
            if len(fields) >= 2 and fields[1].isdigit():
                return int(fields[1])
            return None
    return None


def machine_open_files(daemon_hard_limit):
    """The open-files limit a machine gets under a containerd with that hard limit (None: unlimited)."""
    if daemon_hard_limit is None:
        return MACHINE_OPEN_FILES
    return min(daemon_hard_limit, MACHINE_OPEN_FILES)


def spec_open_files(spec):
    """The hard RLIMIT_NOFILE of an OCI spec's process (None when the spec sets none)."""
    for rlimit in spec.get("process", {}).get("rlimits") or []:
        if rlimit.get("type") == "RLIMIT_NOFILE":
            return rlimit.get("hard")
    return None


def spec_with_open_files(spec, limit):
    """A copy of an OCI spec whose process has RLIMIT_NOFILE soft = hard = limit; None when it has."""
    rlimits = spec.get("process", {}).get("rlimits") or []
    wanted = {"type": "RLIMIT_NOFILE", "hard": limit, "soft": limit}
    if wanted in rlimits:
        return None
    patched = json.loads(json.dumps(spec))
    others = [r for r in rlimits if r.get("type") != "RLIMIT_NOFILE"]
    patched.setdefault("process", {})["rlimits"] = others + [wanted]
    return patched


def link_flags(ip_link_line):
    """Flags of `ip -o link show` output, e.g. {'BROADCAST', 'UP', 'LOWER_UP'}."""
    match = re.search(r"<([^>]*)>", ip_link_line)
    return set(match.group(1).split(",")) if match else set()


def parse_task_list(text):
    """Parse `ctr task ls` output into {task id: status}."""
    tasks = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 3:
            tasks[fields[0]] = fields[2]
    return tasks


class MachineHost:
    """Creates, inspects and removes machine containers on this host."""

    def __init__(self, module, params):
        self.module = module
        self.check_mode = module.check_mode
        self.socket = params["containerd_address"]
        self.namespace = params["containerd_namespace"]
        self.state_dir = params["state_dir"]
        self.bridge = params["bridge"]
        self.actions = []
        self._open_files = None

    # -- helpers ---------------------------------------------------------------------------
    def run(self, argv, check=True, data=None):
        rc, out, err = self.module.run_command(argv, data=data)
        if check and rc != 0:
            raise MachineHostError("%s failed (rc=%d): %s" % (" ".join(argv), rc, (err or out).strip()))
        return rc, out, err

    def ctr(self, *args, **kwargs):
        return self.run(["ctr", "--address", self.socket, "--namespace", self.namespace] + list(args), **kwargs)

    def act(self, description):
        """Record a change; return True when it must really be carried out (not check mode)."""
        self.actions.append(description)
        return not self.check_mode

    def machine_dir(self, name):
        return os.path.join(self.state_dir, "machines", name)

    def load_record(self, name):
        path = os.path.join(self.machine_dir(name), "machine.json")
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return json.load(handle)

    def known_machines(self):
        base = os.path.join(self.state_dir, "machines")
        if not os.path.isdir(base):
            return []
        return sorted(n for n in os.listdir(base) if os.path.exists(os.path.join(base, n, "machine.json")))

    def write_file(self, path, content, mode, description):
        """Write content when it differs; atomic so a machine never sees half a file."""
        data = content.encode("utf-8")
        if file_matches(path, data, mode):
            return False
        if self.act(description):
            write_atomic(path, data, mode, dir_mode=0o755)
        return True

    # -- preflight --------------------------------------------------------------------------
    def preflight(self, specs):
        if os.geteuid() != 0:
            raise MachineHostError(
                "machine containers need root on the host (network namespaces, loop devices, "
                "privileged containers): run the playbook as root or with become"
            )
        for tool in ("ctr", "ip", "losetup", "ssh-keygen"):
            if not self.module.get_bin_path(tool):
                raise MachineHostError(
                    "%s is not installed on the machine host; the machines role installs containerd, "
                    "iproute2, util-linux and openssh-client: run it, or install them" % tool
                )
        if any(spec["disks"] for spec in specs) and not os.path.exists("/dev/loop-control"):
            raise MachineHostError(
                "machine disks need loop devices but /dev/loop-control is missing: load the loop "
                "kernel module (modprobe loop) or remove the disks from the machine specs"
            )
        rc, out, err = self.run(["ctr", "--address", self.socket, "version"], check=False)
        if rc != 0:
            raise MachineHostError(
                "containerd does not answer on %s (%s): start it (the machines role does) or set "
                "machines_containerd_address to its socket" % (self.socket, (err or out).strip())
            )

    def check_rootfs(self, rootfs):
        if not os.path.exists(os.path.join(rootfs, "sbin", "init")):
            raise MachineHostError(
                "machines_rootfs_dir %s has no /sbin/init: it is not a finished machine root file "
                "system; remove it and let the machines role build it again" % rootfs
            )

    def check_clashes(self, specs):
        """Refuse names and addresses that belong to something that is not one of our machines."""
        containers = self.containers()
        taken = {}
        for other in self.known_machines():
            record = self.load_record(other)
            taken[record["address"]] = other
        for spec in specs:
            name = spec["name"]
            record = self.load_record(name)
            info = containers.get(name)
            if info is not None and info.get("Labels", {}).get(MACHINE_LABEL) != "true":
                raise MachineSpecError(
                    "a containerd container named %s already exists in namespace %s and is not a "
                    "machine container; rename the inventory host or remove that container"
                    % (name, self.namespace)
                )
            if record is None and os.path.exists("/var/run/netns/%s" % netns_name(name)):
                raise MachineSpecError(
                    "network namespace %s already exists but was not made by the machines role; "
                    "rename the inventory host or delete it (ip netns delete %s)"
                    % (netns_name(name), netns_name(name))
                )
            if record is not None and record["address"] != spec["address"]:
                raise MachineSpecError(
                    "machine %s exists with address %s, the inventory asks for %s; destroy the "
                    "machine first (playbooks/teardown.yml) or keep its address"
                    % (name, record["address"], spec["address"])
                )
            owner = taken.get(spec["address"])
            if owner is not None and owner != name:
                raise MachineSpecError(
                    "address %s of machine %s is already used by existing machine %s; pick another "
                    "address or destroy %s first" % (spec["address"], name, owner, owner)
                )

    # -- containerd -------------------------------------------------------------------------
    def containers(self):
        rc, out, err = self.ctr("containers", "list", "--quiet")
        result = {}
        for name in out.split():
            rc, info, err = self.ctr("containers", "info", name)
            result[name] = json.loads(info)
        return result

    def tasks(self):
        rc, out, err = self.ctr("tasks", "list")
        return parse_task_list(out)

    # -- network ----------------------------------------------------------------------------
    def link_exists(self, name, netns=None):
        argv = ["ip"] + (["-n", netns] if netns else []) + ["link", "show", name]
        return self.run(argv, check=False)[0] == 0

    def ensure_bridge(self, network, gateway):
        if not self.link_exists(self.bridge):
            if not self.act("create bridge %s" % self.bridge):
                return
            self.run(["ip", "link", "add", self.bridge, "type", "bridge"])
        address = "%s/%d" % (gateway, network.prefixlen)
        out = self.run(["ip", "-o", "addr", "show", "dev", self.bridge], check=False)[1]
        if address not in out.split() and self.act("address %s on %s" % (address, self.bridge)):
            self.run(["ip", "addr", "add", address, "dev", self.bridge])
        out = self.run(["ip", "-o", "link", "show", self.bridge], check=False)[1]
        if "UP" not in link_flags(out) and self.act("bring up %s" % self.bridge):
            self.run(["ip", "link", "set", self.bridge, "up"])

    def remove_bridge(self):
        if self.link_exists(self.bridge) and self.act("delete bridge %s" % self.bridge):
            self.run(["ip", "link", "delete", self.bridge])

    def ensure_netns(self, spec, network, gateway):
        name = spec["name"]
        ns = netns_name(name)
        veth = host_veth_name(name)
        if not os.path.exists("/var/run/netns/%s" % ns):
            if not self.act("create network namespace %s connected to %s" % (ns, self.bridge)):
                return
            self.run(["ip", "netns", "add", ns])
        if not self.link_exists("eth0", ns) and self.act("connect %s to %s" % (name, self.bridge)):
            if self.link_exists(veth):
                # A half-made pair from an interrupted run: start again from nothing.
                self.run(["ip", "link", "delete", veth])
            self.run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns])
        out = self.run(["ip", "-o", "link", "show", veth], check=False)[1]
        if ("master %s " % self.bridge) not in out or "UP" not in link_flags(out):
            if self.act("attach %s to %s" % (veth, self.bridge)):
                self.run(["ip", "link", "set", veth, "master", self.bridge, "up"])
        address = "%s/%d" % (spec["address"], network.prefixlen)
        out = self.run(["ip", "-n", ns, "-o", "addr", "show", "dev", "eth0"], check=False)[1]
        if address not in out.split() and self.act("address %s on %s" % (address, name)):
            self.run(["ip", "-n", ns, "addr", "add", address, "dev", "eth0"])
        for link in ("lo", "eth0"):
            out = self.run(["ip", "-n", ns, "-o", "link", "show", link], check=False)[1]
            if "UP" not in link_flags(out) and self.act("bring up %s in %s" % (link, name)):
                self.run(["ip", "-n", ns, "link", "set", link, "up"])
        out = self.run(["ip", "-n", ns, "route", "show", "default"], check=False)[1]
        if ("via %s " % gateway) not in out + " " and self.act("default route of %s via %s" % (name, gateway)):
            self.run(["ip", "-n", ns, "route", "replace", "default", "via", str(gateway)])

    # -- root file system -------------------------------------------------------------------
    def ensure_rootfs(self, spec, rootfs, authorized_key, hosts_text):
        name = spec["name"]
        target = os.path.join(self.machine_dir(name), "rootfs")
        if not os.path.isdir(target):
            if not self.act("copy root file system for %s" % name):
                return
            tmp = target + ".tmp"
            if os.path.exists(tmp):
                shutil.rmtree(tmp)
            os.makedirs(os.path.dirname(target), 0o700, exist_ok=True)
            # A full copy, not an overlay: containerd inside the machine runs overlayfs itself, and
            # overlayfs cannot use an overlay mount as its upper layer.
            self.run(["cp", "-a", "--reflink=auto", rootfs, tmp])
            for entry in os.listdir(os.path.join(tmp, "etc", "ssh")):
                if entry.startswith("ssh_host_"):
                    os.unlink(os.path.join(tmp, "etc", "ssh", entry))
            # Each machine gets its own identity: host keys and machine-id, like a fresh cloud VM.
            self.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@%s" % name,
                      "-f", os.path.join(tmp, "etc", "ssh", "ssh_host_ed25519_key")])
            with open(os.path.join(tmp, "etc", "machine-id"), "w") as handle:
                handle.write(hashlib.sha256(os.urandom(32)).hexdigest()[:32] + "\n")
            for unit in MASKED_UNITS:
                link = os.path.join(tmp, "etc", "systemd", "system", unit)
                if not os.path.lexists(link):
                    os.symlink("/dev/null", link)
            os.rename(tmp, target)
        self.write_file(os.path.join(target, "etc", "hostname"), name + "\n", 0o644, "hostname of %s" % name)
        self.write_file(os.path.join(target, "etc", "hosts"), hosts_text, 0o644, "/etc/hosts of %s" % name)
        ssh_dir = os.path.join(target, "root", ".ssh")
        if not os.path.isdir(ssh_dir) and self.act("create /root/.ssh in %s" % name):
            os.makedirs(ssh_dir, 0o700)
        self.write_file(os.path.join(ssh_dir, "authorized_keys"), authorized_key.strip() + "\n", 0o600,
                        "authorized_keys of %s" % name)

    def host_key(self, name):
        path = os.path.join(self.machine_dir(name), "rootfs", "etc", "ssh", "ssh_host_ed25519_key.pub")
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return handle.read().strip()

    # -- disks ------------------------------------------------------------------------------
    def ensure_disks(self, spec):
        """Sparse image files on loop devices: the machine sees them as /dev/<name>."""
        devices = {}
        for disk in spec["disks"]:
            image = os.path.join(self.machine_dir(spec["name"]), "disks", "%s.img" % disk["name"])
            if os.path.exists(image):
                current = os.path.getsize(image)
                if current > disk["size"]:
                    raise MachineSpecError(
                        "machine %s disk %s is %d bytes, the inventory asks for %d: disks are never "
                        "shrunk (that would destroy data); raise the size or destroy the machine"
                        % (spec["name"], disk["name"], current, disk["size"])
                    )
                if current < disk["size"] and self.act("grow disk %s of %s" % (disk["name"], spec["name"])):
                    os.truncate(image, disk["size"])
                    loop = self.loop_of(image)
                    if loop:
                        self.run(["losetup", "--set-capacity", loop])
            elif self.act("create disk %s of %s" % (disk["name"], spec["name"])):
                os.makedirs(os.path.dirname(image), 0o700, exist_ok=True)
                with open(image, "wb") as handle:
                    handle.truncate(disk["size"])
                os.chmod(image, 0o600)
            loop = self.loop_of(image) if os.path.exists(image) else None
            if loop is None and self.act("attach disk %s of %s to a loop device" % (disk["name"], spec["name"])):
                loop = self.run(["losetup", "--find", "--show", image])[1].strip()
            devices[disk["name"]] = loop
        return devices

    def loop_of(self, image):
        rc, out, err = self.run(["losetup", "--associated", image], check=False)
        line = out.strip().splitlines()[0] if out.strip() else ""
        return line.split(":", 1)[0] if line else None

    def detach_disks(self, name):
        disks_dir = os.path.join(self.machine_dir(name), "disks")
        if not os.path.isdir(disks_dir):
            return
        for entry in sorted(os.listdir(disks_dir)):
            loop = self.loop_of(os.path.join(disks_dir, entry))
            if loop and self.act("detach %s of %s" % (loop, name)):
                self.run(["losetup", "--detach", loop])

    # -- the container ----------------------------------------------------------------------
    def ensure_container(self, spec, devices, containers, tasks):
        name = spec["name"]
        rootfs = os.path.join(self.machine_dir(name), "rootfs")
        record = self.load_record(name) or {}
        exists = name in containers
        if exists and record.get("devices", {}) != devices:
            # A loop device changed (e.g. after a host reboot): the container's device mounts are
            # fixed at creation, so it is created again over the same root file system and disks.
            if self.act("recreate %s for new disk devices" % name):
                self.stop_task(name, tasks)
                self.ctr("containers", "delete", name)
            exists = False
            tasks.pop(name, None)
        if not exists:
            if self.act("create machine container %s" % name):
                argv = [
                    "containers", "create", "--privileged",
                    "--label", "%s=true" % MACHINE_LABEL,
                    "--with-ns", "network:/var/run/netns/%s" % netns_name(name),
                    # systemd and nested containerd/kubelet create cgroups: the tree must be writable.
                    "--mount", "type=bind,src=/sys/fs/cgroup,dst=/sys/fs/cgroup,options=rbind:rw",
                ]
                for disk_name, loop in sorted(devices.items()):
                    argv += ["--mount", "type=bind,src=%s,dst=/dev/%s,options=bind:rw" % (loop, disk_name)]
                argv += ["--rootfs", rootfs, name, "/sbin/init"]
                self.ctr(*argv)
                self.raise_open_files(name)
                self.ctr("tasks", "start", "--detach", name)
            return
        created_with = spec_open_files(containers[name].get("Spec") or {})
        if created_with is not None and created_with < self.open_files_limit():
            # Not re-created here: that would restart a running machine nobody asked to restart.
            self.module.warn(
                "machine %s keeps the open-files limit it was created with (%s), below %s: a "
                "schedulable master may run out of descriptors at about 45 pods. Remove it with "
                "playbooks/teardown.yml and run again to create it with the new limit"
                % (name, created_with, self.open_files_limit())
            )
        status = tasks.get(name)
        if status != "RUNNING":
            if self.act("start machine %s" % name):
                if status is not None:
                    self.ctr("tasks", "delete", name)
                self.ctr("tasks", "start", "--detach", name)

    def open_files_limit(self):
        """The open-files limit of new machines: see MACHINE_OPEN_FILES."""
        if self._open_files is None:
            hard = None
            pidfile = os.path.join(os.path.dirname(self.socket), "containerd.pid")
            try:
                with open(pidfile) as handle:
                    pid = handle.read().strip()
                with open("/proc/%s/limits" % pid) as handle:
                    hard = parse_open_files_limit(handle.read())
            except (IOError, OSError):
                # Not the machines role's daemon (another socket): its runc inherits limits like ours.
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                hard = None if hard == resource.RLIM_INFINITY else hard
            self._open_files = machine_open_files(hard)
        return self._open_files

    def raise_open_files(self, name):
        """Re-create a new (not started) container with ctr's own spec and a raised RLIMIT_NOFILE.

        ctr has no flag for rlimits: the spec ctr generated for the flags above is read back,
        changed in that one place, and the container is created again from it (--config).
        """
        rc, out, err = self.ctr("containers", "info", "--spec", name)
        patched = spec_with_open_files(json.loads(out), self.open_files_limit())
        if patched is None:
            return
        path = os.path.join(self.machine_dir(name), "container-spec.json")
        write_atomic(path, json.dumps(patched, indent=2, sort_keys=True) + "\n", 0o600, dir_mode=0o755)
        self.ctr("containers", "delete", name)
        self.ctr("containers", "create", "--config", path, "--label", "%s=true" % MACHINE_LABEL, name)

    def stop_task(self, name, tasks):
        if name in tasks:
            if tasks[name] == "RUNNING":
                # SIGKILL: the machine is being thrown away or re-created, not shut down cleanly.
                self.ctr("tasks", "kill", "--signal", "SIGKILL", name, check=False)
                for _attempt in range(50):
                    if self.tasks().get(name) != "RUNNING":
                        break
                    self.module.run_command(["sleep", "0.1"])
            self.ctr("tasks", "delete", name, check=False)

    def save_record(self, spec, devices):
        """Bookkeeping of what was made (address, loop devices); not a change a user asked for."""
        if self.check_mode:
            return
        record = {"name": spec["name"], "address": spec["address"], "devices": devices}
        data = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")
        path = os.path.join(self.machine_dir(spec["name"]), "machine.json")
        if not file_matches(path, data, 0o600):
            write_atomic(path, data, 0o600, dir_mode=0o755)

    def remove(self, name, containers, tasks):
        if name in containers:
            if containers[name].get("Labels", {}).get(MACHINE_LABEL) != "true":
                raise MachineSpecError(
                    "container %s is not a machine container; it was left alone" % name
                )
            if self.act("delete machine container %s" % name):
                self.stop_task(name, tasks)
                self.ctr("containers", "delete", name)
        self.detach_disks(name)
        ns = netns_name(name)
        if os.path.exists("/var/run/netns/%s" % ns) and self.act("delete network namespace %s" % ns):
            self.run(["ip", "netns", "delete", ns])
        veth = host_veth_name(name)
        if self.link_exists(veth) and self.act("delete %s" % veth):
            # Deleting the namespace above destroys the pair too, asynchronously: the link may
            # vanish between the check and the delete. Only a link that is still there is an error.
            rc, dummy_out, err = self.run(["ip", "link", "delete", veth], check=False)
            if rc != 0 and self.link_exists(veth):
                raise MachineHostError("ip link delete %s failed (rc=%d): %s" % (veth, rc, err.strip()))
        if os.path.exists(self.machine_dir(name)) and self.act("delete files of %s" % name):
            shutil.rmtree(self.machine_dir(name))
