import VendBuildInfo

/// vend's own version, written into every bundle manifest.
public enum VendVersion {
    /// The semantic version of this build of vend.
    public static let semantic = "0.1.0"
    /// What `vend --version` prints: the semantic version and the checkout it was built from.
    public static var description: String { "vend \(semantic) (git \(BuildInfo.gitDescribe))" }
}
