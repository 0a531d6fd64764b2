import AWSCore
import AWSServices
import Foundation
import Testing

/// Service Catalog reads and a few writes, accepted by the local cloud's model and signature checks.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason))
struct ServiceCatalogIntegrationTests {
    @Test func readsAcceptedForEveryProfile() async throws {
        for profile in ["central", "producer", "consumer"] {
            let sc = try LocalCloudProfiles.clients(profile).serviceCatalog
            _ = try await sc.allPortfolios()
            _ = try await sc.allAcceptedPortfolioShares()
            _ = try await sc.allProvisionedProducts()
            _ = try await sc.allTagOptions()
            _ = try await sc.allServiceActions()
            _ = try await sc.listRecordHistory(ServiceCatalog.ListRecordHistoryInput(PageSize: 20))
        }
    }

    @Test func portfolioProductTagOptionAndShareRoundTrip() async throws {
        let sc = try LocalCloudProfiles.clients("central").serviceCatalog
        let name = LocalCloudProfiles.unique("vend-it")
        let created = try await sc.createPortfolio(ServiceCatalog.CreatePortfolioInput(
            DisplayName: name, Description: "integration", ProviderName: "vend", Tags: [ServiceCatalog.Tag(Key: "vend:test", Value: "1")], IdempotencyToken: name))
        let portfolioId = try #require(created.PortfolioDetail?.Id)
        // Same token: the same portfolio, not a second one.
        let again = try await sc.createPortfolio(ServiceCatalog.CreatePortfolioInput(DisplayName: name, ProviderName: "vend", IdempotencyToken: name))
        #expect(again.PortfolioDetail?.Id == portfolioId)
        let described = try await sc.describePortfolio(ServiceCatalog.DescribePortfolioInput(Id: portfolioId))
        #expect(described.PortfolioDetail?.DisplayName == name)
        #expect(try await sc.allPortfolios().contains { $0.Id == portfolioId })

        let option = try await sc.createTagOption(ServiceCatalog.CreateTagOptionInput(Key: "vend-domain", Value: name))
        let optionId = try #require(option.TagOptionDetail?.Id)
        _ = try await sc.associateTagOptionWithResource(ServiceCatalog.AssociateTagOptionWithResourceInput(ResourceId: portfolioId, TagOptionId: optionId))

        _ = try await sc.createPortfolioShare(ServiceCatalog.CreatePortfolioShareInput(PortfolioId: portfolioId, AccountId: "222222222222"))
        #expect(try await sc.allPortfolioAccess(portfolioId: portfolioId).contains("222222222222"))
        _ = try await sc.deletePortfolioShare(ServiceCatalog.DeletePortfolioShareInput(PortfolioId: portfolioId, AccountId: "222222222222"))
        _ = try await sc.disassociateTagOptionFromResource(ServiceCatalog.DisassociateTagOptionFromResourceInput(ResourceId: portfolioId, TagOptionId: optionId))
        _ = try await sc.deletePortfolio(ServiceCatalog.DeletePortfolioInput(Id: portfolioId))
    }

    @Test func unknownIdsAreServiceErrors() async throws {
        let sc = try LocalCloudProfiles.clients("central").serviceCatalog
        await #expect(throws: AWSServiceError.self) {
            _ = try await sc.describeProductAsAdmin(ServiceCatalog.DescribeProductAsAdminInput(Id: "prod-doesnotexist1"))
        }
    }
}
