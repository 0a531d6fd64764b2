"""Update operations moto's backends lack, used by the CloudFormation types' in-place updates
(cfn_types.py). Only the backend side: the APIs themselves still answer 501 here.

- Glue UpdateCrawler: changes a crawler's definition in place; a running crawler cannot be
  updated (CrawlerRunningException). https://docs.aws.amazon.com/glue/latest/webapi/API_UpdateCrawler.html
- Athena UpdateWorkGroup: description, configuration and state of an existing work group.
  https://docs.aws.amazon.com/athena/latest/APIReference/API_UpdateWorkGroup.html
- Lake Formation UpdateResource: the role a registered location is accessed with.
  https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateResource.html
"""


def install():
    from moto.athena.models import AthenaBackend
    from moto.core.utils import utcnow
    from moto.glue.exceptions import CrawlerRunningException
    from moto.glue.models import GlueBackend
    from moto.lakeformation.exceptions import EntityNotFound
    from moto.lakeformation.models import LakeFormationBackend
    if hasattr(GlueBackend, "update_crawler"):
        return

    def update_crawler(self, name, role, database_name, description, targets, schedule, classifiers, table_prefix,
                       schema_change_policy, recrawl_policy, lineage_configuration, configuration,
                       crawler_security_configuration):
        c = self.get_crawler(name)
        if c.crawls and c.crawls[-1].status == "RUNNING":
            raise CrawlerRunningException(f"Crawler with name {name} is running")
        c.role, c.database_name, c.description, c.targets = role, database_name, description, targets
        c.schedule, c.classifiers, c.table_prefix = schedule, classifiers, table_prefix
        c.schema_change_policy, c.recrawl_policy = schema_change_policy, recrawl_policy
        c.lineage_configuration, c.configuration = lineage_configuration, configuration
        c.crawler_security_configuration = crawler_security_configuration
        c.last_updated = utcnow()
        c.version += 1
    GlueBackend.update_crawler = update_crawler

    def update_work_group(self, name, description, configuration, state, tags):
        wg = self.work_groups[name]
        wg.description, wg.state = description, state
        kept = ("EnableMinimumEncryptionConfiguration", "EnforceWorkGroupConfiguration", "EngineVersion")
        wg.configuration = dict(configuration, **{k: wg.configuration[k] for k in kept
                                                  if k in wg.configuration and k not in configuration})
        if tags:
            wg.create_tags(tags)
    AthenaBackend.update_work_group = update_work_group

    def update_resource(self, resource_arn, role_arn):
        if resource_arn not in self.resources:
            raise EntityNotFound
        self.resources[resource_arn].role_arn = role_arn
    LakeFormationBackend.update_resource = update_resource
