using Gatehouse.Core.Routes;
using Gatehouse.Server.Api;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Server.Gateway;

/// <summary>
/// <c>/forward-auth/{app}/{env}</c>: the external-auth hook of nginx <c>auth_request</c>, Caddy
/// <c>forward_auth</c>, Traefik ForwardAuth, HAProxy and Envoy <c>ext_authz</c> (ADR 0027). It reads
/// the original method and path from the forwarded headers (or, for Envoy, from the path after
/// <c>{env}</c>), verifies the caller's access token for the target app and environment, finds the
/// scope of the route and checks the token carries it and the grant is still live. 200 names the
/// caller for the upstream; 401 and 403 say why not. Everything is answered from memory.
/// </summary>
internal static class ForwardAuthEndpoint
{
    public const string Prefix = "/forward-auth";

    public const string AppHeader = "X-Gatehouse-App";
    public const string ClientHeader = "X-Gatehouse-Client";
    public const string ScopesHeader = "X-Gatehouse-Scopes";
    public const string ScopeHeader = "X-Gatehouse-Scope";
    public const string ErrorHeader = "X-Gatehouse-Error";

    /// <summary>The route as the access log and the request metrics name it.</summary>
    public const string RouteTemplate = Prefix + "/{app}/{env}";

    private const string Realm = "Bearer realm=\"gatehouse\"";

    public static void Map(WebApplication app)
    {
        // Resolved once: RequestServices would create a DI scope for every proxied request, and
        // even the root provider's lookups cost a dictionary search each.
        var services = app.Services;
        var state = services.GetRequiredService<GatewayState>();
        var cache = services.GetRequiredService<VerifiedTokenCache>();
        var time = services.GetRequiredService<TimeProvider>();

        // As app.Map(Prefix) matches (case-insensitive, whole segments), without its per-request
        // copies of the path into PathBase and Path: the target is read from the path as it came.
        app.Use((http, next) => IsTarget(http.Request.Path)
            ? HandleAsync(http, services, state, cache, time)
            : next(http));
    }

    /// <summary>Whether <paramref name="path"/> is <see cref="Prefix"/> or under it, as whole segments in any letter case (the rule of <c>app.Map</c>).</summary>
    internal static bool IsTarget(PathString path) => path.StartsWithSegments(Prefix);

    /// <summary>What follows <see cref="Prefix"/> in a path <see cref="IsTarget"/> took: empty or from a '/'.</summary>
    internal static ReadOnlySpan<char> Target(HttpRequest request) => request.Path.Value.AsSpan(Prefix.Length);

    private static async Task HandleAsync(HttpContext http, IServiceProvider services, GatewayState state, VerifiedTokenCache cache, TimeProvider time)
    {
        // Mapped before routing: name the route for the request metrics (ADR 0028).
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMetricsTagsFeature>()?.Tags.Add(new("http.route", RouteTemplate));
        var snapshot = await state.CurrentAsync(http.RequestAborted);
        if (snapshot is null)
        {
            Observability.GatehouseMetrics.Decided("forward_auth", 0, 1);
            await RefuseAsync(http, new Refusal(503, ForwardAuthErrors.Unavailable, null, "Gatehouse cannot read its store: access is refused until it can."));
            return;
        }

        var entry = FindToken(http.Request, cache, time, out var digest, out var unverified);
        if (entry is null && unverified is not null)
        {
            var keys = await services.GetRequiredService<KeyRing>().CurrentAsync(http.RequestAborted);
            var verified = await AccessTokenReader.ReadAsync(unverified, keys, services.GetRequiredService<OAuthUrls>().Issuer, time);
            entry = verified is null ? null : cache.Add(digest, verified);
        }

        if (Decide(http, snapshot, entry, tokenSent: unverified is not null || entry is not null, time.GetUtcNow()) is { } refusal)
        {
            Observability.GatehouseMetrics.Decided("forward_auth", 0, 1);
            await RefuseAsync(http, refusal);
            return;
        }

        Observability.GatehouseMetrics.Decided("forward_auth", 1, 0);
    }

    /// <summary>The cached verification of the bearer token; on a miss, the token to verify in <paramref name="unverified"/>.</summary>
    private static VerifiedEntry? FindToken(HttpRequest request, VerifiedTokenCache cache, TimeProvider time, out TokenDigest digest, out string? unverified)
    {
        digest = default;
        unverified = null;
        var authorization = request.Headers.Authorization;
        var header = authorization.Count == 1 ? authorization[0].AsSpan() : default;
        if (header.Length <= 7 || !header[..7].Equals("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var jwt = header[7..].Trim();
        digest = VerifiedTokenCache.Digest(jwt);
        if (cache.Get(digest, time.GetUtcNow().ToUnixTimeSeconds()) is { } hit)
        {
            return hit;
        }

        unverified = jwt.ToString();
        return null;
    }

    private static Refusal? Decide(HttpContext http, GatewaySnapshot snapshot, VerifiedEntry? entry, bool tokenSent, DateTimeOffset now)
    {
        // Target: /{app}/{env}, or /{app}/{env}/original/path (Envoy's path_prefix mode).
        if (!TrySplitTarget(Target(http.Request), out var appName, out var envName, out var suffix)
            || !snapshot.TryGetApp(appName, out var app, out var routes) || snapshot.Environment(envName) is not { } environment)
        {
            return new Refusal(404, ForwardAuthErrors.UnknownTarget, null,
                $"`{ApiProblems.Printable(Target(http.Request).ToString())}` names no pushed app and defined environment: call /forward-auth/APP/ENVIRONMENT.");
        }

        if (!TryOriginalRequest(http.Request, suffix, out var method, out var originalPath))
        {
            return new Refusal(400, ForwardAuthErrors.OriginalRequestMissing, null,
                "Send the original request as X-Forwarded-Method and X-Forwarded-Uri (or X-Original-Method and X-Original-URI), one value each and agreeing when both are sent.");
        }

        if (entry is null)
        {
            return tokenSent
                ? new Refusal(401, ForwardAuthErrors.InvalidToken, Realm + ", error=\"invalid_token\"",
                    "The token is not a valid Gatehouse access token: malformed, expired, from another issuer or not signed by its keys.")
                : new Refusal(401, ForwardAuthErrors.NoToken, Realm, "Send the caller's Gatehouse access token as `Authorization: Bearer <token>`.");
        }

        var token = entry.Token;
        if (token.Audience.App != app || token.Audience.Environment != environment)
        {
            return new Refusal(401, ForwardAuthErrors.WrongAudience, Realm + ", error=\"invalid_token\", error_description=\"the token is for another audience\"",
                $"The token is for {token.Audience}, not {new AppAudience(environment, app)}.");
        }

        if (snapshot.Client(token.ClientId) is not { IsActive: true } client || client.App != token.Subject || client.Environment != environment)
        {
            return new Refusal(401, ForwardAuthErrors.ClientRevoked, Realm + ", error=\"invalid_token\", error_description=\"the client is revoked\"",
                "The client this token was issued to is revoked.");
        }

        if (!RouteTable.IsNormalPath(originalPath))
        {
            return new Refusal(403, ForwardAuthErrors.PathNotNormal, null,
                "The original path has an empty, '.' or '..' segment, a backslash or an encoded separator: it is refused rather than guessed at.");
        }

        if (routes.Match(method, originalPath) is not { } route)
        {
            return new Refusal(403, ForwardAuthErrors.NoRoute, null,
                $"No route of {app} matches {ApiProblems.Printable(method)} {ApiProblems.Printable(originalPath.ToString())}: a request no scope protects is refused.");
        }

        if (!Contains(token.Scopes, route.Scope))
        {
            return new Refusal(403, ForwardAuthErrors.ScopeNotInToken, $"{Realm}, error=\"insufficient_scope\", scope=\"{route.Scope}\"",
                $"{route.Template} needs {route.Scope}; the token does not carry it.");
        }

        if (!snapshot.IsGranted(token.Subject, app, environment, route.Scope, now))
        {
            return new Refusal(403, ForwardAuthErrors.GrantRevoked, $"{Realm}, error=\"insufficient_scope\", scope=\"{route.Scope}\"",
                $"{token.Subject}'s grant of {route.Scope} in {environment} is no longer active.");
        }

        var headers = http.Response.Headers;
        headers[AppHeader] = token.Subject;
        headers[ClientHeader] = token.ClientId;
        headers[ScopeHeader] = route.Scope;
        headers[ScopesHeader] = entry.GrantedScopes(snapshot, now);
        headers.CacheControl = "no-store";
        http.Response.StatusCode = 200;
        http.Features.Set(entry.Actor);
        return null;
    }

    private static bool TrySplitTarget(ReadOnlySpan<char> path, out ReadOnlySpan<char> app, out ReadOnlySpan<char> environment, out ReadOnlySpan<char> suffix)
    {
        app = environment = suffix = default;
        if (path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        var rest = path[1..];
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        app = rest[..slash];
        rest = rest[(slash + 1)..];
        slash = rest.IndexOf('/');
        environment = slash < 0 ? rest : rest[..slash];
        suffix = slash < 0 ? default : rest[slash..];
        return !environment.IsEmpty;
    }

    private static bool TryOriginalRequest(HttpRequest request, ReadOnlySpan<char> suffix, out string method, out ReadOnlySpan<char> path)
    {
        method = string.Empty;
        path = default;
        var headers = request.Headers;
        if (!TryOne(headers, "X-Forwarded-Method", "X-Original-Method", out var forwardedMethod)
            || !TryOne(headers, "X-Forwarded-Uri", "X-Original-URI", out var forwardedUri))
        {
            return false;
        }

        if (forwardedUri is not null)
        {
            if (!suffix.IsEmpty)
            {
                return false; // two answers to one question
            }

            // A request target has no spaces (RFC 9112); one here is two values joined or a forgery.
            if (forwardedUri.Length == 0 || forwardedUri[0] != '/' || forwardedUri.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            {
                return false;
            }

            var query = forwardedUri.AsSpan().IndexOfAny('?', '#');
            path = query < 0 ? forwardedUri : forwardedUri.AsSpan(0, query);
            method = forwardedMethod ?? string.Empty;
            return forwardedMethod is not null;
        }

        if (suffix.IsEmpty || forwardedMethod is not null && forwardedMethod != request.Method)
        {
            return false;
        }

        // Envoy ext_authz: the check request carries the original method and path.
        path = suffix;
        method = request.Method;
        return true;
    }

    /// <summary>The value of the first header, or of the second; false when either is repeated or they disagree.</summary>
    private static bool TryOne(IHeaderDictionary headers, string first, string second, out string? value)
    {
        value = null;
        var a = headers[first];
        var b = headers[second];
        if (a.Count > 1 || b.Count > 1)
        {
            return false;
        }

        if (!StringValues.IsNullOrEmpty(a) && !StringValues.IsNullOrEmpty(b) && a[0] != b[0])
        {
            return false;
        }

        value = !StringValues.IsNullOrEmpty(a) ? a[0] : !StringValues.IsNullOrEmpty(b) ? b[0] : null;
        return true;
    }

    private static bool Contains(IReadOnlyList<string> scopes, string scope)
    {
        for (var i = 0; i < scopes.Count; i++)
        {
            if (scopes[i] == scope)
            {
                return true;
            }
        }

        return false;
    }

    private static Task RefuseAsync(HttpContext http, Refusal refusal)
    {
        http.Response.Headers[ErrorHeader] = refusal.Code;
        http.Response.Headers.CacheControl = "no-store";
        if (refusal.Challenge is not null)
        {
            http.Response.Headers.WWWAuthenticate = refusal.Challenge;
        }

        return ApiProblems.Write(http, refusal.Status, refusal.Code, refusal.Detail);
    }

    private sealed record Refusal(int Status, string Code, string? Challenge, string Detail);
}
