"""The answer shapes of portfolios, products, artifacts and TagOptions (what the API returns
of the stored dicts)."""
from .common import settling


def portfolio_detail(pf):
    return {k: pf[k] for k in ("Id", "ARN", "DisplayName", "Description", "CreatedTime", "ProviderName") if k in pf}


def product_view(prod):
    s = {"Id": prod["ViewId"], "ProductId": prod["Id"], "Name": prod["Name"], "Owner": prod["Owner"],
         "Type": prod["ProductType"], "HasDefaultPath": False}
    for k in ("ShortDescription", "Distributor", "SupportEmail", "SupportDescription", "SupportUrl"):
        if prod.get(k):
            s[k] = prod[k]
    return s


def product_view_detail(prod):
    return {"ProductViewSummary": product_view(prod), "Status": "AVAILABLE", "ProductARN": prod["ARN"],
            "CreatedTime": prod["CreatedTime"]}


def artifact_status(a):
    return "CREATING" if settling(a) else a["Status"]


def artifact_detail(a):
    return {k: a[k] for k in ("Id", "Name", "Description", "Type", "CreatedTime", "Active", "Guidance") if k in a}


def tag_option_detail(t):
    return {"Key": t["Key"], "Value": t["Value"], "Active": t["Active"], "Id": t["Id"], "Owner": t["Owner"]}


def tags_of(st, rid):
    return [tag_option_detail(st.tag_options[t]) for t in st.tag_assoc.get(rid, []) if t in st.tag_options]
