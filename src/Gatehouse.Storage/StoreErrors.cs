namespace Gatehouse.Storage;

/// <summary>
/// Stable codes of the store's expected refusals (GH40xx workflow, GH50xx tokens). A code never
/// changes meaning once released; the message says what to do.
/// </summary>
public static class StoreErrors
{
    public const string OrganisationMissing = "GH4001";
    public const string OrganisationForbidden = "GH4002";

    public const string PushForbidden = "GH4010";
    public const string DuplicateApp = "GH4011";
    public const string UnknownScope = "GH4012";
    public const string UnknownEnvironment = "GH4013";
    public const string ScopeInUse = "GH4014";

    public const string RequestNotFound = "GH4020";
    public const string DecisionForbidden = "GH4021";
    public const string OwnRequest = "GH4022";
    public const string RequestNotPending = "GH4023";
    public const string AlreadyApproved = "GH4024";
    public const string CommentRequired = "GH4025";

    public const string GrantNotFound = "GH4030";
    public const string RevokeForbidden = "GH4031";
    public const string GrantNotActive = "GH4032";

    public const string TokenSubjectNotFound = "GH5001";
    public const string TokenForbidden = "GH5002";
    public const string TokenExpiryInvalid = "GH5003";
    public const string TokenNotFound = "GH5004";
    public const string TokenAlreadyRevoked = "GH5005";
}
