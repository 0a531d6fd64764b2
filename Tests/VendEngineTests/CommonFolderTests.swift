import Testing
@testable import VendEngine

/// The folder a listing of the artifact bucket starts from.
@Suite struct CommonFolderTests {
    @Test func theLongestFolderEveryKeyIsUnder() {
        #expect(CatalogReader.commonFolder(of: ["bundles/a/x.tar.gz", "bundles/a/y.tar.gz"]) == "bundles/a/")
        #expect(CatalogReader.commonFolder(of: ["bundles/ab/x", "bundles/ac/y"]) == "bundles/", "a shared name prefix is not a folder")
        #expect(CatalogReader.commonFolder(of: ["bundles/a/x", "templates/a/x"]) == "")
        #expect(CatalogReader.commonFolder(of: ["bundles/a/x"]) == "bundles/a/")
        #expect(CatalogReader.commonFolder(of: ["x.tar.gz"]) == "")
        #expect(CatalogReader.commonFolder(of: []) == "")
        #expect(CatalogReader.commonFolder(of: ["ünï/ሴ/a", "ünï/ሴ/b", "ünï/c"]) == "ünï/")
    }

    @Test func theLongestTextEveryNameStartsWith() {
        #expect(CatalogReader.commonPrefix(of: ["vend-a-X", "vend-ab-X"]) == "vend-a")
        #expect(CatalogReader.commonPrefix(of: ["vend-a", "other"]) == "")
        #expect(CatalogReader.commonPrefix(of: ["same", "same"]) == "same")
        #expect(CatalogReader.commonPrefix(of: []) == "")
    }
}
