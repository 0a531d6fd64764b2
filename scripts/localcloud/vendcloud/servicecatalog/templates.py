"""Reading a product version's CloudFormation template from the local S3, parsing it, and
its parameters as Service Catalog describes them."""
import json

from .common import invalid


def load_template(ctx, url):
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

    from ..speed import fast_yaml
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
