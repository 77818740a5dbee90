namespace Gatehouse.Server.Api;

/// <summary>
/// Stable codes of refusals made by the HTTP layer itself (GH40xx); the store's own refusals
/// keep their GH41xx/GH51xx codes (Gatehouse.Storage.StoreErrors). Listed in docs/errors.md.
/// </summary>
internal static class ApiErrors
{
    public const string Unexpected = "GH4000";
    public const string AuthenticationRequired = "GH4001";
    public const string Forbidden = "GH4002";
    public const string IdempotencyKeyInvalid = "GH4003";
    public const string IdempotencyKeyReused = "GH4004";
    public const string HostNotServed = "GH4005";
    public const string RouteNotFound = "GH4006";
    public const string MethodNotAllowed = "GH4007";
    public const string BodyNotValidJson = "GH4008";
    public const string BodyNotJson = "GH4009";
    public const string BodyTooLarge = "GH4010";
    public const string AppNotFound = "GH4011";
    public const string UnknownRequestState = "GH4012";
    public const string ConsistencyInvalid = "GH4013";
    public const string EnvironmentRequired = "GH4020";
    public const string TooManyNeeds = "GH4021";
    public const string DeployTokenForeignApp = "GH4022";
    public const string NeedIncomplete = "GH4023";
    public const string TokenRequestInvalid = "GH4030";
    public const string FilesHaveErrors = "GH4040";
    public const string TooManyFiles = "GH4041";
    public const string FileIncomplete = "GH4042";
    public const string InvalidName = "GH4043";
    public const string TooManyRequests = "GH4044";
    public const string DatabaseUnreachable = "GH4090";

    // Grant lifetime (ADR 0023).
    public const string EndingWithinInvalid = "GH4160";

    // The summary answer of plan and push (ADR 0038).
    public const string ChangeLimitInvalid = "GH4270";
}
