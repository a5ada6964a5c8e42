# -*- coding: utf-8 -*-
# Copyright: (c) 2026, kubemark collection developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The PKI of a kubemark master: what it holds, how an existing directory is compared with it,
and how the missing or outdated parts are written.

The work is split in two so that check mode is honest and cheap: plan() only reads files and
decides, for every file, whether it is kept, created or renewed and why; apply() then generates
exactly what the plan says. Nothing in plan() generates key material.

The cluster's trust roots (the three CAs and the service-account signing key) are never replaced
by plan() on its own: a damaged root is an error that names the fix, and only rotate=True
replaces them. Leaf certificates are reissued whenever they differ from what is asked; their
keys are kept unless missing, unreadable or of another key type.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import stat
import traceback
from collections import namedtuple

from ansible_collections.kubemark.kubemark.plugins.module_utils._files import make_dirs, write_atomic

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None


class PkiError(Exception):
    """The PKI directory or the request is in a state this code must not repair on its own."""


KEY_TYPES = ('ecdsa-p256', 'rsa-2048')
DEFAULT_KEY_TYPE = 'ecdsa-p256'

KEY_MODE = 0o600
CERT_MODE = 0o644
DIR_MODE = 0o700

# Certificates are valid from a little before "now", so a host whose clock lags the master's by
# a few minutes does not reject a certificate that was just issued.
BACKDATE = datetime.timedelta(minutes=5)

SERVER = 'server'
CLIENT = 'client'

CaSpec = namedtuple('CaSpec', ['name', 'common_name'])
LeafSpec = namedtuple('LeafSpec', ['name', 'ca', 'common_name', 'organizations', 'usages', 'sans'])

# Node names become file names and certificate subjects: DNS-1123 subdomains only.
_NODE_NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
_DNS_LABEL_RE = re.compile(r'^(?!-)[a-z0-9-]{1,63}(?<!-)$')


# --------------------------------------------------------------------------------------------
# What the PKI holds
# --------------------------------------------------------------------------------------------

def parse_sans(entries, option):
    """Return a sorted tuple of ('dns', name) and ('ip', address) pairs for a list of strings.

    IP addresses are recognised first (IPv4 and IPv6); everything else must be a DNS name.
    Duplicates collapse; DNS names compare case-insensitively, as in TLS.
    """
    parsed = set()
    for entry in entries:
        text = str(entry).strip()
        try:
            parsed.add(('ip', str(ipaddress.ip_address(text))))
            continue
        except ValueError:
            pass
        name = text.lower().rstrip('.')
        labels = name.split('.')
        if not name or len(name) > 253 or not all(_DNS_LABEL_RE.match(label) for label in labels):
            raise PkiError('%s: %r is neither an IP address nor a valid DNS name' % (option, entry))
        parsed.add(('dns', name))
    return tuple(sorted(parsed))


def validate_node_name(name):
    if len(name) > 253 or not _NODE_NAME_RE.match(name):
        raise PkiError('node_names: %r is not a valid Kubernetes node name (a lower-case DNS-1123 subdomain)' % (name,))
    return name


# Serving certificates of the components that kubeadm leaves self-signed: file name -> common name.
COMPONENT_SERVING = (
    ('kube-controller-manager-serving', 'kube-controller-manager'),
    ('kube-scheduler-serving', 'kube-scheduler'),
)


def cluster_specs(apiserver_sans, etcd_sans, node_names, component_sans=()):
    """Return (cas, leaves) describing a kubeadm-like control plane PKI.

    Names are paths relative to the PKI directory without extension: '<name>.crt' and
    '<name>.key'. With component_sans, kube-controller-manager and kube-scheduler get serving
    certificates from the cluster CA with those SANs (otherwise they make self-signed ones).
    """
    cas = (
        CaSpec('ca', 'kubernetes'),
        CaSpec('front-proxy-ca', 'front-proxy-ca'),
        CaSpec('etcd/ca', 'etcd-ca'),
    )
    api_sans = parse_sans(apiserver_sans, 'apiserver_sans')
    if not api_sans:
        raise PkiError('apiserver_sans: at least one IP address or DNS name is needed')
    etcd = parse_sans(etcd_sans, 'etcd_sans')
    if not etcd:
        raise PkiError('etcd_sans: at least one IP address or DNS name is needed')
    client = frozenset([CLIENT])
    both = frozenset([SERVER, CLIENT])
    leaves = [
        LeafSpec('apiserver', 'ca', 'kube-apiserver', (), frozenset([SERVER]), api_sans),
        LeafSpec('apiserver-kubelet-client', 'ca', 'kube-apiserver-kubelet-client', ('system:masters',), client, ()),
        LeafSpec('front-proxy-client', 'front-proxy-ca', 'front-proxy-client', (), client, ()),
        LeafSpec('etcd/server', 'etcd/ca', 'kube-etcd', (), both, etcd),
        LeafSpec('etcd/peer', 'etcd/ca', 'kube-etcd-peer', (), both, etcd),
        LeafSpec('apiserver-etcd-client', 'etcd/ca', 'kube-apiserver-etcd-client', (), client, ()),
        LeafSpec('admin', 'ca', 'kubernetes-admin', ('system:masters',), client, ()),
        LeafSpec('kube-controller-manager', 'ca', 'system:kube-controller-manager', (), client, ()),
        LeafSpec('kube-scheduler', 'ca', 'system:kube-scheduler', (), client, ()),
        LeafSpec('kube-proxy', 'ca', 'system:kube-proxy', (), client, ()),
        # The kwok controller of the hollow_nodes role's kwok mode: a user of its own, bound to a
        # ClusterRole with what kwok calls, never system:nodes (NodeRestriction would confine it
        # to one node).
        LeafSpec('kwok-controller', 'ca', 'kubemark:kwok-controller', (), client, ()),
    ]
    components = parse_sans(component_sans or (), 'component_sans')
    if components:
        for name, common_name in COMPONENT_SERVING:
            leaves.append(LeafSpec(name, 'ca', common_name, (), frozenset([SERVER]), components))
    seen = set()
    for node in node_names:
        validate_node_name(node)
        if node in seen:
            raise PkiError('node_names: %r is listed twice' % (node,))
        seen.add(node)
        leaves.append(LeafSpec('kubelet-client-%s' % node, 'ca', 'system:node:%s' % node, ('system:nodes',), client, ()))
    return cas, tuple(leaves)


# --------------------------------------------------------------------------------------------
# Reading and describing what exists
# --------------------------------------------------------------------------------------------

def _read(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PkiError('cannot read %s: %s' % (path, error))


def load_key(data):
    """Return (key, None) or (None, why it is unusable)."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        return None, 'cannot be parsed as an unencrypted PEM private key (%s)' % (error,)
    if key_type_of(key) is None:
        return None, 'holds a %s key, which is neither ECDSA nor RSA' % type(key).__name__
    return key, None


def load_cert(data):
    """Return (certificate, None) or (None, why it is unusable)."""
    try:
        return x509.load_pem_x509_certificate(data), None
    except ValueError as error:
        return None, 'cannot be parsed as a PEM certificate (%s)' % (error,)


def key_type_of(key):
    """Return the KEY_TYPES spelling of a private or public key, 'rsa-N'/'ecdsa-CURVE', or None."""
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return 'ecdsa-p256' if key.curve.name == 'secp256r1' else 'ecdsa-%s' % key.curve.name
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return 'rsa-%d' % key.key_size
    return None


def public_der(key):
    public = key.public_key() if hasattr(key, 'public_key') else key
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(cert):
    """SHA-256 fingerprint of a certificate, as 'AB:CD:...' (the form openssl -fingerprint prints)."""
    return ':'.join('%02X' % byte for byte in cert.fingerprint(hashes.SHA256()))


def not_valid_after(cert):
    return cert.not_valid_after_utc


def not_valid_before(cert):
    return cert.not_valid_before_utc


def cert_sans(cert):
    """The SANs of a certificate in parse_sans() form; other name types are returned as ('other', repr)."""
    try:
        extension = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    names = set()
    for general_name in extension.value:
        if isinstance(general_name, x509.DNSName):
            names.add(('dns', general_name.value.lower().rstrip('.')))
        elif isinstance(general_name, x509.IPAddress):
            names.add(('ip', str(general_name.value)))
        else:
            names.add(('other', repr(general_name)))
    return tuple(sorted(names))


def cert_usages(cert):
    try:
        extension = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return frozenset()
    found = set()
    for oid in extension.value:
        if oid == ExtendedKeyUsageOID.SERVER_AUTH:
            found.add(SERVER)
        elif oid == ExtendedKeyUsageOID.CLIENT_AUTH:
            found.add(CLIENT)
        else:
            found.add(oid.dotted_string)
    return frozenset(found)


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _has_digital_signature(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    except x509.ExtensionNotFound:
        return False


def format_sans(sans):
    return ', '.join(('IP:%s' if kind == 'ip' else 'DNS:%s' if kind == 'dns' else '%s') % value
                     for kind, value in sans) or '(none)'


def subject_name(common_name, organizations=()):
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org) for org in organizations]
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def signed_by(cert, ca_cert):
    """True when ca_cert's key signed cert (and cert names ca_cert's subject as its issuer)."""
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def describe_cert(cert):
    """A one-line, secret-free description of a certificate, for diffs."""
    text = 'subject %s, not after %s' % (cert.subject.rfc4514_string(), _iso(not_valid_after(cert)))
    sans = cert_sans(cert)
    if sans:
        text += ', SANs %s' % format_sans(sans)
    return text


def _iso(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------

class FileChange(object):
    """One file the plan creates or renews."""

    def __init__(self, relpath, action, reasons, before=None):
        self.relpath = relpath
        self.action = action  # 'create' or 'renew'
        self.reasons = list(reasons)
        self.before = before  # secret-free description of the old file, or None

    def as_dict(self):
        return dict(path=self.relpath, reasons=list(self.reasons))


class _Unit(object):
    """A CA, a leaf or the service-account key pair: what exists and what must happen to it."""

    def __init__(self, name, spec):
        self.name = name
        self.spec = spec
        self.key = None
        self.cert = None
        self.new_key = False
        self.key_reasons = []
        self.cert_reasons = []
        self.key_existed = False
        self.cert_existed = False
        self.cert_before = None


class Plan(object):
    def __init__(self, path, key_type, validity_days, ca_validity_days):
        self.path = path
        self.key_type = key_type
        self.validity_days = validity_days
        self.ca_validity_days = ca_validity_days
        self.cas = []
        self.leaves = []
        self.service_account = None
        self.warnings = []
        self.mode_fixes = []  # (absolute path, wanted mode, current mode)
        self.dirs_to_create = []

    def file_path(self, relpath):
        return os.path.join(self.path, *relpath.split('/'))

    def _units(self):
        return self.cas + self.leaves + [self.service_account]

    def changes(self):
        """The list of FileChange objects, keys before their certificates."""
        result = []
        for unit in self._units():
            key_file, cert_file = _unit_files(unit)
            if unit.new_key:
                action = 'renew' if unit.key_existed else 'create'
                result.append(FileChange(key_file, action, unit.key_reasons))
            if unit.cert_reasons:
                action = 'renew' if unit.cert_existed else 'create'
                result.append(FileChange(cert_file, action, unit.cert_reasons, unit.cert_before))
        return result

    @property
    def changed(self):
        return bool(self.changes() or self.mode_fixes or self.dirs_to_create)


def _unit_files(unit):
    if unit.spec is None:
        return 'sa.key', 'sa.pub'
    return unit.name + '.key', unit.name + '.crt'


def _check_ca(plan, spec, now, renew_before, rotate):
    unit = _Unit(spec.name, spec)
    key_path = plan.file_path(spec.name + '.key')
    cert_path = plan.file_path(spec.name + '.crt')
    key_data = _read(key_path)
    cert_data = _read(cert_path)
    unit.key_existed = key_data is not None
    unit.cert_existed = cert_data is not None
    if cert_data is not None:
        cert, _why = load_cert(cert_data)
        unit.cert_before = describe_cert(cert) if cert is not None else 'unreadable'

    if rotate:
        unit.new_key = True
        reason = 'rotate_ca is set' if unit.key_existed or unit.cert_existed else 'missing'
        unit.key_reasons = [reason]
        unit.cert_reasons = [reason]
        return unit
    if key_data is None and cert_data is None:
        unit.new_key = True
        unit.key_reasons = ['missing']
        unit.cert_reasons = ['missing']
        return unit

    fix = ('Restore it from a backup, or set rotate_ca: true once to create new CAs, which reissues '
           'every certificate and the service-account key')
    if key_data is None:
        raise PkiError('CA key %s is missing but its certificate %s exists; the module never replaces a CA '
                       'on its own. %s.' % (key_path, cert_path, fix))
    if cert_data is None:
        raise PkiError('CA certificate %s is missing but its key %s exists; the module never replaces a CA '
                       'on its own. %s.' % (cert_path, key_path, fix))
    key, why = load_key(key_data)
    if key is None:
        raise PkiError('CA key %s %s. %s.' % (key_path, why, fix))
    cert, why = load_cert(cert_data)
    if cert is None:
        raise PkiError('CA certificate %s %s. %s.' % (cert_path, why, fix))
    if public_der(cert.public_key()) != public_der(key):
        raise PkiError('CA certificate %s does not match its key %s. %s.' % (cert_path, key_path, fix))
    if not _is_ca(cert):
        raise PkiError('%s is not a CA certificate (basicConstraints CA:TRUE is missing). %s.' % (cert_path, fix))
    expires = not_valid_after(cert)
    if expires <= now:
        raise PkiError('CA certificate %s expired on %s. %s.' % (cert_path, _iso(expires), fix))
    if expires - now <= renew_before:
        plan.warnings.append('CA certificate %s expires on %s, within renew_before_days; the module does not '
                             'renew CAs on its own: plan a rotation with rotate_ca: true.' % (cert_path, _iso(expires)))
    unit.key = key
    unit.cert = cert
    return unit


def _check_leaf(plan, spec, ca_unit, now, renew_before):
    unit = _Unit(spec.name, spec)
    key_path = plan.file_path(spec.name + '.key')
    cert_path = plan.file_path(spec.name + '.crt')
    key_data = _read(key_path)
    cert_data = _read(cert_path)
    unit.key_existed = key_data is not None
    unit.cert_existed = cert_data is not None

    if key_data is None:
        unit.new_key = True
        unit.key_reasons.append('missing')
    else:
        key, why = load_key(key_data)
        if key is None:
            unit.new_key = True
            unit.key_reasons.append('the existing key %s' % why)
        elif key_type_of(key) != plan.key_type:
            unit.new_key = True
            unit.key_reasons.append('key type is %s, %s is asked' % (key_type_of(key), plan.key_type))
        else:
            unit.key = key

    if cert_data is None:
        unit.cert_reasons.append('missing')
        return unit
    cert, why = load_cert(cert_data)
    if cert is None:
        unit.cert_reasons.append('the existing certificate %s' % why)
        unit.cert_before = 'unreadable'
        return unit
    unit.cert_before = describe_cert(cert)
    unit.cert = cert
    unit.cert_reasons.extend(_leaf_differences(spec, cert, unit, ca_unit, now, renew_before))
    return unit


def _leaf_differences(spec, cert, unit, ca_unit, now, renew_before):
    reasons = []
    if unit.new_key:
        reasons.append('its key is regenerated')
    elif public_der(cert.public_key()) != public_der(unit.key):
        reasons.append('does not match its key')
    if ca_unit.new_key:
        reasons.append('its CA %s is new' % ca_unit.name)
    elif not signed_by(cert, ca_unit.cert):
        reasons.append('not issued by the current CA %s' % ca_unit.name)
    wanted_subject = subject_name(spec.common_name, spec.organizations)
    if cert.subject != wanted_subject:
        reasons.append('subject is "%s", "%s" is asked' % (cert.subject.rfc4514_string(), wanted_subject.rfc4514_string()))
    have_sans = cert_sans(cert)
    if have_sans != spec.sans:
        added = sorted(set(spec.sans) - set(have_sans))
        removed = sorted(set(have_sans) - set(spec.sans))
        parts = []
        if added:
            parts.append('adds %s' % format_sans(added))
        if removed:
            parts.append('drops %s' % format_sans(removed))
        reasons.append('SANs change: %s' % '; '.join(parts))
    if cert_usages(cert) != spec.usages:
        reasons.append('extended key usage is %s, %s is asked' % (
            '/'.join(sorted(cert_usages(cert))) or 'none', '/'.join(sorted(spec.usages))))
    if _is_ca(cert) or not _has_digital_signature(cert):
        reasons.append('key usage or basic constraints are not those of a leaf certificate')
    expires = not_valid_after(cert)
    if expires <= now:
        reasons.append('expired on %s' % _iso(expires))
    elif expires - now <= renew_before:
        reasons.append('expires on %s, within renew_before_days' % _iso(expires))
    if not_valid_before(cert) > now + BACKDATE:
        reasons.append('not valid before %s, which is in the future' % _iso(not_valid_before(cert)))
    return reasons


def _check_service_account(plan, rotate):
    unit = _Unit('sa', None)
    key_path = plan.file_path('sa.key')
    pub_path = plan.file_path('sa.pub')
    key_data = _read(key_path)
    pub_data = _read(pub_path)
    unit.key_existed = key_data is not None
    unit.cert_existed = pub_data is not None
    if rotate:
        reason = 'rotate_ca is set' if unit.key_existed or unit.cert_existed else 'missing'
        unit.new_key = True
        unit.key_reasons = [reason]
        unit.cert_reasons = [reason]
        return unit
    fix = ('Restore it from a backup, or set rotate_ca: true once to create a new key pair, which invalidates '
           'every service-account token already issued')
    if key_data is None:
        if pub_data is not None:
            raise PkiError('service-account signing key %s is missing but %s exists. %s.' % (key_path, pub_path, fix))
        unit.new_key = True
        unit.key_reasons = ['missing']
        unit.cert_reasons = ['missing']
        return unit
    key, why = load_key(key_data)
    if key is None:
        raise PkiError('service-account signing key %s %s. %s.' % (key_path, why, fix))
    unit.key = key
    if pub_data is None:
        unit.cert_reasons = ['missing']
        return unit
    try:
        public = serialization.load_pem_public_key(pub_data)
    except (ValueError, TypeError):
        unit.cert_reasons = ['cannot be parsed as a PEM public key']
        return unit
    if public_der(public) != public_der(key):
        unit.cert_reasons = ['does not match sa.key']
    return unit


def plan(path, cas, leaves, key_type=DEFAULT_KEY_TYPE, validity_days=365, ca_validity_days=3650,
         renew_before_days=30, rotate=False, now=None):
    """Read the PKI directory and decide what must be created or renewed. Writes nothing."""
    if key_type not in KEY_TYPES:
        raise PkiError('key_type must be one of %s, got %r' % (', '.join(KEY_TYPES), key_type))
    if validity_days <= renew_before_days:
        raise PkiError('validity_days (%d) must be greater than renew_before_days (%d), otherwise every run '
                       'would renew every certificate' % (validity_days, renew_before_days))
    if ca_validity_days <= renew_before_days or renew_before_days < 0:
        raise PkiError('ca_validity_days (%d) must be greater than renew_before_days (%d), and '
                       'renew_before_days must not be negative' % (ca_validity_days, renew_before_days))
    now = now or datetime.datetime.now(datetime.timezone.utc)
    renew_before = datetime.timedelta(days=renew_before_days)
    result = Plan(path, key_type, validity_days, ca_validity_days)
    if os.path.exists(path) and not os.path.isdir(path):
        raise PkiError('%s exists and is not a directory' % path)

    ca_units = {}
    for spec in cas:
        unit = _check_ca(result, spec, now, renew_before, rotate)
        ca_units[spec.name] = unit
        result.cas.append(unit)
    for spec in leaves:
        result.leaves.append(_check_leaf(result, spec, ca_units[spec.ca], now, renew_before))
    result.service_account = _check_service_account(result, rotate)
    _check_modes(result)
    return result


def _check_modes(result):
    directories = {result.path}
    for relpath in _all_relpaths(result):
        directories.add(os.path.dirname(result.file_path(relpath)))
    for directory in sorted(directories):
        _check_mode(result, directory, DIR_MODE, directory=True)
    written = set(change.relpath for change in result.changes())
    for relpath in _all_relpaths(result):
        if relpath in written:
            continue
        wanted = KEY_MODE if relpath.endswith('.key') else CERT_MODE
        _check_mode(result, result.file_path(relpath), wanted)


def _check_mode(result, path, wanted, directory=False):
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        if directory:
            result.dirs_to_create.append(path)
        return
    if current != wanted:
        result.mode_fixes.append((path, wanted, current))


def _all_relpaths(result):
    for unit in result.cas + result.leaves:
        yield unit.name + '.key'
        yield unit.name + '.crt'
    yield 'sa.key'
    yield 'sa.pub'


# --------------------------------------------------------------------------------------------
# Generating and writing
# --------------------------------------------------------------------------------------------

def generate_key(key_type):
    if key_type == 'ecdsa-p256':
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == 'rsa-2048':
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise PkiError('unsupported key type %r' % (key_type,))


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _general_names(sans):
    names = []
    for kind, value in sans:
        if kind == 'ip':
            names.append(x509.IPAddress(ipaddress.ip_address(value)))
        else:
            names.append(x509.DNSName(value))
    return names


def _key_usage(key, ca):
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False,
        key_encipherment=isinstance(key, rsa.RSAPrivateKey),
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False)


def issue_ca(key, common_name, validity_days, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    name = subject_name(common_name)
    builder = (x509.CertificateBuilder()
               .subject_name(name).issuer_name(name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - BACKDATE)
               .not_valid_after(now + datetime.timedelta(days=validity_days))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(_key_usage(key, True), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return builder.sign(key, hashes.SHA256())


def issue_leaf(spec, key, ca_cert, ca_key, validity_days, now=None, not_after=None):
    """Sign a leaf certificate for spec with the CA. not_after overrides validity_days (tests use it)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    usages = []
    if SERVER in spec.usages:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    if CLIENT in spec.usages:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    builder = (x509.CertificateBuilder()
               .subject_name(subject_name(spec.common_name, spec.organizations))
               .issuer_name(ca_cert.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - BACKDATE)
               .not_valid_after(not_after or now + datetime.timedelta(days=validity_days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(_key_usage(key, False), critical=True)
               .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    if spec.sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(_general_names(spec.sans)), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def apply(result, now=None):
    """Carry out a plan: create directories, generate and write keys and certificates, fix modes."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        for directory in result.dirs_to_create:
            make_dirs(directory, DIR_MODE)
        ca_units = {}
        for unit in result.cas:
            if unit.new_key:
                unit.key = generate_key(result.key_type)
                unit.cert = issue_ca(unit.key, unit.spec.common_name, result.ca_validity_days, now)
                _write_unit(result, unit, key_data=key_pem(unit.key), cert_data=cert_pem(unit.cert))
            ca_units[unit.name] = unit
        for unit in result.leaves:
            if unit.new_key:
                unit.key = generate_key(result.key_type)
                _write_unit(result, unit, key_data=key_pem(unit.key))
            if unit.cert_reasons:
                ca = ca_units[unit.spec.ca]
                unit.cert = issue_leaf(unit.spec, unit.key, ca.cert, ca.key, result.validity_days, now)
                _write_unit(result, unit, cert_data=cert_pem(unit.cert))
        sa = result.service_account
        if sa.new_key:
            sa.key = generate_key(result.key_type)
            _write_unit(result, sa, key_data=key_pem(sa.key))
        if sa.cert_reasons:
            _write_unit(result, sa, cert_data=public_pem(sa.key))
        for path, wanted, _current in result.mode_fixes:
            os.chmod(path, wanted)
    except OSError as error:
        raise PkiError('cannot write the PKI in %s: %s' % (result.path, error))


def _write_unit(result, unit, key_data=None, cert_data=None):
    key_file, cert_file = _unit_files(unit)
    if key_data is not None:
        write_atomic(result.file_path(key_file), key_data, KEY_MODE)
    if cert_data is not None:
        write_atomic(result.file_path(cert_file), cert_data, CERT_MODE)


def ca_fingerprints(result):
    """SHA-256 fingerprints of the CAs as they are after apply() (or now, when nothing was applied)."""
    return dict((unit.name, fingerprint(unit.cert) if unit.cert is not None else None) for unit in result.cas)


def inventory(result):
    """Paths and expiry of every certificate, and the service-account key pair: nothing secret."""
    certificates = {}
    for unit in result.cas + result.leaves:
        entry = dict(cert=result.file_path(unit.name + '.crt'), key=result.file_path(unit.name + '.key'),
                     ca=unit.spec.ca if isinstance(unit.spec, LeafSpec) else unit.name)
        entry['not_after'] = _iso(not_valid_after(unit.cert)) if unit.cert is not None else None
        certificates[unit.name] = entry
    service_account = dict(key=result.file_path('sa.key'), pub=result.file_path('sa.pub'))
    return certificates, service_account
