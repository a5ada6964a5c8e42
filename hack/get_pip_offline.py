# Stand-in for the get-pip.py bootstrap script that ansible-test downloads from a host outside the
# package registries these machines reach (ansible-test says to save such a script by hand in its
# cache when the download fails). It installs the pip that ships with Python through ensurepip,
# then hands the arguments ansible-test passes (e.g. "pip==24.2 --no-setuptools") to that pip, so
# the pinned pip itself comes from PyPI like every other requirement.
import subprocess
import sys

# --no-setuptools and --no-wheel are get-pip's own options, not pip's.
GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")

# In a child process: ensurepip clears the PIP_* settings and the pip config file of the process
# that runs it, and the pip below needs them (a site CA certificate, for instance).
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY_OPTIONS]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + arguments))
