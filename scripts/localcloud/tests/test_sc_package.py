"""The Service Catalog package (vendcloud/servicecatalog/): its operation table answers every
operation the old reflection-based dispatch answered, each handler says which AWS behaviour it
follows, and its modules import alone, without a cycle."""
import ast
import os
import subprocess
import sys

from vendcloud.servicecatalog import operations, state

PKG = os.path.join(os.path.dirname(__file__), "..", "vendcloud", "servicecatalog")
MODULES = sorted(f[:-3] for f in os.listdir(PKG) if f.endswith(".py") and f != "__init__.py")

# The 74 operations servicecatalog.py / sc_provision.py / sc_shares.py answered before the package.
EXPECTED = """
AcceptPortfolioShare AssociatePrincipalWithPortfolio AssociateProductWithPortfolio
AssociateServiceActionWithProvisioningArtifact AssociateTagOptionWithResource
BatchAssociateServiceActionWithProvisioningArtifact BatchDisassociateServiceActionFromProvisioningArtifact
CreateConstraint CreatePortfolio CreatePortfolioShare CreateProduct CreateProvisioningArtifact
CreateServiceAction CreateTagOption DeleteConstraint DeletePortfolio DeletePortfolioShare DeleteProduct
DeleteProvisioningArtifact DeleteServiceAction DeleteTagOption DescribeConstraint DescribePortfolio
DescribePortfolioShareStatus DescribePortfolioShares DescribeProduct DescribeProductAsAdmin
DescribeProductView DescribeProvisionedProduct DescribeProvisioningArtifact DescribeProvisioningParameters
DescribeRecord DescribeServiceAction DescribeServiceActionExecutionParameters DescribeTagOption
DisableAWSOrganizationsAccess DisassociatePrincipalFromPortfolio DisassociateProductFromPortfolio
DisassociateServiceActionFromProvisioningArtifact DisassociateTagOptionFromResource
EnableAWSOrganizationsAccess ExecuteProvisionedProductServiceAction GetAWSOrganizationsAccessStatus
GetProvisionedProductOutputs ListAcceptedPortfolioShares ListConstraintsForPortfolio ListLaunchPaths
ListOrganizationPortfolioAccess ListPortfolioAccess ListPortfolios ListPortfoliosForProduct
ListPrincipalsForPortfolio ListProvisioningArtifacts ListProvisioningArtifactsForServiceAction
ListRecordHistory ListResourcesForTagOption ListServiceActions ListServiceActionsForProvisioningArtifact
ListTagOptions ProvisionProduct RejectPortfolioShare ScanProvisionedProducts SearchProducts
SearchProductsAsAdmin SearchProvisionedProducts TerminateProvisionedProduct UpdateConstraint
UpdatePortfolio UpdatePortfolioShare UpdateProduct UpdateProvisionedProduct UpdateProvisioningArtifact
UpdateServiceAction UpdateTagOption
""".split()
# Added since (design note L4, plans.py): ExecuteProvisionedProductPlan still answers 501.
PLANS = "CreateProvisionedProductPlan DeleteProvisionedProductPlan DescribeProvisionedProductPlan " \
        "ListProvisionedProductPlans".split()


class Op:
    def __init__(self, name, service="servicecatalog"):
        self.name, self.service = name, service


def test_the_table_answers_every_operation_the_old_dispatch_answered():
    assert len(EXPECTED) == 74
    assert sorted(operations.OPERATIONS) == sorted(EXPECTED + PLANS)
    for name in EXPECTED + PLANS:
        assert operations.handler_for(Op(name)) is operations.OPERATIONS[name]
    assert operations.handler_for(Op("ListPortfolios", "s3")) is None
    assert operations.handler_for(Op("CopyProduct")).__name__ == "unimplemented"
    assert operations.handler_for(Op("ExecuteProvisionedProductPlan")).__name__ == "unimplemented"


def test_each_handler_names_the_aws_behaviour_it_follows():
    for name, fn in operations.OPERATIONS.items():
        assert fn.__doc__ and fn.__doc__.startswith(f"AWS Service Catalog API Reference, {name}:"), name


def test_the_state_is_one_object_emptied_by_reset():
    cat = state.catalog()
    assert isinstance(cat, state.CatalogState) and state.catalog() is cat
    lock = cat.lock
    cat.store("999999999999", "eu-west-3")
    state.reset()
    assert cat.lock is lock
    assert ("999999999999", "eu-west-3") not in cat.stores


def _imports(module):
    """Package modules a module imports at its top level (from . import x / from .x import y)."""
    tree = ast.parse(open(os.path.join(PKG, module + ".py")).read())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out.update([node.module] if node.module else [a.name for a in node.names])
    return out & set(MODULES)


def test_no_import_cycle_between_the_modules():
    done, visiting = set(), []

    def visit(m):
        assert m not in visiting, "import cycle: " + " -> ".join(visiting + [m])
        if m in done:
            return
        visiting.append(m)
        for dep in _imports(m):
            visit(dep)
        visiting.pop()
        done.add(m)
    for m in MODULES:
        visit(m)


def test_each_module_imports_alone():
    root = os.path.join(os.path.dirname(__file__), "..")
    # a fresh interpreter per module (run side by side), so no earlier import hides a cycle
    runs = {m: subprocess.Popen([sys.executable, "-c", f"import vendcloud.servicecatalog.{m}"], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for m in MODULES}
    for m, p in runs.items():
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, f"{m}: {err[-2000:]}"
