using Microsoft.AspNetCore.Authentication;

namespace Gatehouse.AspNetCore;

/// <summary>How a service validates the Gatehouse access tokens it receives.</summary>
public sealed class GatehouseTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The Gatehouse issuer URL, such as <c>https://gatehouse.example.com</c>; its metadata and keys are read from there.</summary>
    public string? Authority { get; set; }

    /// <summary>This service's app name in Gatehouse (with <see cref="Environment"/>, gives the audience).</summary>
    public string? App { get; set; }

    /// <summary>The environment this instance runs in (<c>production</c>, <c>staging</c>, ...).</summary>
    public string? Environment { get; set; }

    /// <summary>The expected <c>aud</c>; defaults to <c>urn:gatehouse:{Environment}:{App}</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>Refuse metadata over plain HTTP (default true; turn off only for a local Gatehouse).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How old the signing keys may get before they are read again, in the background: requests
    /// go on validating with the last keys read meanwhile, and for as long as Gatehouse cannot be
    /// reached (default 5 minutes). A token signed by an unknown key has them read at once, at
    /// most every 30 seconds.
    /// </summary>
    public TimeSpan KeysRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock difference tolerated on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many verified tokens are kept, so that a token presented again skips the signature check
    /// (default 10,000; 0 turns the cache off). Its expiry is still checked at every use, and a
    /// token that differs in any character is verified in full.
    /// </summary>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>The HTTP client used to read metadata and keys; a default one when null.</summary>
    public HttpClient? Backchannel { get; set; }

    /// <summary>The audience this service accepts.</summary>
    public string ExpectedAudience => Audience
        ?? (App is { Length: > 0 } && Environment is { Length: > 0 } ? $"urn:gatehouse:{Environment}:{App}"
        : throw new InvalidOperationException("Set GatehouseTokenOptions.App and Environment (or Audience) to the app and environment this service runs as."));

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority))
        {
            throw new InvalidOperationException("Set GatehouseTokenOptions.Authority to the Gatehouse URL, such as https://gatehouse.example.com.");
        }

        if (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"Gatehouse authority {Authority} is not HTTPS; set RequireHttpsMetadata = false only for a local Gatehouse.");
        }

        if (TokenCacheSize < 0)
        {
            throw new InvalidOperationException($"GatehouseTokenOptions.TokenCacheSize is {TokenCacheSize}; use 0 to turn the token cache off, or a positive number of tokens.");
        }

        _ = ExpectedAudience;
    }
}

/// <summary>Names shared by the handler and the authorization helpers.</summary>
public static class GatehouseTokenDefaults
{
    /// <summary>The authentication scheme name.</summary>
    public const string AuthenticationScheme = "Gatehouse";

    /// <summary>The claim type holding one granted scope (<c>app:scope</c>) per claim.</summary>
    public const string ScopeClaim = "scope";
}
