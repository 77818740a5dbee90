using System.Text.Json;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// <c>POST /oauth2/introspect</c> (RFC 7662), for gateways that prefer asking to verifying. The
/// caller authenticates as a client of the app the token is meant for (same app, same
/// environment); a token for anybody else is reported inactive, so the endpoint cannot be used
/// to scan tokens. Active means: valid signature and time, client not revoked, and every scope
/// still granted now. Fails closed: any error answers <c>active: false</c>.
/// </summary>
internal static class IntrospectionEndpoint
{
    private static readonly byte[] Inactive = """{"active":false}"""u8.ToArray();

    public static async Task<IResult> HandleAsync(
        HttpContext http, ClientAuthenticator authenticator, AccessCache cache, KeyRing keys,
        OAuthUrls urls, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var (form, formError) = await OAuthForm.ReadAsync(http.Request, ct);
        if (formError is not null)
        {
            return formError.ToResult();
        }

        var version = await cache.VersionAsync(ct);
        var (caller, authError) = await authenticator.AuthenticateAsync(http.Request, form!, urls.AssertionAudiences(http.Request), version, ct);
        if (authError is not null)
        {
            return authError.ToResult();
        }

        if (!form!.TryGetValue("token", out var token))
        {
            return OAuthError.Request("`token` is required.").ToResult();
        }

        try
        {
            var verified = await AccessTokenReader.ReadAsync(token, await keys.CurrentAsync(ct), urls.Issuer, time);
            if (verified is null || verified.Audience != new AppAudience(caller!.Environment, caller.App) || !await StillValidAsync(verified, cache, version, ct))
            {
                return new OAuthJsonResult(StatusCodes.Status200OK, Inactive);
            }

            return new OAuthJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["active"] = true,
                ["scope"] = string.Join(' ', verified.Scopes),
                ["client_id"] = verified.ClientId,
                ["token_type"] = "Bearer",
                ["sub"] = verified.Subject,
                ["aud"] = verified.Audience.ToString(),
                ["iss"] = urls.Issuer,
                ["iat"] = verified.IssuedAt,
                ["exp"] = verified.ExpiresAt,
                ["jti"] = verified.Jti,
            }));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Fail closed; log the kind of failure, never the token.
            loggers.CreateLogger(typeof(IntrospectionEndpoint)).LogError("Introspection failed closed: {ErrorType}", e.GetType().Name);
            return new OAuthJsonResult(StatusCodes.Status200OK, Inactive);
        }
    }

    private static async Task<bool> StillValidAsync(VerifiedAccessToken token, AccessCache cache, long version, CancellationToken ct)
    {
        var client = await cache.ClientAsync(token.ClientId, version, ct);
        if (client is not { IsActive: true } || client.App != token.Subject || client.Environment != token.Audience.Environment)
        {
            return false;
        }

        var granted = await cache.GrantedScopesAsync(client.App, token.Audience.App, client.Environment, version, ct);
        return token.Scopes.All(granted.Contains);
    }
}
