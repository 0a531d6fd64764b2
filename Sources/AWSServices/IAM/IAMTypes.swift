import Foundation

/// IAM's shapes, with AWS's member names.
public enum IAM {
    /// A role.
    public struct Role: Sendable, Equatable, Codable {
        /// `RoleName`.
        public var RoleName: String
        /// `RoleId`.
        public var RoleId: String?
        /// `Arn`.
        public var Arn: String
        /// `Path`.
        public var Path: String?
        /// The trust policy, URL-decoded JSON.
        public var AssumeRolePolicyDocument: String?
        /// `Description`.
        public var Description: String?
        /// `MaxSessionDuration`.
        public var MaxSessionDuration: Int?
    }
}
