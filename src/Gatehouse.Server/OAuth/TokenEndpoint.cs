using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// <c>POST /oauth2/token</c>: the client credentials grant. The token carries exactly the
/// requested scopes when each is actively granted to the client's app, for the audience, in the
/// client's environment. Grants come from <see cref="AccessCache"/>, checked against the store's
/// change version on every request, so a revocation applies to the very next token.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http, ClientAuthenticator authenticator, AccessCache cache, KeyRing keys,
        OAuthUrls urls, OAuthOptions options, TimeProvider time, Usage.UsageRecorder usage, CancellationToken ct)
    {
        var (form, formError) = await OAuthForm.ReadAsync(http.Request, ct);
        if (formError is not null)
        {
            return formError.ToResult();
        }

        if (!form!.TryGetValue("grant_type", out var grantType))
        {
            return OAuthError.Request("`grant_type` is required (Gatehouse supports client_credentials).").ToResult();
        }

        // Read first: whatever is read after it is current unless the version has moved since.
        var version = await cache.VersionAsync(ct);
        var (client, authError) = await authenticator.AuthenticateAsync(http.Request, form, urls.AssertionAudiences(http.Request), version, ct);
        if (authError is not null)
        {
            return authError.ToResult();
        }

        if (grantType != "client_credentials")
        {
            return new OAuthError(OAuthError.UnsupportedGrantType, $"grant type `{grantType}` is not supported; use client_credentials.").ToResult();
        }

        var (request, requestError) = TokenRequest.From(form, client!);
        if (requestError is not null)
        {
            return requestError.ToResult();
        }

        var audience = request!.Audience;
        var grants = await cache.GrantsAsync(client!.App, audience.App, audience.Environment, version, ct);
        List<string>? missing = null;
        foreach (var requested in request.Scopes)
        {
            if (!grants.ContainsKey(requested))
            {
                (missing ??= []).Add(requested);
            }
        }

        if (missing is not null)
        {
            return new OAuthError(OAuthError.InvalidScope,
                $"`{client.App}` has no active grant of {string.Join(", ", missing)} in `{audience.Environment}`: add it to the needs of {client.App}'s gatehouse.yaml and get it approved.").ToResult();
        }

        var scopes = request.Scopes.Count > 0 ? request.Scopes : [.. grants.Keys.Order(StringComparer.Ordinal)];
        if (scopes.Count == 0)
        {
            return new OAuthError(OAuthError.InvalidScope, $"`{client.App}` has no active grant of any scope of `{audience.App}` in `{audience.Environment}`.").ToResult();
        }

        var signer = (await keys.CurrentAsync(ct)).Signer ?? throw new InvalidOperationException("no signing key");
        var scope = request.Scopes.Count > 0 && request.ScopeText is { } asked ? asked : string.Join(' ', scopes);
        var now = time.GetUtcNow();
        var lifetime = Lifetime(scopes, grants, now, options.AccessTokenLifetime);
        usage.TokenIssued(client.Id, client.App, audience.Environment, scopes, scope);
        var token = AccessTokenMinter.Mint(signer, urls.Issuer, client.App, audience.ToString(), client.Id, scope, now, lifetime);
        Observability.GatehouseMetrics.Issued("oauth_access");
        return new OAuthJsonResult(StatusCodes.Status200OK, Response(token, (int)lifetime.TotalSeconds, scope));
    }

    /// <summary>The RFC 6749 section 5.1 answer, written straight to UTF-8 (no reflection, no object).</summary>
    private static byte[] Response(string token, int expiresIn, string scope)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(token.Length + scope.Length + 96);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("access_token"u8, token);
            json.WriteString("token_type"u8, "Bearer"u8);
            json.WriteNumber("expires_in"u8, expiresIn);
            json.WriteString("scope"u8, scope);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A token outlives none of its grants (ADR 0023): its lifetime stops at the earliest end of
    /// the grants it carries, so a service that checks only the signature and <c>exp</c> honours
    /// no grant past its end either.
    /// </summary>
    private static TimeSpan Lifetime(IReadOnlyList<string> scopes, IReadOnlyDictionary<string, DateTimeOffset?> grants, DateTimeOffset now, TimeSpan configured)
    {
        var lifetime = configured;
        foreach (var scope in scopes)
        {
            if (grants[scope] is { } end && end - now < lifetime)
            {
                lifetime = end - now;
            }
        }

        // Whole seconds, as exp and expires_in are, rounded down: never a second past the end.
        return TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds));
    }
}
