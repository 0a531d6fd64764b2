"""CloudFormation DescribeStacks answers list parameters as AWS does.

AWS: a CommaDelimitedList (or List<...>) parameter is reported as the comma-joined string it
was given ("a,b,c"). moto 5.2.1 reports the resolved Python list's repr ("['a', 'b', 'c']"),
so a client comparing the stack's parameters with its own sees a change that is not there.
Only the reported values change (parameter_list, stack_parameters); template resolution
still uses the lists.
"""
from moto.cloudformation.models import Stack

_parameter_list = Stack.parameter_list
_stack_parameters = Stack.stack_parameters


def _joined(value):
    return ",".join(str(v) for v in value) if isinstance(value, list) else value


def _reported_list(self):
    return [dict(p, ParameterValue=_joined(p.get("ParameterValue"))) for p in _parameter_list.fget(self)]


def _reported_dict(self):
    return {key: _joined(value) for key, value in _stack_parameters.fget(self).items()}


Stack.parameter_list = property(_reported_list)
Stack.stack_parameters = property(_reported_dict)
