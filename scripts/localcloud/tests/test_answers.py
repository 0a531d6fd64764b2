"""The answer checker (vendcloud/answers.py) finds what does not fit botocore's output shapes."""
import botocore.session

from vendcloud import answers

SC = botocore.session.get_session().get_service_model("servicecatalog")


def output(op):
    return SC.operation_model(op).output_shape


def test_a_next_token_under_the_wrong_name_is_found():
    found = answers.problems(output("ListTagOptions"), {"TagOptionDetails": [], "NextPageToken": "20"})
    assert found == [".NextPageToken: not a member of ListTagOptionsOutput"]
    assert answers.problems(output("ListTagOptions"), {"TagOptionDetails": [], "PageToken": "20"}) == []


def test_nested_members_and_kinds_are_checked():
    answer = {"TagOptionDetails": [{"Key": "k", "Value": "v", "Active": "yes", "Colour": "red"}, {"Key": 3}],
              "PageToken": None}
    assert answers.problems(output("ListTagOptions"), answer) == [
        ".TagOptionDetails[0].Active: str, not a boolean",
        ".TagOptionDetails[0].Colour: not a member of TagOptionDetail",
        ".TagOptionDetails[1].Key: int, not a string",
    ]
    assert answers.problems(output("DescribeProductView"), {"ProductViewSummary": [], "LaunchPaths": []}) == [
        ".ProductViewSummary: list, not an object (ProductViewSummary)",
        ".LaunchPaths: not a member of DescribeProductViewOutput",
    ]


def test_the_log_marks_answers():
    entry = {}

    class Op:
        operation_model = SC.operation_model("ListTagOptions")
    answers.check(entry, Op, {"TagOptionDetails": [], "NextPageToken": "1"})
    assert entry == {"answer_ok": False, "answer_problem": ".NextPageToken: not a member of ListTagOptionsOutput"}
    entry = {}
    answers.check(entry, Op, {"TagOptionDetails": []})
    assert entry == {"answer_ok": True}


SESSION = botocore.session.get_session()


class XmlOp:
    """An operation as the middleware holds it: its protocol and botocore's model."""

    def __init__(self, service, name):
        model = SESSION.get_service_model(service)
        self.protocol = model.protocol
        self.operation_model = model.operation_model(name)


def xml_check(service, name, body):
    entry = {}
    answers.check_xml(entry, XmlOp(service, name), body.encode())
    return entry


def test_query_answers_are_read_inside_their_result_wrapper():
    good = ("<GetCallerIdentityResponse xmlns='https://sts.amazonaws.com/doc/2011-06-15/'>"
            "<GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:root</Arn><UserId>1</UserId>"
            "<Account>111111111111</Account></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
    assert xml_check("sts", "GetCallerIdentity", good) == {"answer_ok": True}
    assert xml_check("sts", "GetCallerIdentity", good.replace("<UserId>1</UserId>", "<UserID>1</UserID>")) == {
        "answer_ok": False, "answer_problem": ".UserID: not a member of GetCallerIdentityResponse"}
    assert xml_check("sts", "GetCallerIdentity", "<GetCallerIdentityResponse/>") == {
        "answer_ok": False, "answer_problem": "no <GetCallerIdentityResult> in <GetCallerIdentityResponse>"}
    assert xml_check("sts", "GetCallerIdentity", "<AssumeRoleResponse/>")["answer_problem"] == \
        "root element <AssumeRoleResponse>, not <GetCallerIdentityResponse>"
    assert xml_check("sts", "GetCallerIdentity", "<GetCallerIdentityResponse>")["answer_problem"].startswith(
        "not well-formed XML")


def test_query_lists_and_maps_and_kinds():
    body = ("<DescribeStacksResponse><DescribeStacksResult><Stacks>"
            "<member><StackName>s</StackName><Outputs><member><OutputKey>k</OutputKey></member>"
            "<item><OutputKey>j</OutputKey></item></Outputs>"
            "<EnableTerminationProtection>maybe</EnableTerminationProtection>"
            "<TimeoutInMinutes>ten</TimeoutInMinutes></member>"
            "</Stacks></DescribeStacksResult></DescribeStacksResponse>")
    assert xml_check("cloudformation", "DescribeStacks", body)["answer_problem"].split("; ") == [
        ".Stacks[0].Outputs[1]: <item>, not <member>",
        ".Stacks[0].EnableTerminationProtection: 'maybe', not a boolean",
        ".Stacks[0].TimeoutInMinutes: 'ten', not an integer",
    ]


def test_rest_xml_reads_the_root_flattened_lists_and_payloads():
    listing = ("<ListBucketResult xmlns='http://s3.amazonaws.com/doc/2006-03-01/'><Name>b</Name>"
               "<KeyCount>2</KeyCount><Contents><Key>a</Key><Size>1</Size></Contents>"
               "<Contents><Key>b</Key><Size>2</Size></Contents></ListBucketResult>")
    assert xml_check("s3", "ListObjectsV2", listing) == {"answer_ok": True}
    assert xml_check("s3", "ListObjectsV2", listing.replace("<Size>2</Size>", "<Bytes>2</Bytes>")) == {
        "answer_ok": False, "answer_problem": ".Contents[].Bytes: not a member of Object"}
    # A structure payload is the document's root; a blob payload (an object's bytes) is not XML to check.
    tags = "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"
    assert xml_check("s3", "GetBucketTagging", tags) == {"answer_ok": True}
    assert xml_check("s3", "GetBucketTagging", tags.replace("<TagSet>", "<Tags>").replace("</TagSet>", "</Tags>")) \
        == {"answer_ok": False, "answer_problem": ".Tags: not a member of GetBucketTaggingOutput"}
    assert xml_check("s3", "GetObject", "<not-checked/>") == {}


def test_moto_xml_answers_are_checked_live(client):
    """Real answers from the server carry the XML check's verdict in the request log."""
    import conftest
    client("sts").get_caller_identity()
    s3 = client("s3")
    s3.create_bucket(Bucket="answers-xml")
    s3.put_object(Bucket="answers-xml", Key="a.txt", Body=b"<x/>")
    s3.list_objects_v2(Bucket="answers-xml")
    s3.get_object(Bucket="answers-xml", Key="a.txt")
    client("cloudformation").describe_stacks()
    verdicts = {r["operation"]: r.get("answer_ok") for r in conftest.requests_log()}
    assert verdicts["GetCallerIdentity"] is True
    assert verdicts["ListObjectsV2"] is True
    assert verdicts["DescribeStacks"] is True
    assert verdicts["GetObject"] is None  # an object's bytes: nothing to check
