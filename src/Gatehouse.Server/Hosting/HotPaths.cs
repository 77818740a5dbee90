using System.Text;
using Gatehouse.Server.Identity;
using Gatehouse.Server.Identity.Ci;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// The run-time hot paths without the general pipeline (ADR 0034): <c>GET /healthz</c> is answered
/// here, and <c>GET /api/v1/me</c>, <c>POST /api/v1/check</c> and <c>POST /api/v1/decisions</c> with
/// a personal, deploy or bootstrap token run their endpoint directly, skipping routing, the
/// authentication and authorization middleware and the rate limiter, none of which has anything
/// to decide for them: the endpoints only require an authenticated caller, which
/// <see cref="BearerSecrets"/> establishes exactly as the bearer handler does, and carry no rate
/// limit. Anything else — another path, a JWT, a missing, unknown or expired token — goes on
/// through the general pipeline, which answers and logs it as before.
/// <para>
/// <c>POST /oauth2/token</c> runs its endpoint directly too (ADR 0040) when the per-address OAuth
/// rate limit is off: the endpoint is anonymous at the ASP.NET level and authenticates its client
/// itself (the per-client limit included), so with no address limit the pipeline it skips has
/// nothing to decide. With the limit on, token requests take the general pipeline, limiter first.
/// </para>
/// </summary>
internal sealed class HotPaths(EndpointDataSource endpoints, BearerSecrets secrets, RateLimitOptions limits, ILogger<HotPaths> logger)
{
    private static readonly byte[] Ok = Encoding.UTF8.GetBytes("ok");

    private Endpoints? _endpoints;

    public Task Middleware(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var path = request.Path.Value;
        if (path is null || path.Length < "/healthz".Length)
        {
            return next(context);
        }

        if (path == "/healthz" && HttpMethods.IsGet(request.Method))
        {
            return HealthzAsync(context);
        }

        if (path == OAuth.OAuthUrls.TokenPath && HttpMethods.IsPost(request.Method))
        {
            return (_endpoints ??= Find()).Token is { } token ? RunToken(context, token) : next(context);
        }

        if (!path.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            return next(context);
        }

        var known = _endpoints ??= Find();
        var endpoint = path switch
        {
            "/api/v1/check" when HttpMethods.IsPost(request.Method) => known.Check,
            "/api/v1/decisions" when HttpMethods.IsPost(request.Method) => known.Decide,
            "/api/v1/me" when HttpMethods.IsGet(request.Method) => known.Me,
            _ => null,
        };
        string? header = request.Headers.Authorization;
        if (endpoint is null || header is null || CiTokenValidator.LooksLikeJwt(header.AsSpan(Math.Min(header.Length, "Bearer ".Length)))
            || BearerSecrets.Secret(header, out _) is not { } secret)
        {
            return next(context);
        }

        var principal = secrets.AuthenticateAsync(secret, context);
        return principal.IsCompletedSuccessfully ? Run(context, next, endpoint, principal.Result) : AwaitAsync(context, next, endpoint, principal);
    }

    private static Task Run(HttpContext context, RequestDelegate next, Endpoint endpoint, GatehousePrincipal? principal)
    {
        if (principal is null)
        {
            // Refused by the general pipeline: the same 401, log line and metric as any other route.
            return next(context);
        }

        context.User = principal;
        context.SetEndpoint(endpoint);
        return endpoint.RequestDelegate!(context);
    }

    private static Task RunToken(HttpContext context, Endpoint endpoint)
    {
        // As the general pipeline does for every write-capable request (ADR 0033).
        Checks.ChangeVersionOfWrites.Collect(context);
        context.SetEndpoint(endpoint);
        return endpoint.RequestDelegate!(context);
    }

    private static async Task AwaitAsync(HttpContext context, RequestDelegate next, Endpoint endpoint, ValueTask<GatehousePrincipal?> principal) =>
        await Run(context, next, endpoint, await principal);

    /// <summary>Liveness: "ok", and no request metric (probes would drown the real traffic in it).</summary>
    private static Task HealthzAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = Ok.Length;
        return response.Body.WriteAsync(Ok).AsTask();
    }

    private Endpoints Find()
    {
        var named = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is { EndpointName: "GetMe" or "Check" or "Decide" or "OAuthToken" })
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, StringComparer.Ordinal);
        // With the address limit on, the rate limiter must see every token request first.
        var token = limits.OAuthAddress is null ? Eligible(named, "OAuthToken", AnonymousWithOAuthLimit) : null;
        return new Endpoints(Eligible(named, "GetMe", AuthenticatedOnly), Eligible(named, "Check", AuthenticatedOnly), Eligible(named, "Decide", AuthenticatedOnly), token);
    }

    /// <summary>The endpoint named, when its metadata leaves the pipeline nothing to decide by <paramref name="rule"/>; else null, and a warning.</summary>
    private RouteEndpoint? Eligible(Dictionary<string, RouteEndpoint> named, string name, Func<EndpointMetadataCollection, bool> rule)
    {
        if (!named.TryGetValue(name, out var endpoint) || endpoint.RequestDelegate is null)
        {
            logger.LogWarning("Hot path {Endpoint} not found: its requests take the general pipeline", name);
            return null;
        }

        var plain = endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count == 0
            && endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count == 0
            && rule(endpoint.Metadata);
        if (!plain)
        {
            logger.LogWarning("Hot path {Endpoint} has authorization or rate limits of its own: its requests take the general pipeline", name);
        }

        return plain ? endpoint : null;
    }

    /// <summary>Me, check, decisions: the sole requirement is an authenticated caller, with no rate limit.</summary>
    private static bool AuthenticatedOnly(EndpointMetadataCollection metadata)
    {
        var authorization = metadata.GetOrderedMetadata<IAuthorizeData>();
        return authorization.Count > 0 && authorization.All(a => a.Policy is null && a.Roles is null && a.AuthenticationSchemes is null)
            && metadata.GetMetadata<IAllowAnonymous>() is null
            && metadata.GetMetadata<EnableRateLimitingAttribute>() is null;
    }

    /// <summary>The token endpoint: anonymous at the ASP.NET level, its one rate limit the per-address OAuth limit.</summary>
    private static bool AnonymousWithOAuthLimit(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<IAllowAnonymous>() is not null
        && metadata.GetMetadata<EnableRateLimitingAttribute>() is { PolicyName: RateLimits.OAuthPolicy };

    private sealed record Endpoints(RouteEndpoint? Me, RouteEndpoint? Check, RouteEndpoint? Decide, RouteEndpoint? Token);
}
