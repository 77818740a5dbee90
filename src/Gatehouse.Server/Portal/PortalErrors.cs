namespace Gatehouse.Server.Portal;

/// <summary>Stable codes of the portal's own refusals (GH49xx), documented in docs/errors.md.</summary>
internal static class PortalErrors
{
    public const string FormExpired = "GH4900";
    public const string ProxyUserUnknown = "GH4901";
    public const string TokenUnknown = "GH4902";
    public const string DeployTokenSignIn = "GH4903";
    public const string UserUnknown = "GH4904";
    public const string IdentityNotAUser = "GH4905";
    public const string IdentityEmailDomain = "GH4906";
    public const string IdentityClaimMissing = "GH4907";
    public const string IdentityProviderRefused = "GH4908";
}
