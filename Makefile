# The two commands of the README. Both install what they need (Debian packages, a Python venv
# in ~/.cache/kubemark) and must run as root.
.PHONY: local test teardown
local:
	bash hack/run-local.sh
test:
	bash hack/test.sh
teardown:
	KUBEMARK_PLAYBOOK=playbooks/teardown.yml bash hack/run-local.sh
