import Foundation

/// Athena shapes, with AWS's member names (only the members vend reads or sends).
public enum Athena {
    /// `WorkGroup`.
    public struct WorkGroup: Codable, Sendable, Equatable {
        /// `Name`.
        public var Name: String?
        /// `State` (ENABLED / DISABLED).
        public var State: String?
        /// `Configuration`.
        public var Configuration: WorkGroupConfiguration?
    }

    /// `WorkGroupConfiguration`.
    public struct WorkGroupConfiguration: Codable, Sendable, Equatable {
        /// `ResultConfiguration`.
        public var ResultConfiguration: ResultConfiguration?
        /// `EnforceWorkGroupConfiguration`.
        public var EnforceWorkGroupConfiguration: Bool?
    }

    /// `ResultConfiguration`.
    public struct ResultConfiguration: Codable, Sendable, Equatable {
        /// `OutputLocation`.
        public var OutputLocation: String?
    }

    /// `StartQueryExecutionInput` (the workgroup's enforced result location applies, so none is sent).
    public struct StartQueryExecutionInput: Encodable, Sendable, Equatable {
        /// `QueryString`.
        public var QueryString: String
        /// `QueryExecutionContext`.
        public var QueryExecutionContext: QueryExecutionContext?
        /// `WorkGroup`.
        public var WorkGroup: String?
        /// `ClientRequestToken` (32–128 characters).
        public var ClientRequestToken: String?

        /// Creates the input.
        public init(QueryString: String, QueryExecutionContext: QueryExecutionContext? = nil, WorkGroup: String? = nil, ClientRequestToken: String? = nil) {
            self.QueryString = QueryString
            self.QueryExecutionContext = QueryExecutionContext
            self.WorkGroup = WorkGroup
            self.ClientRequestToken = ClientRequestToken
        }
    }

    /// `QueryExecutionContext`.
    public struct QueryExecutionContext: Codable, Sendable, Equatable {
        /// `Database`.
        public var Database: String?
        /// `Catalog` (`AwsDataCatalog`: the caller's Glue catalog).
        public var Catalog: String?

        /// Creates a context.
        public init(Database: String? = nil, Catalog: String? = nil) {
            self.Database = Database
            self.Catalog = Catalog
        }
    }

    /// `QueryExecution`.
    public struct QueryExecution: Codable, Sendable, Equatable {
        /// `QueryExecutionId`.
        public var QueryExecutionId: String?
        /// `Status`.
        public var Status: QueryExecutionStatus?
    }

    /// `QueryExecutionStatus`.
    public struct QueryExecutionStatus: Codable, Sendable, Equatable {
        /// `State`: QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED.
        public var State: String?
        /// `StateChangeReason`: why it failed.
        public var StateChangeReason: String?
        /// `AthenaError`.
        public var AthenaError: AthenaError?
    }

    /// `AthenaError`.
    public struct AthenaError: Codable, Sendable, Equatable {
        /// `ErrorCategory` (1 system, 2 user, 3 other).
        public var ErrorCategory: Int?
        /// `ErrorMessage`.
        public var ErrorMessage: String?
    }

    /// `GetQueryResultsOutput`.
    public struct QueryResultsPage: Codable, Sendable, Equatable {
        /// `ResultSet`.
        public var ResultSet: ResultSet?
        /// `NextToken`.
        public var NextToken: String?
    }

    /// `ResultSet`.
    public struct ResultSet: Codable, Sendable, Equatable {
        /// `Rows`.
        public var Rows: [Row]?
    }

    /// `Row`.
    public struct Row: Codable, Sendable, Equatable {
        /// `Data`.
        public var Data: [Datum]?
    }

    /// `Datum`.
    public struct Datum: Codable, Sendable, Equatable {
        /// `VarCharValue`.
        public var VarCharValue: String?
    }
}
