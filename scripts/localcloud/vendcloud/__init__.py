"""vend's local cloud: moto's server plus the extensions in this package.

One module per concern (see ../README.md):
  server        entry point: moto's WSGI app wrapped by middleware, werkzeug run_simple
  middleware    the per-request pipeline: auth -> faults -> validation -> operation
  accounts      fixed accounts, static keys, key lookup, AssumeRole trust, reset hook
  signature     SigV4 verification with botocore's signer
  protocol      which service/operation a request is, and its parameters
  validation    botocore ParamValidator + max/enum/pattern walk
  errors        error bodies in each AWS protocol's format
  faults        fault rules (throttle, 5xx, delay, drop)
  control       /_localcloud/ control endpoint, config and request log
  profiles      .localcloud/aws/{config,credentials} and env
  servicecatalog  Service Catalog emulation (a package: state, one module per resource kind,
                  operations = the AWS operation table)
  rules         CloudFormation Rules (TEMPLATE constraints)
  automation    SSM Automation runner and execution API
  cfn_types     CloudFormation resource types moto lacks; unknown types fail; rollbacks
  cfn_update    stack updates as AWS runs them (property diff, order, replacement, cleanup);
                the stack-call log
  service_updates  UpdateCrawler / UpdateWorkGroup / UpdateResource on moto's backends
  lf_grantor    who may grant Lake Formation permissions
  crawler       Glue crawls that create tables
  patches       small corrections of moto's answers
  ssm_params    SSM parameters: LastModifiedUser = the writer's ARN; PutParameter refuses ARNs
"""
