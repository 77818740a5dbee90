namespace Gatehouse.Server.OAuth;

/// <summary>
/// Stable codes of the client management and decision APIs (GH50xx), listed in docs/errors.md.
/// The OAuth endpoints themselves answer with RFC 6749 error names instead.
/// </summary>
internal static class OAuthErrors
{
    public const string AppNotFound = "GH5001";
    public const string UnknownEnvironment = "GH5002";
    public const string ClientManagementForbidden = "GH5003";
    public const string ClientRequestInvalid = "GH5004";
    public const string PublicKeyInvalid = "GH5005";
    public const string ClientNotFound = "GH5006";
    public const string ClientAlreadyRevoked = "GH5007";
    public const string KeyAlreadyRegistered = "GH5008";
    public const string KeyNotFound = "GH5009";
    public const string DecisionBatchSize = "GH5010";
    public const string DecisionQueryIncomplete = "GH5011";
    public const string SecretRotationUnavailable = "GH5012";
    public const string SecretOverlapInvalid = "GH5013";
}
