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
