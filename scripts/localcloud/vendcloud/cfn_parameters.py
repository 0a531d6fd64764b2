"""CloudFormation DescribeStacks answers list parameters as AWS does.

AWS: a CommaDelimitedList (or List<...>) parameter is reported as the comma-joined string it
was given ("a,b,c"). moto 5.2.1 reports the resolved Python list's repr ("['a', 'b', 'c']"),
which makes a client that compares the stack's parameters with its own see a change that is
not there. Only the reported values change; template resolution still uses the lists.
"""
from moto.cloudformation.models import FakeStack

_original = FakeStack.stack_parameters


def _as_aws_reports(self):
    resolved = _original.fget(self)
    return {key: ",".join(str(v) for v in value) if isinstance(value, list) else value
            for key, value in resolved.items()}


def install():
    FakeStack.stack_parameters = property(_as_aws_reports)


install()
