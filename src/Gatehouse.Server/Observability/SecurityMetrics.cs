using System.Globalization;
using System.Text;

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
/// Counts refused authentications and rate-limited requests for <c>/metrics</c>, so an operator can
/// alert on a guessing attack; the log line beside each says from which address (never the secret).
/// </summary>
internal sealed class SecurityMetrics
{
    private static readonly string[] FailureLabels = ["bearer", "oauth_client", "portal_sign_in", "oidc_sign_in"];
    private static readonly string[] LimitLabels = ["oauth_address", "oauth_client", "push_address", "push_token", "sign_in_address"];

    private readonly long[] _failures = new long[FailureLabels.Length];
    private readonly long[] _limited = new long[LimitLabels.Length];

    public void Failed(AuthenticationFailure kind) => Interlocked.Increment(ref _failures[(int)kind]);

    public void Limited(RateLimitKind kind) => Interlocked.Increment(ref _limited[(int)kind]);

    public long FailureCount(AuthenticationFailure kind) => Interlocked.Read(ref _failures[(int)kind]);

    public long LimitedCount(RateLimitKind kind) => Interlocked.Read(ref _limited[(int)kind]);

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP gatehouse_authentication_failures_total Refused authentications by kind (each is also logged at warning level).\n# TYPE gatehouse_authentication_failures_total counter\n");
        for (var i = 0; i < FailureLabels.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_authentication_failures_total{{kind=\"{FailureLabels[i]}\"}} {Interlocked.Read(ref _failures[i])}\n");
        }

        text.Append("# HELP gatehouse_rate_limited_total Requests answered 429 by the rate limit that refused them.\n# TYPE gatehouse_rate_limited_total counter\n");
        for (var i = 0; i < LimitLabels.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"gatehouse_rate_limited_total{{limit=\"{LimitLabels[i]}\"}} {Interlocked.Read(ref _limited[i])}\n");
        }

        return text.ToString();
    }
}
