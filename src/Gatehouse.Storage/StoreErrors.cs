namespace Gatehouse.Storage;

/// <summary>
/// Stable codes of the store's expected refusals: GH41xx workflow, GH51xx tokens (the server's
/// own HTTP-level codes are GH40xx, OAuth's GH50xx, the portal's GH49xx). A code never changes
/// meaning once released; the message says what to do.
/// </summary>
public static class StoreErrors
{
    public const string OrganisationMissing = "GH4101";
    public const string OrganisationForbidden = "GH4102";

    public const string PushForbidden = "GH4110";
    public const string DuplicateApp = "GH4111";
    public const string UnknownScope = "GH4112";
    public const string UnknownEnvironment = "GH4113";
    public const string ScopeInUse = "GH4114";
    public const string OwnersChangeForbidden = "GH4115";

    public const string RequestNotFound = "GH4120";
    public const string DecisionForbidden = "GH4121";
    public const string OwnRequest = "GH4122";
    public const string RequestNotPending = "GH4123";
    public const string AlreadyApproved = "GH4124";
    public const string CommentRequired = "GH4125";
    public const string BehindRequest = "GH4126";
    public const string BootstrapRestricted = "GH4127";
    public const string OwnerApprovalMissing = "GH4128";

    public const string GrantNotFound = "GH4130";
    public const string RevokeForbidden = "GH4131";
    public const string GrantNotActive = "GH4132";

    // Grant lifetime (ADR 0023); GH4160 is the server's endingWithinDays.
    public const string GrantWouldBeExpired = "GH4161";

    // GH4250-GH4252: environment policies (ADR 0031).
    public const string PromotionRequired = "GH4250";
    public const string EnvironmentFrozen = "GH4251";
    public const string EmergencyRefused = "GH4252";

    // GH4253-GH4258: access reviews (ADR 0032).
    public const string ReviewForbidden = "GH4253";
    public const string ReviewNotFound = "GH4254";
    public const string ReviewClosed = "GH4255";
    public const string ReviewItemNotFound = "GH4256";
    public const string ReviewOwnGrant = "GH4257";
    public const string ReviewInvalid = "GH4258";

    public const string AuditCheckpointUnreadable = "GH4140";
    public const string AuditCheckpointForeign = "GH4141";
    public const string AuditCheckpointSignature = "GH4142";
    public const string AuditChainBroken = "GH4143";
    public const string AuditQueryInvalid = "GH4144";

    public const string TokenSubjectNotFound = "GH5101";
    public const string TokenForbidden = "GH5102";
    public const string TokenExpiryInvalid = "GH5103";
    public const string TokenNotFound = "GH5104";
    public const string TokenAlreadyRevoked = "GH5105";
}
