"""Small corrections to moto where its answers differ from AWS's in ways vend would notice.

- Athena GetWorkGroup of an unknown work group: AWS answers 400 InvalidRequestException
  ("WorkGroup X is not found."); moto answers 200 {"WorkGroup": null}.
- Glue crawls: a started crawl finishes (RUNNING -> COMPLETED, shown as LastCrawl SUCCEEDED)
  after LOCALCLOUD_CRAWL_SECONDS (default 2); moto's default never finishes it.
- Lake Formation GetLFTag of an unknown key: AWS answers EntityNotFoundException; moto
  answers an empty value list.
"""
from moto.core.exceptions import JsonRESTError


def install():
    import os

    from moto.moto_api import state_manager
    state_manager.register_default_transition(
        model_name="glue::crawl",
        transition={"progression": "time", "seconds": float(os.environ.get("LOCALCLOUD_CRAWL_SECONDS", "2"))})
    from moto.athena.models import AthenaBackend
    orig_get = AthenaBackend.get_work_group
    if getattr(orig_get, "_vend", False):
        return

    def get_work_group(self, name):
        wg = orig_get(self, name)
        if wg is None:
            raise JsonRESTError("InvalidRequestException", f"WorkGroup {name} is not found.")
        return wg
    get_work_group._vend = True
    AthenaBackend.get_work_group = get_work_group

    from moto.lakeformation.responses import LakeFormationResponse
    orig_resp = LakeFormationResponse.get_lf_tag

    def get_lf_tag(self):
        import json
        params = json.loads(self.body or b"{}")
        catalog = params.get("CatalogId") or self.current_account
        if not self.lakeformation_backend.get_lf_tag(catalog, params.get("TagKey")):
            raise JsonRESTError("EntityNotFoundException", "Tag or tag value does not exist.")
        return orig_resp(self)
    LakeFormationResponse.get_lf_tag = get_lf_tag


install()
