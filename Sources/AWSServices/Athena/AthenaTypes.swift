import Foundation

/// Athena shapes, with AWS's member names (only the members vend reads).
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
}
