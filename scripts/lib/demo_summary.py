"""The end of scripts/demo: what exists now in which account, read back from the local cloud.

Usage: python demo_summary.py   (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name the local
cloud's profiles: central, producer, consumer)
"""
import boto3


def provisioned(session):
    catalog = session.client("servicecatalog")
    found = catalog.search_provisioned_products(AccessLevelFilter={"Key": "Account", "Value": "self"})
    rows = []
    for product in found.get("ProvisionedProducts", []):
        outputs = {}
        try:
            answer = catalog.get_provisioned_product_outputs(ProvisionedProductId=product["Id"])
            outputs = {o["OutputKey"]: o["OutputValue"] for o in answer.get("Outputs", [])}
        except Exception:  # an error state has no outputs: show the product anyway
            pass
        rows.append((product["Name"], product.get("ProvisioningArtifactName", "?"), product.get("Status", "?"), outputs))
    return sorted(rows)


def main():
    print("\ndemo: what exists now")
    for profile in ("central", "producer", "consumer"):
        session = boto3.Session(profile_name=profile)
        account = session.client("sts").get_caller_identity()["Account"]
        print(f"  {profile} {account}")
        if profile == "central":
            catalog = session.client("servicecatalog")
            for portfolio in catalog.list_portfolios().get("PortfolioDetails", []):
                products = catalog.search_products_as_admin(PortfolioId=portfolio["Id"]).get("ProductViewDetails", [])
                print(f"    portfolio {portfolio['DisplayName']}: {len(products)} product(s)")
        for name, version, status, outputs in provisioned(session):
            shown = ", ".join(f"{k}={v}" for k, v in sorted(outputs.items()) if k in
                              ("BucketName", "DatabaseName", "WorkGroupName", "ResourceLinkName", "ResultsBucketName"))
            print(f"    provisioned {name} {version} {status}" + (f" ({shown})" if shown else ""))
        if profile == "central":
            # one crawler per data source (add-source), plus the registration's own
            for crawler in sorted(session.client("glue").get_crawlers().get("Crawlers", []), key=lambda c: c["Name"]):
                paths = [t["Path"] for t in crawler.get("Targets", {}).get("S3Targets", [])]
                print(f"    crawler {crawler['Name']} -> database {crawler.get('DatabaseName', '?')}, {', '.join(paths)}")


if __name__ == "__main__":
    main()
