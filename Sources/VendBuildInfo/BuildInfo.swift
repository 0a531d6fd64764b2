/// What this build of vend is: its semantic version and the checkout it was built from.
public enum BuildInfo {
    /// `git describe --tags --always --dirty` of the checkout at build time (written by the
    /// GitDescribe plugin), or "unknown" when built outside a git checkout.
    public static var gitDescribe: String { gitDescribeAtBuild() }
}
