"""SSM parameters as vend's access requests use them (design note §2, "L1"): who wrote a
parameter, and no writes through a parameter ARN.

AWS behaviour assumed (each next to its code below):
- `LastModifiedUser` is the ARN of the identity that made the change: an IAM user's ARN for
  its keys, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` for an assumed-role session.
  moto answers "N/A" for every parameter.
- `PutParameter` takes a parameter name, never an ARN (so another account's parameter cannot be
  written). moto stored the ARN as a name in the caller's account, after which
  DescribeParameters failed (500).
Parameters written other than through PutParameter (CloudFormation's AWS::SSM::Parameter) keep
moto's "N/A".
"""
from moto.ssm.exceptions import ValidationException
from moto.ssm.models import Parameter
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.sts.models import sts_backends

from . import accounts


def caller_arn(key_id, account):
    """The ARN of the identity behind a key, as AWS records it (GetCallerIdentity's Arn): the
    IAM user for long-term keys and GetSessionToken keys, the role *session* for AssumeRole keys.
    AssumedRoleUser.Arn, "The ARN of the temporary security credentials that are returned from
    the AssumeRole action" (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumedRoleUser.html);
    its form arn:aws:sts::account:assumed-role/role-name/role-session-name: "IAM identifiers"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)."""
    if key_id.startswith("ASIA"):
        session = sts_backends[account]["aws"].get_assumed_role_from_access_key(key_id)
        # GetSessionToken keys (patches.py) carry the user's ARN as their "role": they act as the user.
        if session and ":role/" in session.role_arn:
            return session.arn
    return accounts.principal_arn(key_id, account)


def install():
    orig_put = SimpleSystemManagerResponse.put_parameter
    if getattr(orig_put, "_vend", False):
        return

    def put_parameter(self):
        name = self._get_param("Name") or ""
        # PutParameter, Name: "You can't enter the Amazon Resource Name (ARN) for a parameter, only
        # the parameter name itself." (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html)
        # A parameter shared from another account is read-only to its consumers ("Permissions sets
        # for sharing parameters": AWSRAMDefaultPermissionSSMParameterReadOnly,
        # https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html),
        # so no caller writes another account's parameter. The error code is ValidationException, as
        # for PutParameter's other name rules; the message is ours.
        if name.startswith("arn:"):
            raise ValidationException(
                f"Parameter name: {name} is an ARN. PutParameter takes the parameter name itself, "
                "in the caller's own account.")
        answer = orig_put(self)
        # The version this request wrote (by its number: another request may have written since).
        # ParameterMetadata / ParameterHistory LastModifiedUser: "Amazon Resource Name (ARN) of the
        # Amazon Web Services user who last changed the parameter."
        # (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterMetadata.html,
        # https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterHistory.html)
        version = answer.result["Version"]
        for p in self.ssm_backend._parameters[name]:
            if p.version == version:
                p.last_modified_user = caller_arn(self.get_access_key(), self.current_account)
        return answer
    put_parameter._vend = True
    SimpleSystemManagerResponse.put_parameter = put_parameter

    # DescribeParameters and GetParameterHistory answer through describe_response_object (moto:
    # LastModifiedUser "N/A"). GetParameter(s) answer the Parameter shape, which has no
    # LastModifiedUser member (botocore's model), so they are left as they are.
    orig_describe = Parameter.describe_response_object

    def describe_response_object(self, decrypt=False, include_labels=False):
        r = orig_describe(self, decrypt, include_labels)
        r["LastModifiedUser"] = getattr(self, "last_modified_user", None) or r.get("LastModifiedUser")
        return r
    Parameter.describe_response_object = describe_response_object


install()
