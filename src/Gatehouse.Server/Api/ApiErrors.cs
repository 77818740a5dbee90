namespace Gatehouse.Server.Api;

/// <summary>
/// Stable codes of refusals made by the HTTP layer itself (GH41xx); the store's own refusals
/// keep their GH40xx/GH50xx codes (Gatehouse.Storage.StoreErrors). Listed in docs/errors.md.
/// </summary>
internal static class ApiErrors
{
    public const string Unexpected = "GH4100";
    public const string AuthenticationRequired = "GH4101";
    public const string Forbidden = "GH4102";
    public const string IdempotencyKeyInvalid = "GH4103";
    public const string IdempotencyKeyReused = "GH4104";
    public const string AppNotFound = "GH4111";
    public const string UnknownRequestState = "GH4112";
    public const string EnvironmentRequired = "GH4120";
    public const string TooManyNeeds = "GH4121";
    public const string DeployTokenForeignApp = "GH4122";
    public const string NeedIncomplete = "GH4123";
    public const string TokenRequestInvalid = "GH4130";
    public const string FilesHaveErrors = "GH4140";
    public const string TooManyFiles = "GH4141";
    public const string DatabaseUnreachable = "GH4190";
}
