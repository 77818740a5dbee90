namespace Gatehouse.Server.Observability;

/// <summary>What failed to authenticate.</summary>
internal enum AuthenticationFailure
{
    /// <summary>A bearer token on the API: unknown, expired, revoked or malformed.</summary>
    Bearer,

    /// <summary>OAuth client authentication at the token or introspection endpoint.</summary>
    OAuthClient,

    /// <summary>A token pasted into the portal's sign-in form.</summary>
    PortalSignIn,

    /// <summary>An OpenID Connect sign-in: the provider's answer refused, or an identity that is no user.</summary>
    OidcSignIn,
}

/// <summary>Which rate limit refused a request (docs/operations.md, ADR 0013).</summary>
internal enum RateLimitKind
{
    OAuthAddress,
    OAuthClient,
    PushAddress,
    PushToken,
    SignInAddress,
}

/// <summary>
/// Counts refused authentications and rate-limited requests, so an operator can alert on a guessing
/// attack: <c>gatehouse_authentication_failures_total{kind}</c> and <c>gatehouse_rate_limited_total{limit}</c>
/// at <c>/metrics</c> (<see cref="GatehouseMetrics"/>); the log line beside each says from which
/// address (never the secret).
/// </summary>
internal sealed class SecurityMetrics
{
    private static readonly KeyValuePair<string, object?>[] FailureTags =
        [.. new[] { "bearer", "oauth_client", "portal_sign_in", "oidc_sign_in" }.Select(v => new KeyValuePair<string, object?>("kind", v))];

    private static readonly KeyValuePair<string, object?>[] LimitTags =
        [.. new[] { "oauth_address", "oauth_client", "push_address", "push_token", "sign_in_address" }.Select(v => new KeyValuePair<string, object?>("limit", v))];

#pragma warning disable CA1822 // An instance the endpoints take from DI, so a test could substitute it.
    public void Failed(AuthenticationFailure kind) => GatehouseMetrics.AuthenticationFailures.Add(1, FailureTags[(int)kind]);

    public void Limited(RateLimitKind kind) => GatehouseMetrics.RateLimited.Add(1, LimitTags[(int)kind]);
#pragma warning restore CA1822
}
