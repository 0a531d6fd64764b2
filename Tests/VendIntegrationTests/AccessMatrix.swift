/// The security matrix's expected cells, written from the AWS Lake Formation Developer Guide
/// before any query ran, one citation per cell. The mesh is vend's (publish, launch-producer with
/// sample data, add-source orders / customers / products, launch-consumer with role/Analyst) plus
/// the setups vend never makes that `AccessMatrixTests.setUpExtras` adds with the AWS CLI:
/// - central grants the consumer account, by name and with the grant option, SELECT on retail.orders
///   and on two columns of retail.customers;
/// - role/Direct (consumer): DESCRIBE on the link, SELECT on central retail.orders by name;
/// - role/Columns (consumer): DESCRIBE on the link, SELECT on those two columns of central retail.customers;
/// - central retail.products carries its own LF-Tag domain=analytics, overriding its database's domain=retail;
/// - central grants IAM_ALLOWED_PRINCIPALS ALL on retail.customers;
/// - the consumer's data lake admin (its launch role) grants itself SELECT on central retail.orders.
/// A second producer domain, sales (its table payments), and a second consumer domain in the
/// consumer account, marketing, which reads sales with role/MarketingAnalyst, give the rows of a
/// consumer that reads another domain than the analyst's, and the column of another domain's table.
enum AccessMatrix {
    /// The AWS pages the cells follow.
    enum Page {
        static let link = "https://docs.aws.amazon.com/lake-formation/latest/dg/granting-link-permissions.html"
        static let crossAccount = "https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-read-data.html"
        static let tags = "https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html"
        static let inherit = "https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html"
        static let named = "https://docs.aws.amazon.com/lake-formation/latest/dg/granting-table-permissions.html"
        static let columns = "https://docs.aws.amazon.com/lake-formation/latest/dg/data-filtering.html"
        static let implicit = "https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html"
        static let iamAllowed = "https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html"
        static let athena = "https://docs.aws.amazon.com/athena/latest/ug/security-athena-lake-formation.html"
    }

    /// Where a principal queries from.
    enum Home: String { case central, producer, consumer }

    /// One row: a principal and how the test reaches it.
    struct Principal {
        /// The role's name (its ARN is built from the home account).
        let role: String
        /// Its account.
        let home: Home
        var account: String { ["central": "111111111111", "producer": "222222222222", "consumer": "333333333333"][home.rawValue] ?? "" }
        var arn: String { "arn:aws:iam::\(account):role/\(role)" }
        /// One of the roles vend's products make (the others the test creates).
        var isVends: Bool { role.hasPrefix("Vend") || role.hasPrefix("vend-") }
    }

    /// One expected cell.
    struct Cell {
        let principal: Principal
        let table: String
        let allowed: Bool
        /// Why, with the page it follows.
        let why: String
    }

    static let analyst = Principal(role: "Analyst", home: .consumer)
    static let other = Principal(role: "Other", home: .consumer)
    static let direct = Principal(role: "Direct", home: .consumer)
    static let columns = Principal(role: "Columns", home: .consumer)
    static let consumerAdmin = Principal(role: "VendConsumerOnboardingLaunchRole", home: .consumer)
    static let producerLaunch = Principal(role: "VendProducerOnboardingLaunchRole", home: .producer)
    static let producerEngineer = Principal(role: "Engineer", home: .producer)
    static let centralVend = Principal(role: "VendProducerRegistrationLaunchRole", home: .central)
    static let crawler = Principal(role: "vend-crawler-retail", home: .central)
    static let centralReader = Principal(role: "Reader", home: .central)
    static let marketing = Principal(role: "MarketingAnalyst", home: .consumer)

    /// Each table's producer domain (its central database and the link a consumer reads it through).
    static let domains = ["customers": "retail", "orders": "retail", "products": "retail", "payments": "sales"]
    /// The tables, in column order.
    static let tables = ["customers", "orders", "products", "payments"]

    /// The columns role/Columns is granted on retail.customers.
    static let grantedColumns = ["customer_id", "country"]

    /// Every cell, principal by principal.
    static let cells: [Cell] = [
        // vend's analyst: DESCRIBE on the link, the account's and its own tag policy (domain=retail, central catalog id).
        Cell(principal: analyst, table: "customers", allowed: true, why: "link DESCRIBE (\(Page.link)) + account grant and re-grant by tag policy with the central catalog id (\(Page.crossAccount), \(Page.tags)) + registered location (\(Page.athena))"),
        Cell(principal: analyst, table: "orders", allowed: true, why: "as customers: vend's chain (\(Page.link), \(Page.crossAccount), \(Page.tags))"),
        Cell(principal: analyst, table: "products", allowed: false, why: "the table's own domain=analytics overrides the database's domain=retail (\(Page.inherit)), so no domain=retail policy matches it (\(Page.tags))"),
        // Another role of the consumer account: nothing granted.
        Cell(principal: other, table: "customers", allowed: false, why: "no DESCRIBE on the resource link (\(Page.link))"),
        Cell(principal: other, table: "orders", allowed: false, why: "no DESCRIBE on the resource link (\(Page.link))"),
        Cell(principal: other, table: "products", allowed: false, why: "no DESCRIBE on the resource link (\(Page.link))"),
        // A direct (named) table grant on orders.
        Cell(principal: direct, table: "customers", allowed: false, why: "its named grant is on orders only (\(Page.named))"),
        Cell(principal: direct, table: "orders", allowed: true, why: "link DESCRIBE + named SELECT on the target with the central catalog id, within the account's grant (\(Page.named), \(Page.crossAccount))"),
        Cell(principal: direct, table: "products", allowed: false, why: "its named grant is on orders only (\(Page.named))"),
        // A column grant on customers.
        Cell(principal: columns, table: "customers", allowed: true, why: "a TableWithColumns grant lets it read the granted columns only (\(Page.columns), \(Page.crossAccount))"),
        Cell(principal: columns, table: "orders", allowed: false, why: "its column grant is on customers only (\(Page.columns))"),
        Cell(principal: columns, table: "products", allowed: false, why: "its column grant is on customers only (\(Page.columns))"),
        // The consumer's data lake admin: implicit DESCRIBE, no implicit SELECT; it granted itself orders.
        Cell(principal: consumerAdmin, table: "customers", allowed: false, why: "admins have DESCRIBE, not SELECT, until they grant themselves (\(Page.implicit))"),
        Cell(principal: consumerAdmin, table: "orders", allowed: true, why: "an admin may grant itself (\(Page.implicit)), within the account's grant (\(Page.crossAccount))"),
        Cell(principal: consumerAdmin, table: "products", allowed: false, why: "no self-grant on products, and the account grant misses it (\(Page.implicit), \(Page.inherit))"),
        // The producer account: granted as an account by producer-registration, never re-granted to a principal.
        Cell(principal: producerLaunch, table: "customers", allowed: false, why: "an account grant alone lets no principal read: no re-grant (\(Page.crossAccount))"),
        Cell(principal: producerLaunch, table: "orders", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        Cell(principal: producerLaunch, table: "products", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        Cell(principal: producerEngineer, table: "customers", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        Cell(principal: producerEngineer, table: "orders", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        Cell(principal: producerEngineer, table: "products", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        // vend's central role: a data lake admin (and the database's creator) without SELECT.
        Cell(principal: centralVend, table: "customers", allowed: true, why: "IAMAllowedPrincipals on customers: IAM decides for the owning account's principals (\(Page.iamAllowed))"),
        Cell(principal: centralVend, table: "orders", allowed: false, why: "admins and database creators get no implicit SELECT on tables others created (\(Page.implicit))"),
        Cell(principal: centralVend, table: "products", allowed: false, why: "admins and database creators get no implicit SELECT on tables others created (\(Page.implicit))"),
        // The crawler role created every table.
        Cell(principal: crawler, table: "customers", allowed: true, why: "table creators have all permissions on tables they create (\(Page.implicit))"),
        Cell(principal: crawler, table: "orders", allowed: true, why: "table creators have all permissions on tables they create (\(Page.implicit))"),
        Cell(principal: crawler, table: "products", allowed: true, why: "the creator's implicit permissions do not depend on LF-Tags (\(Page.implicit))"),
        // Another central role.
        Cell(principal: centralReader, table: "customers", allowed: true, why: "IAMAllowedPrincipals on customers (\(Page.iamAllowed))"),
        Cell(principal: centralReader, table: "orders", allowed: false, why: "no grant; Lake Formation governs (empty IAM-only defaults) (\(Page.iamAllowed))"),
        Cell(principal: centralReader, table: "products", allowed: false, why: "no grant; Lake Formation governs (empty IAM-only defaults) (\(Page.iamAllowed))"),
        // The sales domain's table payments: no principal above holds a grant that reaches it.
        Cell(principal: analyst, table: "payments", allowed: false, why: "the analyst's grants are on retail_link and the domain=retail policy; nothing on sales_link (\(Page.link)) nor a domain=sales policy (\(Page.tags))"),
        Cell(principal: other, table: "payments", allowed: false, why: "no DESCRIBE on the resource link (\(Page.link))"),
        Cell(principal: direct, table: "payments", allowed: false, why: "its named grant is on retail.orders only (\(Page.named))"),
        Cell(principal: columns, table: "payments", allowed: false, why: "its column grant is on retail.customers only (\(Page.columns))"),
        Cell(principal: consumerAdmin, table: "payments", allowed: false, why: "admins have DESCRIBE, not SELECT, until they grant themselves (\(Page.implicit))"),
        Cell(principal: producerLaunch, table: "payments", allowed: false, why: "an account grant alone lets no principal read: no re-grant (\(Page.crossAccount))"),
        Cell(principal: producerEngineer, table: "payments", allowed: false, why: "no re-grant by the producer's admin (\(Page.crossAccount))"),
        Cell(principal: centralVend, table: "payments", allowed: false, why: "admins and database creators get no implicit SELECT on tables others created (\(Page.implicit))"),
        Cell(principal: crawler, table: "payments", allowed: false, why: "vend-crawler-sales created payments; the retail crawler holds nothing on the sales database (\(Page.implicit))"),
        Cell(principal: centralReader, table: "payments", allowed: false, why: "no grant; Lake Formation governs (empty IAM-only defaults) (\(Page.iamAllowed))"),
        // A consumer that reads another domain: marketing's analyst, granted on sales by vend's chain, nothing on retail.
        Cell(principal: marketing, table: "customers", allowed: false, why: "no DESCRIBE on retail_link: its link grant is on sales_link (\(Page.link))"),
        Cell(principal: marketing, table: "orders", allowed: false, why: "no DESCRIBE on retail_link (\(Page.link)); its policy is domain=sales (\(Page.tags))"),
        Cell(principal: marketing, table: "products", allowed: false, why: "no DESCRIBE on retail_link (\(Page.link))"),
        Cell(principal: marketing, table: "payments", allowed: true, why: "DESCRIBE on sales_link + the account's and its own domain=sales tag policy with the central catalog id (\(Page.link), \(Page.crossAccount), \(Page.tags)) + registered location (\(Page.athena))"),
    ]

    /// The rows, in order.
    static var principals: [Principal] {
        var seen = Set<String>()
        return cells.map(\.principal).filter { seen.insert($0.arn).inserted }
    }
}
