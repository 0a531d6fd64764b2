"""Request records (provision, update, terminate, service action) and the status a provisioned
product shows while its last record settles."""
from .common import new_id, not_found, now, page, path_id, ready_at, settling
from .state import catalog


def new_record(ctx, pp, rtype, pid, status="CREATED", token=None):
    rid = new_id("rec")
    rec = {"RecordId": rid, "ProvisionedProductName": pp["Name"], "Status": status, "CreatedTime": now(),
           "UpdatedTime": now(), "ProvisionedProductType": "CFN_STACK", "RecordType": rtype,
           "ProvisionedProductId": pp["Id"], "ProductId": pp["ProductId"],
           "ProvisioningArtifactId": pp["ProvisioningArtifactId"],
           "PathId": path_id(pid, pp["ProductId"]) if pid else "", "RecordErrors": [],
           "RecordTags": pp.get("Tags", []), "LaunchRoleArn": pp.get("LaunchRoleArn") or "", "_outputs": [],
           "_ready_at": 0 if rtype == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION" else ready_at()}
    catalog().store(ctx.account, ctx.region).records[rid] = rec
    pp["LastRecordId"] = rid
    return rec


def record_view(rec):
    v = {k: val for k, val in rec.items() if not k.startswith("_")}
    if settling(rec) and v["Status"] in ("SUCCEEDED", "FAILED"):
        v["Status"], v["RecordErrors"] = "IN_PROGRESS", []
    return v


def pp_status(ctx, pp):
    rec = catalog().store(ctx.account, ctx.region).records.get(pp.get("LastRecordId"))
    if rec is not None and settling(rec):
        return "UNDER_CHANGE"
    return pp["Status"]


def finish(rec, ok, outputs=None, error=None):
    rec["Status"] = "SUCCEEDED" if ok else "FAILED"
    rec["UpdatedTime"] = now()
    if outputs is not None:
        rec["_outputs"] = outputs
    if error:
        rec["RecordErrors"] = [{"Code": "ProvisioningFailed", "Description": error}]


def describe_record(ctx, p):
    """AWS Service Catalog API Reference, DescribeRecord: a request record (provision, update, terminate,
    service action) and its outputs; IN_PROGRESS, without outputs, until it finishes."""
    rec = catalog().store(ctx.account, ctx.region).records.get(p["Id"])
    if rec is None:
        raise not_found("Record", p["Id"])
    out = page([] if settling(rec) else rec["_outputs"], p, "RecordOutputs", 20)
    out["RecordDetail"] = record_view(rec)
    return out


def list_record_history(ctx, p):
    """AWS Service Catalog API Reference, ListRecordHistory: the caller account's request records, newest
    first, optionally filtered by provisioned product or product."""
    recs = list(catalog().store(ctx.account, ctx.region).records.values())
    f = p.get("SearchFilter") or {}
    if f.get("Key") == "provisionedproduct":
        recs = [r for r in recs if r["ProvisionedProductId"] == f.get("Value")]
    elif f.get("Key") == "product":
        recs = [r for r in recs if r["ProductId"] == f.get("Value")]
    recs.sort(key=lambda r: r["CreatedTime"], reverse=True)
    return page([record_view(r) for r in recs], p, "RecordDetails")
