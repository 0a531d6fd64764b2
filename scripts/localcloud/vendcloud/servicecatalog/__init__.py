"""Service Catalog, replacing moto's (which records shares on one side only, answers 200 {}
for unknown ids and has bare-UUID ids).

Each AWS behaviour assumed is written next to the code that makes it; each handler's
docstring names the API Reference entry it follows. The modules, in import order (each
imports only those above it, so there is no cycle):

  common           config, settling window, id formats, errors, quotas, pagination
  state            CatalogState: the per-(account, region) stores, id -> owner, idempotency
                   tokens, Organizations access, the lock; reached through catalog()
  lookups          portfolios / products / artifacts as the caller may see them
  views            answer shapes
  templates        template read from the local S3, parsed, its parameters
  artifacts        provisioning artifacts (versions)
  portfolios       portfolios, product-portfolio associations
  products         products, search
  constraints      constraints
  tag_options      TagOptions and their application at launch
  shares           portfolio shares (accounts, organization nodes), Organizations access
  principals       principal associations
  launch_paths     launch paths, provisioning parameters, launch role
  stacks           CloudFormation checks and stacks behind provisioning
  records          request records
  provisioning     provisioned products
  plans            provisioned product plans (dry runs of a launch or update)
  service_actions  self-service actions and their execution
  operations       OPERATIONS: AWS operation name -> handler; handler_for
"""
from .operations import handler_for  # noqa: F401  (the middleware's handler)
from .state import reset  # noqa: F401  (the reset hook)
