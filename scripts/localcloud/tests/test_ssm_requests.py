"""SSM parameters as RequestAccess records them in the consumer's own account
(vendcloud/ssm_params.py; design note §2, L1): the writer AWS vouches for is recorded, and no
one writes another account's parameter by its ARN. Every answer is checked against botocore's
model by conftest's fixture."""
import pytest
from botocore.exceptions import ClientError

from conftest import CONSUMER, PRODUCER, make_client
from test_lf_enforcement import session, trust

REQUEST = "/vend/requests/analytics/retail"
ADMIN = f"arn:aws:iam::{CONSUMER}:user/vend-localcloud-admin"


def metadata(ssm, name=REQUEST):
    found = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [name]}])
    return found["Parameters"]


def test_static_keys_writer_is_the_iam_user():
    ssm = make_client("ssm", "consumer")
    assert ssm.put_parameter(Name=REQUEST, Value='{"consumer":"analytics"}', Type="String")["Version"] == 1
    [meta] = metadata(ssm)
    assert meta["LastModifiedUser"] == ADMIN
    [version] = ssm.get_parameter_history(Name=REQUEST)["Parameters"]
    assert version["LastModifiedUser"] == ADMIN
    # GetParameter(s) answer the Parameter shape, which has no LastModifiedUser (the fixture
    # checks these answers against botocore's model).
    assert "LastModifiedUser" not in ssm.get_parameter(Name=REQUEST)["Parameter"]
    assert [p["Name"] for p in ssm.get_parameters(Names=[REQUEST])["Parameters"]] == [REQUEST]


def test_assumed_role_writer_is_the_session_and_history_keeps_each_writer():
    ssm = make_client("ssm", "consumer")
    ssm.put_parameter(Name=REQUEST, Value='{"reason":"first"}', Type="String")
    role = f"arn:aws:iam::{CONSUMER}:role/vend-consumer-launch"
    make_client("iam", "consumer").create_role(RoleName="vend-consumer-launch", AssumeRolePolicyDocument=trust(CONSUMER))
    launch = session("consumer", role)
    writer = f"arn:aws:sts::{CONSUMER}:assumed-role/vend-consumer-launch/probe"
    assert launch.client("sts", endpoint_url=make_client("sts").meta.endpoint_url).get_caller_identity()["Arn"] == writer
    as_role = launch.client("ssm", endpoint_url=ssm.meta.endpoint_url)
    assert as_role.put_parameter(Name=REQUEST, Value='{"reason":"second"}', Type="String", Overwrite=True)["Version"] == 2
    assert metadata(ssm)[0]["LastModifiedUser"] == writer
    history = ssm.get_parameter_history(Name=REQUEST)["Parameters"]
    assert [(h["Version"], h["LastModifiedUser"]) for h in history] == [(1, ADMIN), (2, writer)]


@pytest.mark.parametrize("owner", [CONSUMER, PRODUCER], ids=["other-account", "own-account"])
def test_put_parameter_by_arn_is_refused(owner):
    """With the producer's keys, the consumer's request parameter by ARN (and, as AWS takes no
    ARN in PutParameter, the producer's own by ARN) is refused; nothing is written anywhere."""
    ssm = make_client("ssm", "producer")
    arn = f"arn:aws:ssm:us-east-1:{owner}:parameter{REQUEST}"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name=arn, Value='{"consumer":"analytics"}', Type="String", Overwrite=True)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "ARN" in e.value.response["Error"]["Message"]
    for profile in ("producer", "consumer"):
        assert make_client("ssm", profile).describe_parameters()["Parameters"] == []
