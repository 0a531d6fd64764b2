/// Why a publish, a share or a remote verify did not complete, as data.
public enum PublishError: EngineFailure, Equatable {
    /// Refused by policy (immutable versions, quotas): nothing was changed.
    case refused([PublishRefusal])
    /// The artifact bucket is missing (bootstrap makes it).
    case artifactBucketMissing(bucket: String, region: String)
    /// Service Catalog answered a create without the id vend needs (`what`: e.g. "a product id for X").
    case incompleteAnswer(operation: String, missing: String, findsBy: String)
    /// After publishing, a product or version has no id.
    case noIdAfterPublishing(product: String, version: String)
    /// Two products in the account carry a name vend manages.
    case duplicateProducts(name: String)
    /// A version's template was rejected (provisioning artifact FAILED).
    case versionFailed(product: String, version: String, templateKey: String)
    /// A version did not become AVAILABLE in time.
    case versionNotAvailableYet(product: String, version: String)
    /// A portfolio share ended in error.
    case shareFailed(target: String, status: String, errors: [String])
    /// A portfolio share did not finish in time.
    case shareTimedOut(target: String)
    /// A bundle built for publish is missing or unreadable.
    case bundleUnreadable(path: String, why: String)
    /// No bundle was built for a product.
    case bundleMissing(product: String)
    /// `vend verify` got something that is not `s3://bucket/key`.
    case notAnS3URL(String)
    /// `vend verify` could not stage the download.
    case cannotStage(path: String, url: String, why: String)
    /// The downloaded bundle names a product or version the catalog does not have.
    case notPublished(url: String, product: String, version: String, productExists: Bool)
    /// The downloaded bundle's digest is not the live version's.
    case digestMismatch(url: String, product: String, version: String, versionId: String, bundle: String, live: String?)
    /// An invariant of vend's own plan broke (a bug in vend, not in the input).
    case internalInvariant(String)

    /// What happened: why.
    public var description: String {
        switch self {
        case let .refused(refusals):
            return "publish refused, nothing was changed:\n" + refusals.map { "  " + $0.message }.joined(separator: "\n")
        case let .artifactBucketMissing(bucket, region):
            return "the artifact bucket \(bucket) does not exist in \(region): it holds the templates Service Catalog reads"
        case let .incompleteAnswer(operation, missing, _):
            return "Service Catalog \(operation) answered without \(missing): the answer was incomplete"
        case let .noIdAfterPublishing(product, version):
            return "\(product) \(version) has no product or version id after publishing"
        case let .duplicateProducts(name):
            return "the central account holds two products named \"\(name)\": vend cannot tell which one is the product"
        case let .versionFailed(product, version, templateKey):
            return "\(product) \(version) failed to become available (template \(templateKey) rejected by Service Catalog)"
        case let .versionNotAvailableYet(product, version):
            return "\(product) \(version) is still not AVAILABLE after waiting"
        case let .shareFailed(target, status, errors):
            return "sharing the portfolio with \(target) ended \(status): \(errors.joined(separator: "; "))"
        case let .shareTimedOut(target):
            return "sharing the portfolio with \(target) did not complete in time"
        case let .bundleUnreadable(path, why):
            return "cannot read back \(path): \(why)"
        case let .bundleMissing(product):
            return "no bundle for \(product)"
        case let .notAnS3URL(url):
            return "\"\(url)\" is not an s3://bucket/key URL"
        case let .cannotStage(path, url, why):
            return "cannot write \(path) to verify \(url): \(why)"
        case let .notPublished(url, product, version, productExists):
            return productExists
                ? "\(url) is a bundle of \(product) \(version), but that version is not published"
                : "\(url) is a bundle of \(product) \(version), but the catalog has no product \(product)"
        case let .digestMismatch(url, product, version, versionId, bundle, live):
            return "\(url) has digest \(bundle), but the live \(product) \(version) (\(versionId)) carries \(live ?? "no digest")"
        case let .internalInvariant(text):
            return "internal: \(text)"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .refused: return nil
        case .artifactBucketMissing: return .run(.bootstrap, " first")
        case let .incompleteAnswer(_, _, findsBy): return .rerun(.publish, ", which finds it by \(findsBy)")
        case .noIdAfterPublishing: return .rerun(.publish)
        case .duplicateProducts: return .advice("delete the duplicate")
        case .versionFailed: return .command("check the template with", .validate, " and cfn-lint")
        case .versionNotAvailableYet: return .rerun(.publish, " to resume")
        case .shareFailed: return .command("fix the cause and re-run", .share, "")
        case .shareTimedOut: return .rerun(.share, " to check again")
        case .bundleUnreadable: return .advice("check the output folder")
        case .bundleMissing: return .run(.build)
        case .notAnS3URL: return .advice("name the bundle's object, e.g. s3://vend-artifacts-…/vend/bundles/…tar.gz")
        case .cannotStage: return .advice("check the temporary folder")
        case let .notPublished(_, _, _, productExists): return .advice(productExists ? "publish it or check the URL" : "it was never published here")
        case .digestMismatch: return .advice("this is not the bundle that version was published from")
        case .internalInvariant: return .advice("report this as a bug in vend")
        }
    }
}

/// Why `bootstrap` did not complete, as data.
public enum BootstrapError: EngineFailure, Equatable {
    /// vend.yaml's LF tag keys are not the baseline template's.
    case tagKeysMismatch(keys: [String], template: [String])
    /// More Lake Formation admins than the baseline allows.
    case tooManyAdmins(admins: [String], max: Int)
    /// The baseline template is not UTF-8.
    case templateNotUTF8(path: String)
    /// The stack is busy with another operation.
    case stackBusy(stack: String, status: String)
    /// The stack vanished while vend waited for it.
    case stackDisappeared(stack: String)
    /// The stack ended in a failed state.
    case stackFailed(stack: String, status: String, reason: String?, failures: [String])
    /// The stack did not finish in time.
    case stackTimedOut(stack: String)

    /// What happened: why.
    public var description: String {
        switch self {
        case let .tagKeysMismatch(keys, template):
            return "vend.yaml lakeFormation.tags has keys \(keys.joined(separator: ", ")), but baseline/central-baseline.yaml defines exactly \(template.joined(separator: " and "))"
        case let .tooManyAdmins(admins, max):
            return "Lake Formation would have \(admins.count) admins (\(admins.joined(separator: ", "))), more than the baseline's \(max)"
        case let .templateNotUTF8(path): return "\(path) is not UTF-8"
        case let .stackBusy(stack, status): return "\(stack) is \(status)"
        case let .stackDisappeared(stack): return "\(stack) disappeared while waiting"
        case let .stackFailed(stack, status, reason, failures):
            return "\(stack) ended \(status)\(reason.map { " (\($0))" } ?? ""): \(failures.joined(separator: "; "))"
        case let .stackTimedOut(stack): return "\(stack) did not finish in time"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .tagKeysMismatch: return .advice("use those keys or extend the baseline template")
        case .tooManyAdmins: return .advice("remove admins you no longer need in the Lake Formation console, then re-run")
        case .templateNotUTF8: return .advice("save it as UTF-8")
        case .stackBusy: return .command("wait for it to finish, then re-run", .bootstrap, "")
        case .stackDisappeared: return .rerun(.bootstrap)
        case .stackFailed: return .command("fix the cause and re-run", .bootstrap, "")
        case .stackTimedOut: return .command("check it in the CloudFormation console, then re-run", .bootstrap, "")
        }
    }
}
