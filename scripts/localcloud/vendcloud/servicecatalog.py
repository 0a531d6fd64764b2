"""Service Catalog, replacing moto's (which records shares on one side only, answers 200 {}
for unknown ids and has bare-UUID ids).

State lives per (account, region) in STORES; ids are global (a recipient sees the owner's
portfolio under the owner's id, as in AWS). Each AWS behaviour assumed is written next to
the code that makes it. Provisioning, records and service actions are in sc_provision.
"""
import datetime
import json
import random
import string
import threading

from . import accounts, control
from .errors import AwsError

_lock = threading.RLock()
ORG_ACCESS = set()  # accounts that called EnableAWSOrganizationsAccess (see sc_shares)
STORES = {}
OWNER = {}  # resource id -> (account, region)
TOKENS = {}  # (account, region, operation, token) -> response (idempotency)
CONFIG = control.CONFIG
CONFIG.setdefault("enforce_principal_associations", True)
# AWS finishes artifacts and provisioning asynchronously. The work is done within the call
# here, but for async_seconds the answers say CREATING / IN_PROGRESS / UNDER_CHANGE, so a
# client that does not poll fails here as it would in AWS.
CONFIG.setdefault("async_seconds", 0.5)


def settling(obj):
    import time
    return time.time() < obj.get("_ready_at", 0)


def ready_at():
    import time
    return time.time() + float(CONFIG.get("async_seconds", 0))

TAGOPTION_QUOTA = 25  # TagOptions per resource (AWS default quota)
ACTION_ASSOC_QUOTA = 25  # service-action associations per provisioning artifact (AWS quota)


class Store:
    def __init__(self, account, region):
        self.account, self.region = account, region
        self.portfolios, self.products, self.artifacts, self.constraints = {}, {}, {}, {}
        self.tag_options, self.actions = {}, {}
        self.tag_assoc = {}  # resource id -> [tag option id]
        self.product_portfolios = {}  # product id -> [portfolio id] (this account's associations)
        self.shares = {}  # portfolio id -> {account|node value: share dict}   (owner side)
        self.imported = {}  # portfolio id -> {"owner", "status", "type"}         (recipient side)
        self.principals = {}  # portfolio id -> [{"PrincipalARN", "PrincipalType"}]
        self.share_status = {}  # token -> status
        self.action_assoc = {}  # (product id, artifact id) -> [action id]
        self.provisioned, self.records = {}, {}


def reset():
    with _lock:
        ORG_ACCESS.clear()
        STORES.clear()
        OWNER.clear()
        TOKENS.clear()


def store(account, region):
    with _lock:
        key = (account, region)
        if key not in STORES:
            STORES[key] = Store(account, region)
        return STORES[key]


def new_id(prefix):
    # AWS ids: prefix, '-', 13 lower-case alphanumerics (e.g. port-abcdefgh12345).
    return prefix + "-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=13))


def path_id(portfolio_id, product_id):
    """AWS launch path ids look like lpv3-<13 chars>, one per portfolio-product pair; they are
    not portfolio ids (clients must take them from ListLaunchPaths). Portfolio ids are still
    accepted as PathId here."""
    import hashlib
    digest = int(hashlib.sha256(f"{portfolio_id}/{product_id}".encode()).hexdigest(), 16)
    chars = string.ascii_lowercase + string.digits
    out = ""
    for _ in range(13):
        digest, r = divmod(digest, len(chars))
        out += chars[r]
    return "lpv3-" + out


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def not_found(what, rid):
    return AwsError("ResourceNotFoundException", f"{what} {rid} not found.")


def invalid(msg):
    return AwsError("InvalidParametersException", msg)


def page(items, p, key, default_size=20, next_token="NextPageToken"):
    """AWS pagination with PageSize/PageToken (the next token absent on the last page). Most
    operations answer the next token as NextPageToken; ListTagOptions and
    ListResourcesForTagOption answer it as PageToken (botocore's model and paginators)."""
    size = int(p.get("PageSize") or default_size)
    start = int(p.get("PageToken") or 0) if str(p.get("PageToken") or "0").isdigit() else 0
    out = {key: items[start:start + size]}
    if start + size < len(items):
        out[next_token] = str(start + size)
    return out


def idempotent(ctx, op, token, fn):
    """Same IdempotencyToken (per account, operation) -> the same answer, nothing new created."""
    if not token:
        return fn()
    key = (ctx.account, ctx.region, op, token)
    with _lock:
        if key in TOKENS:
            return TOKENS[key]
        result = fn()
        TOKENS[key] = result
        return result


# --------------------------------------------------------------------------------- lookups

def owner_store(rid, region):
    with _lock:
        loc = OWNER.get(rid)
    return store(*loc) if loc else None


def get_portfolio(ctx, pid, admin=True):
    """The portfolio and its owner store. admin=True: owner only. admin=False: the owner or an
    account the portfolio is shared with (pending or accepted)."""
    st = owner_store(pid, ctx.region)
    if st is None or pid not in st.portfolios:
        raise not_found("Portfolio", pid)
    if st.account == ctx.account:
        return st.portfolios[pid], st
    if not admin and pid in store(ctx.account, ctx.region).imported:
        return st.portfolios[pid], st
    raise not_found("Portfolio", pid)


def get_product(ctx, prod_id, admin=True):
    st = owner_store(prod_id, ctx.region)
    if st is None or prod_id not in st.products:
        raise not_found("Product", prod_id)
    if st.account == ctx.account or (not admin and accessible_portfolios(ctx, prod_id)):
        return st.products[prod_id], st
    raise not_found("Product", prod_id)


def find_product(ctx, p, admin=True, id_key="ProductId", name_key="ProductName"):
    if p.get(id_key):
        return get_product(ctx, p[id_key], admin)
    name = p.get(name_key)
    if name:
        for (acct, region), st in list(STORES.items()):
            if region != ctx.region:
                continue
            for prod in st.products.values():
                if prod["Name"] == name:
                    try:
                        return get_product(ctx, prod["Id"], admin)
                    except AwsError:
                        continue
        raise not_found("Product", name)
    raise invalid("ProductId or ProductName is required.")


def find_artifact(prod, st, p, id_key="ProvisioningArtifactId", name_key="ProvisioningArtifactName"):
    aid = p.get(id_key)
    if aid:
        if aid not in prod["Artifacts"]:
            raise not_found("ProvisioningArtifact", aid)
        return st.artifacts[aid]
    name = p.get(name_key)
    for a in prod["Artifacts"]:
        if st.artifacts[a]["Name"] == name:
            return st.artifacts[a]
    raise not_found("ProvisioningArtifact", name or "")


def caller_matches(ctx, principals, account):
    import fnmatch
    arn = accounts.principal_arn(ctx.key_id, ctx.account)
    for pr in principals:
        pat = pr["PrincipalARN"]
        if pr["PrincipalType"] == "IAM" and pat == arn:
            return True
        if pr["PrincipalType"] == "IAM_PATTERN":
            # IAM_PATTERN ARNs leave the account field empty: arn:aws:iam:::role/Name*
            parts = pat.split(":", 5)
            if len(parts) == 6 and parts[4] == "":
                parts[4] = account
            if fnmatch.fnmatchcase(arn, ":".join(parts)):
                return True
    return False


def accessible_portfolios(ctx, prod_id, end_user=False):
    """Portfolios through which the caller's account can use a product: the owner's own
    portfolios holding it, or portfolios shared to and ACCEPTED by the caller's account
    (AWS: products of an unaccepted share cannot be used). end_user=True also requires a
    principal association of the caller with the portfolio (AWS: end users see only products
    of portfolios their IAM principal is associated with)."""
    out = []
    st_owner = owner_store(prod_id, ctx.region)
    if st_owner is None:
        return out
    mine = store(ctx.account, ctx.region)
    for pid in st_owner.product_portfolios.get(prod_id, []):
        if st_owner.account == ctx.account:
            ok = True
        else:
            imp = mine.imported.get(pid)
            ok = bool(imp and imp["status"] == "ACCEPTED")
        if not ok:
            continue
        if end_user and CONFIG.get("enforce_principal_associations", True):
            principals = list(mine.principals.get(pid, []))
            share = st_owner.shares.get(pid, {}).get(ctx.account)
            if st_owner.account != ctx.account and share and share.get("SharePrincipals"):
                principals += [x for x in st_owner.principals.get(pid, []) if x["PrincipalType"] == "IAM_PATTERN"]
            if not caller_matches(ctx, principals, ctx.account):
                continue
        out.append(pid)
    return out


# --------------------------------------------------------------------------------- views

def portfolio_detail(pf):
    return {k: pf[k] for k in ("Id", "ARN", "DisplayName", "Description", "CreatedTime", "ProviderName") if k in pf}


def product_view(prod):
    s = {"Id": prod["ViewId"], "ProductId": prod["Id"], "Name": prod["Name"], "Owner": prod["Owner"],
         "Type": prod["ProductType"], "HasDefaultPath": False}
    for k in ("ShortDescription", "Distributor", "SupportEmail", "SupportDescription", "SupportUrl"):
        if prod.get(k):
            s[k] = prod[k]
    return s


def artifact_status(a):
    return "CREATING" if settling(a) else a["Status"]


def artifact_detail(a):
    return {k: a[k] for k in ("Id", "Name", "Description", "Type", "CreatedTime", "Active", "Guidance") if k in a}


def tag_option_detail(t):
    return {"Key": t["Key"], "Value": t["Value"], "Active": t["Active"], "Id": t["Id"], "Owner": t["Owner"]}


def tags_of(st, rid):
    return [tag_option_detail(st.tag_options[t]) for t in st.tag_assoc.get(rid, []) if t in st.tag_options]


# --------------------------------------------------------------------------------- portfolios

def create_portfolio(ctx, p):
    def go():
        st = store(ctx.account, ctx.region)
        pid = new_id("port")
        pf = {"Id": pid, "ARN": f"arn:aws:catalog:{ctx.region}:{ctx.account}:portfolio/{pid}",
              "DisplayName": p["DisplayName"], "Description": p.get("Description", ""),
              "ProviderName": p["ProviderName"], "CreatedTime": now(), "Tags": p.get("Tags", [])}
        with _lock:
            st.portfolios[pid] = pf
            OWNER[pid] = (ctx.account, ctx.region)
        return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"]}
    return idempotent(ctx, "CreatePortfolio", p.get("IdempotencyToken"), go)


def describe_portfolio(ctx, p):
    pf, st = get_portfolio(ctx, p["Id"], admin=False)
    return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"] if st.account == ctx.account else [],
            "TagOptions": tags_of(st, pf["Id"]), "Budgets": []}


def update_portfolio(ctx, p):
    pf, st = get_portfolio(ctx, p["Id"])
    for k in ("DisplayName", "Description", "ProviderName"):
        if k in p:
            pf[k] = p[k]
    tags = [t for t in pf["Tags"] if t["Key"] not in p.get("RemoveTags", [])]
    pf["Tags"] = tags + p.get("AddTags", [])
    return {"PortfolioDetail": portfolio_detail(pf), "Tags": pf["Tags"]}


def delete_portfolio(ctx, p):
    pf, st = get_portfolio(ctx, p["Id"])
    pid = pf["Id"]
    # AWS: a portfolio with products, constraints, shares, principals or TagOptions cannot be
    # deleted (ResourceInUseException).
    used = (any(pid in v for v in st.product_portfolios.values()) or st.shares.get(pid)
            or st.principals.get(pid) or st.tag_assoc.get(pid)
            or any(c["PortfolioId"] == pid for c in st.constraints.values()))
    if used:
        raise AwsError("ResourceInUseException",
                       "Portfolio has associated products, constraints, shares, principals or TagOptions.")
    with _lock:
        del st.portfolios[pid]
        OWNER.pop(pid, None)
    return {}


def list_portfolios(ctx, p):
    # AWS: ListPortfolios lists the account's own portfolios; imported ones are listed by
    # ListAcceptedPortfolioShares.
    st = store(ctx.account, ctx.region)
    return page([portfolio_detail(x) for x in st.portfolios.values()], p, "PortfolioDetails")


# --------------------------------------------------------------------------------- products

def _load_template(ctx, url):
    """AWS reads the template when the artifact is created. Accepted URL forms:
    https://s3.amazonaws.com/bucket/key, https://s3.<region>.amazonaws.com/bucket/key,
    https://bucket.s3[.<region>].amazonaws.com/key and the local endpoint
    http://127.0.0.1:PORT/bucket/key (or localhost)."""
    import re
    from urllib.parse import unquote, urlsplit

    from moto.s3.models import s3_backends
    u = urlsplit(url)
    host, path = u.hostname or "", unquote(u.path.lstrip("/"))
    m = re.match(r"^(?P<b>.+)\.s3[.-]?(?:[a-z0-9-]+\.)?amazonaws\.com$", host)
    if m:
        bucket, key = m.group("b"), path
    elif re.match(r"^s3([.-][a-z0-9-]+)?\.amazonaws\.com$", host) or host in ("127.0.0.1", "localhost"):
        bucket, _, key = path.partition("/")
    else:
        raise invalid(f"Invalid LoadTemplateFromURL: {url}. Use an Amazon S3 URL.")
    order = [ctx.account] + [a for a in list(s3_backends.keys()) if a != ctx.account]
    for acct in order:
        try:
            be = s3_backends[acct]["aws"]
        except KeyError:
            continue
        if bucket in be.buckets:
            try:
                obj = be.get_object(bucket, key)
            except Exception:
                obj = None
            if obj is not None:
                return obj.value.decode("utf-8")
            break
    raise invalid(f"Unable to retrieve the template from {url}: the object does not exist or access is denied.")


def parse_template(body):
    from moto.cloudformation.utils import yaml_tag_constructor
    import yaml

    from .speed import fast_yaml
    try:
        return json.loads(body)
    except ValueError:
        pass
    fast_yaml.add_multi_constructor("", yaml_tag_constructor, Loader=yaml.SafeLoader)
    try:
        t = fast_yaml.safe_load(body)
    except yaml.YAMLError as e:
        raise invalid(f"Invalid templateBody. Please make sure that your template is valid: {e}")
    if not isinstance(t, dict) or "Resources" not in t:
        raise invalid("Invalid templateBody. Please make sure that your template is valid: no Resources")
    return t


def _new_artifact(ctx, st, prod_id, ap):
    info = ap.get("Info") or {}
    url = info.get("LoadTemplateFromURL")
    if not url:
        raise invalid("Info must contain LoadTemplateFromURL.")
    body = _load_template(ctx, url)
    if not ap.get("DisableTemplateValidation"):
        parse_template(body)
    aid = new_id("pa")
    art = {"Id": aid, "Name": ap.get("Name", "v1"), "Description": ap.get("Description", ""),
           "Type": ap.get("Type", "CLOUD_FORMATION_TEMPLATE"), "CreatedTime": now(), "Active": True,
           "Guidance": "DEFAULT", "TemplateUrl": url, "TemplateBody": body, "ProductId": prod_id,
           # AWS: CreateProvisioningArtifact answers CREATING; it becomes AVAILABLE (or FAILED)
           # asynchronously. Here the template is already read, so Describe shows AVAILABLE.
           "Status": "AVAILABLE", "_ready_at": ready_at()}
    with _lock:
        st.artifacts[aid] = art
        OWNER[aid] = (ctx.account, ctx.region)
    return art


def create_product(ctx, p):
    def go():
        st = store(ctx.account, ctx.region)
        prod_id = new_id("prod")
        prod = {"Id": prod_id, "ViewId": new_id("prodview"), "Name": p["Name"], "Owner": p["Owner"],
                "ShortDescription": p.get("Description", ""), "Distributor": p.get("Distributor", ""),
                "SupportEmail": p.get("SupportEmail", ""), "SupportDescription": p.get("SupportDescription", ""),
                "SupportUrl": p.get("SupportUrl", ""), "ProductType": p["ProductType"],
                "ARN": f"arn:aws:catalog:{ctx.region}:{ctx.account}:product/{prod_id}",
                "CreatedTime": now(), "Tags": p.get("Tags", []), "Artifacts": []}
        if p["ProductType"] != "CLOUD_FORMATION_TEMPLATE":
            raise invalid(f"ProductType {p['ProductType']} is not supported by the local cloud.")
        art = _new_artifact(ctx, st, prod_id, p.get("ProvisioningArtifactParameters") or {})
        prod["Artifacts"].append(art["Id"])
        with _lock:
            st.products[prod_id] = prod
            OWNER[prod_id] = (ctx.account, ctx.region)
        return {"ProductViewDetail": _product_view_detail(prod),
                "ProvisioningArtifactDetail": {**artifact_detail(art)}, "Tags": prod["Tags"]}
    return idempotent(ctx, "CreateProduct", p.get("IdempotencyToken"), go)


def _product_view_detail(prod):
    return {"ProductViewSummary": product_view(prod), "Status": "AVAILABLE", "ProductARN": prod["ARN"],
            "CreatedTime": prod["CreatedTime"]}


def describe_product_as_admin(ctx, p):
    prod, st = find_product(ctx, p, admin=True, id_key="Id", name_key="Name")
    arts = [st.artifacts[a] for a in prod["Artifacts"]]
    return {"ProductViewDetail": _product_view_detail(prod),
            "ProvisioningArtifactSummaries": [
                {"Id": a["Id"], "Name": a["Name"], "Description": a["Description"], "CreatedTime": a["CreatedTime"],
                 "ProvisioningArtifactMetadata": {}} for a in arts],
            "Tags": prod["Tags"], "TagOptions": tags_of(st, prod["Id"]), "Budgets": []}


def describe_product(ctx, p):
    # AWS: the end-user view; only through an accessible portfolio, and only active artifacts.
    prod, st = find_product(ctx, p, admin=False, id_key="Id", name_key="Name")
    paths = accessible_portfolios(ctx, prod["Id"], end_user=True)
    if not paths:
        raise not_found("Product", prod["Id"])
    arts = [st.artifacts[a] for a in prod["Artifacts"] if st.artifacts[a]["Active"]]
    return {"ProductViewSummary": product_view(prod),
            "ProvisioningArtifacts": [{k: a[k] for k in ("Id", "Name", "Description", "CreatedTime", "Guidance")}
                                      for a in arts],
            "Budgets": [], "LaunchPaths": [{"Id": path_id(pid, prod["Id"]), "Name": st.portfolios[pid]["DisplayName"]}
                                           for pid in paths if pid in st.portfolios]}


def describe_product_view(ctx, p):
    for (acct, region), st in list(STORES.items()):
        if region != ctx.region:
            continue
        for prod in st.products.values():
            if prod["ViewId"] == p["Id"]:
                # DescribeProductViewOutput is DescribeProduct's without Budgets and LaunchPaths.
                found = describe_product(ctx, {"Id": prod["Id"]})
                return {"ProductViewSummary": found["ProductViewSummary"], "ProvisioningArtifacts": found["ProvisioningArtifacts"]}
    raise not_found("ProductView", p["Id"])


def update_product(ctx, p):
    prod, st = get_product(ctx, p["Id"])
    for src, dst in (("Name", "Name"), ("Owner", "Owner"), ("Description", "ShortDescription"),
                     ("Distributor", "Distributor"), ("SupportEmail", "SupportEmail"),
                     ("SupportDescription", "SupportDescription"), ("SupportUrl", "SupportUrl")):
        if src in p:
            prod[dst] = p[src]
    prod["Tags"] = [t for t in prod["Tags"] if t["Key"] not in p.get("RemoveTags", [])] + p.get("AddTags", [])
    return {"ProductViewDetail": _product_view_detail(prod), "Tags": prod["Tags"]}


def delete_product(ctx, p):
    prod, st = get_product(ctx, p["Id"])
    # AWS: a product still associated with a portfolio cannot be deleted.
    if st.product_portfolios.get(prod["Id"]):
        raise AwsError("ResourceInUseException", "Product is associated with one or more portfolios.")
    with _lock:
        for a in prod["Artifacts"]:
            st.artifacts.pop(a, None)
            OWNER.pop(a, None)
        del st.products[prod["Id"]]
        OWNER.pop(prod["Id"], None)
    return {}


def _search_filter(prods, p):
    f = p.get("Filters") or {}
    out = prods
    for key, vals in f.items():
        vals = [v.lower() for v in vals]
        if key == "FullTextSearch":
            out = [x for x in out if any(v in (x["Name"] + " " + x.get("ShortDescription", "")).lower() for v in vals)]
        elif key == "Owner":
            out = [x for x in out if x["Owner"].lower() in vals]
        elif key == "ProductType":
            out = [x for x in out if x["ProductType"].lower() in vals]
    return out


def search_products_as_admin(ctx, p):
    st = store(ctx.account, ctx.region)
    prods = list(st.products.values())
    if p.get("PortfolioId"):
        get_portfolio(ctx, p["PortfolioId"])
        prods = [x for x in prods if p["PortfolioId"] in st.product_portfolios.get(x["Id"], [])]
    prods = _search_filter(prods, p)
    res = page([_product_view_detail(x) for x in prods], p, "ProductViewDetails")
    return res


def search_products(ctx, p):
    found = []
    for (acct, region), st in list(STORES.items()):
        if region != ctx.region:
            continue
        for prod in st.products.values():
            if accessible_portfolios(ctx, prod["Id"], end_user=True):
                found.append(prod)
    found = _search_filter(found, p)
    return page([product_view(x) for x in found], p, "ProductViewSummaries")


# --------------------------------------------------------------------------------- artifacts

def create_provisioning_artifact(ctx, p):
    def go():
        prod, st = get_product(ctx, p["ProductId"])
        art = _new_artifact(ctx, st, prod["Id"], p["Parameters"])
        prod["Artifacts"].append(art["Id"])
        return {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
                "Status": "CREATING"}
    return idempotent(ctx, "CreateProvisioningArtifact", p.get("IdempotencyToken"), go)


def template_parameters(art):
    t = parse_template(art["TemplateBody"])
    out = []
    for key, spec in (t.get("Parameters") or {}).items():
        c = {}
        if "AllowedValues" in spec:
            c["AllowedValues"] = [str(v) for v in spec["AllowedValues"]]
        for k in ("AllowedPattern", "ConstraintDescription", "MaxLength", "MinLength", "MaxValue", "MinValue"):
            if k in spec:
                c[k] = str(spec[k])
        item = {"ParameterKey": key, "ParameterType": spec.get("Type", "String"),
                "IsNoEcho": bool(spec.get("NoEcho", False)), "Description": spec.get("Description", ""),
                "ParameterConstraints": c}
        if "Default" in spec:
            item["DefaultValue"] = str(spec["Default"])
        out.append(item)
    return out, t


def describe_provisioning_artifact(ctx, p):
    prod, st = find_product(ctx, p, admin=False)
    art = find_artifact(prod, st, p)
    out = {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
           "Status": artifact_status(art)}
    if p.get("Verbose"):
        out["Info"]["TemplateBody"] = art["TemplateBody"]
    if p.get("IncludeProvisioningArtifactParameters"):
        out["ProvisioningArtifactParameters"] = template_parameters(art)[0]
    return out


def list_provisioning_artifacts(ctx, p):
    prod, st = get_product(ctx, p["ProductId"], admin=False)
    return {"ProvisioningArtifactDetails": [artifact_detail(st.artifacts[a]) for a in prod["Artifacts"]]}


def update_provisioning_artifact(ctx, p):
    prod, st = get_product(ctx, p["ProductId"])
    art = find_artifact(prod, st, p)
    for k in ("Name", "Description", "Active", "Guidance"):
        if k in p:
            art[k] = p[k]
    return {"ProvisioningArtifactDetail": artifact_detail(art), "Info": {"TemplateUrl": art["TemplateUrl"]},
            "Status": artifact_status(art)}


def delete_provisioning_artifact(ctx, p):
    prod, st = get_product(ctx, p["ProductId"])
    art = find_artifact(prod, st, p)
    # AWS: the last artifact of a product cannot be deleted.
    if len(prod["Artifacts"]) == 1:
        raise invalid("Cannot delete the last provisioning artifact of a product.")
    with _lock:
        prod["Artifacts"].remove(art["Id"])
        del st.artifacts[art["Id"]]
        OWNER.pop(art["Id"], None)
        st.action_assoc.pop((prod["Id"], art["Id"]), None)
    return {}


# --------------------------------------------------------------------------------- associations

def associate_product_with_portfolio(ctx, p):
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    prod, pst = get_product(ctx, p["ProductId"])
    if pst is not st:
        raise not_found("Product", p["ProductId"])
    with _lock:
        lst = st.product_portfolios.setdefault(prod["Id"], [])
        if pf["Id"] not in lst:  # AWS: re-associating is a no-op
            lst.append(pf["Id"])
    return {}


def disassociate_product_from_portfolio(ctx, p):
    pf, st = get_portfolio(ctx, p["PortfolioId"])
    lst = st.product_portfolios.get(p["ProductId"], [])
    if pf["Id"] not in lst:
        raise not_found("Product association", p["ProductId"])
    # AWS: constraints on the pair must be deleted first.
    if any(c["PortfolioId"] == pf["Id"] and c["ProductId"] == p["ProductId"] for c in st.constraints.values()):
        raise AwsError("ResourceInUseException", "Delete the constraints of this product in the portfolio first.")
    lst.remove(pf["Id"])
    return {}


def list_portfolios_for_product(ctx, p):
    prod, st = get_product(ctx, p["ProductId"])
    return page([portfolio_detail(st.portfolios[x]) for x in st.product_portfolios.get(prod["Id"], [])],
                p, "PortfolioDetails")


# --------------------------------------------------------------------------------- constraints

def create_constraint(ctx, p):
    def go():
        pf, st = get_portfolio(ctx, p["PortfolioId"])
        prod, _ = get_product(ctx, p["ProductId"])
        if pf["Id"] not in st.product_portfolios.get(prod["Id"], []):
            raise not_found("Product", f"{prod['Id']} in portfolio {pf['Id']}")
        ctype = p["Type"]
        try:
            params = json.loads(p["Parameters"])
        except ValueError:
            raise invalid("Parameters must be a JSON object.")
        existing = [c for c in st.constraints.values()
                    if c["PortfolioId"] == pf["Id"] and c["ProductId"] == prod["Id"]]
        if ctype == "LAUNCH":
            # AWS: exactly one of RoleArn / LocalRoleName; one LAUNCH constraint per pair, and
            # none together with a STACKSET constraint.
            if ("RoleArn" in params) == ("LocalRoleName" in params):
                raise invalid("A LAUNCH constraint needs exactly one of RoleArn or LocalRoleName.")
            if any(c["Type"] in ("LAUNCH", "STACKSET") for c in existing):
                raise AwsError("DuplicateResourceException",
                               "A launch constraint already exists for this product and portfolio.")
        elif ctype == "NOTIFICATION":
            if not isinstance(params.get("NotificationArns"), list):
                raise invalid("A NOTIFICATION constraint needs NotificationArns.")
        elif ctype == "TEMPLATE":
            if not isinstance(params.get("Rules"), dict):
                raise invalid("A TEMPLATE constraint needs Rules.")
        elif ctype == "STACKSET":
            if any(c["Type"] == "LAUNCH" for c in existing):
                raise AwsError("DuplicateResourceException", "A launch constraint already exists.")
        elif ctype == "RESOURCE_UPDATE":
            pass
        else:
            raise invalid(f"Unknown constraint type {ctype}.")
        cid = new_id("cons")
        c = {"ConstraintId": cid, "Type": ctype, "Description": p.get("Description", ""), "Owner": ctx.account,
             "ProductId": prod["Id"], "PortfolioId": pf["Id"], "Parameters": p["Parameters"]}
        with _lock:
            st.constraints[cid] = c
            OWNER[cid] = (ctx.account, ctx.region)
        return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"],
                "Status": "AVAILABLE"}
    return idempotent(ctx, "CreateConstraint", p.get("IdempotencyToken"), go)


def _constraint_detail(c):
    return {k: c[k] for k in ("ConstraintId", "Type", "Description", "Owner", "ProductId", "PortfolioId")}


def _get_constraint(ctx, cid):
    st = owner_store(cid, ctx.region)
    if st is None or cid not in st.constraints:
        raise not_found("Constraint", cid)
    c = st.constraints[cid]
    if st.account != ctx.account and c["PortfolioId"] not in store(ctx.account, ctx.region).imported:
        raise not_found("Constraint", cid)
    return c, st


def describe_constraint(ctx, p):
    c, _ = _get_constraint(ctx, p["Id"])
    return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"], "Status": "AVAILABLE"}


def update_constraint(ctx, p):
    c, st = _get_constraint(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("Constraint", p["Id"])
    if "Description" in p:
        c["Description"] = p["Description"]
    if "Parameters" in p:
        c["Parameters"] = p["Parameters"]
    return {"ConstraintDetail": _constraint_detail(c), "ConstraintParameters": c["Parameters"], "Status": "AVAILABLE"}


def delete_constraint(ctx, p):
    c, st = _get_constraint(ctx, p["Id"])
    if st.account != ctx.account:
        raise not_found("Constraint", p["Id"])
    with _lock:
        del st.constraints[c["ConstraintId"]]
        OWNER.pop(c["ConstraintId"], None)
    return {}


def list_constraints_for_portfolio(ctx, p):
    # AWS: imported portfolios show the owner's constraints (kept in sync).
    pf, st = get_portfolio(ctx, p["PortfolioId"], admin=False)
    cs = [c for c in st.constraints.values() if c["PortfolioId"] == pf["Id"]
          and (not p.get("ProductId") or c["ProductId"] == p["ProductId"])]
    return page([_constraint_detail(c) for c in cs], p, "ConstraintDetails")


# --------------------------------------------------------------------------------- TagOptions

def create_tag_option(ctx, p):
    st = store(ctx.account, ctx.region)
    for t in st.tag_options.values():
        if t["Key"] == p["Key"] and t["Value"] == p["Value"]:
            raise AwsError("DuplicateResourceException", f"TagOption {p['Key']}={p['Value']} already exists.")
    tid = new_id("tag")
    t = {"Key": p["Key"], "Value": p["Value"], "Active": True, "Id": tid, "Owner": ctx.account}
    with _lock:
        st.tag_options[tid] = t
        OWNER[tid] = (ctx.account, ctx.region)
    return {"TagOptionDetail": tag_option_detail(t)}


def _get_tag_option(ctx, tid):
    st = store(ctx.account, ctx.region)
    if tid not in st.tag_options:
        raise not_found("TagOption", tid)
    return st.tag_options[tid], st


def describe_tag_option(ctx, p):
    return {"TagOptionDetail": tag_option_detail(_get_tag_option(ctx, p["Id"])[0])}


def update_tag_option(ctx, p):
    t, st = _get_tag_option(ctx, p["Id"])
    if "Value" in p:
        t["Value"] = p["Value"]
    if "Active" in p:
        t["Active"] = p["Active"]
    return {"TagOptionDetail": tag_option_detail(t)}


def delete_tag_option(ctx, p):
    t, st = _get_tag_option(ctx, p["Id"])
    if any(t["Id"] in v for v in st.tag_assoc.values()):
        raise AwsError("ResourceInUseException", "TagOption is associated with resources.")
    del st.tag_options[t["Id"]]
    return {}


def list_tag_options(ctx, p):
    st = store(ctx.account, ctx.region)
    f = p.get("Filters") or {}
    out = [t for t in st.tag_options.values()
           if (not f.get("Key") or t["Key"] == f["Key"]) and (not f.get("Value") or t["Value"] == f["Value"])
           and ("Active" not in f or t["Active"] == f["Active"])]
    return page([tag_option_detail(t) for t in out], p, "TagOptionDetails", next_token="PageToken")


def associate_tag_option_with_resource(ctx, p):
    t, st = _get_tag_option(ctx, p["TagOptionId"])
    rid = p["ResourceId"]
    if rid not in st.portfolios and rid not in st.products:
        raise not_found("Resource", rid)
    lst = st.tag_assoc.setdefault(rid, [])
    if t["Id"] in lst:
        raise AwsError("DuplicateResourceException", "TagOption is already associated with the resource.")
    if len(lst) >= TAGOPTION_QUOTA:
        raise AwsError("LimitExceededException", f"A resource can have at most {TAGOPTION_QUOTA} TagOptions.")
    # AWS: several TagOptions with the same key on one resource are the values an end user
    # chooses from at launch (see sc_provision._apply_tag_options).
    lst.append(t["Id"])
    return {}


def disassociate_tag_option_from_resource(ctx, p):
    st = store(ctx.account, ctx.region)
    lst = st.tag_assoc.get(p["ResourceId"], [])
    if p["TagOptionId"] not in lst:
        raise not_found("TagOption association", p["TagOptionId"])
    lst.remove(p["TagOptionId"])
    return {}


def list_resources_for_tag_option(ctx, p):
    t, st = _get_tag_option(ctx, p["TagOptionId"])
    out = []
    for rid, lst in st.tag_assoc.items():
        if t["Id"] in lst:
            r = st.portfolios.get(rid) or st.products.get(rid)
            if r and (not p.get("ResourceType") or (p["ResourceType"] == "Portfolio") == (rid in st.portfolios)):
                out.append({"Id": rid, "ARN": r["ARN"], "Name": r.get("DisplayName", r.get("Name")),
                            "Description": r.get("Description", r.get("ShortDescription", "")),
                            "CreatedTime": r["CreatedTime"]})
    return page(out, p, "ResourceDetails", next_token="PageToken")


# --------------------------------------------------------------------------------- dispatch

def _ops():
    from . import sc_provision, sc_shares
    ops = {}
    for mod in (__import__(__name__, fromlist=["x"]), sc_provision, sc_shares):
        for name in dir(mod):
            fn = getattr(mod, name)
            if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", None) == mod.__name__:
                ops[name] = fn
    return ops


_OPS = None


def _snake(name):
    import re
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().replace("a_w_s", "aws")


def handler_for(op):
    """Every servicecatalog operation is answered here (moto's servicecatalog is bypassed);
    the ones not written answer 501 NotImplemented."""
    global _OPS
    if op.service != "servicecatalog":
        return None
    if _OPS is None:
        _OPS = _ops()
    fn = _OPS.get(_snake(op.name))
    if fn is None or _snake(op.name) in ("store", "reset", "page", "now", "new_id", "handler_for", "idempotent"):
        def unimplemented(ctx, p):
            raise AwsError("NotImplemented", f"servicecatalog:{op.name} is not implemented by the local cloud",
                           status=501, sender=False)
        return unimplemented
    return fn
