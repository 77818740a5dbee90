using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.Observability;
using Microsoft.AspNetCore.RateLimiting;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Rate limits on the endpoints worth guessing at or expensive to run (ADR 0013): the ASP.NET Core
/// rate limiter partitions them per remote address before authentication, and
/// <see cref="IdentityRateLimiter"/> per client or token after it, so nobody can spend another
/// client's allowance by naming its id. A refusal is 429 with <c>Retry-After</c>, in each
/// endpoint's own error format.
/// </summary>
internal static class RateLimits
{
    public const string OAuthPolicy = "oauth";
    public const string PushPolicy = "push";
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddGatehouseRateLimits(this IServiceCollection services, RateLimitOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IdentityRateLimiter>();
        services.AddScoped<PushRateLimitFilter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(OAuthPolicy, context => ByAddress(context, options.OAuthAddress));
            o.AddPolicy(PushPolicy, context => ByAddress(context, options.PushAddress));

            // The sign-in page itself is free to load; attempts (posts) are what is limited.
            o.AddPolicy(SignInPolicy, context => HttpMethods.IsPost(context.Request.Method)
                ? ByAddress(context, options.SignInAddress)
                : RateLimitPartition.GetNoLimiter(string.Empty));
            o.OnRejected = async (rejected, _) =>
            {
                var policy = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var kind = policy switch
                {
                    OAuthPolicy => RateLimitKind.OAuthAddress,
                    PushPolicy => RateLimitKind.PushAddress,
                    _ => RateLimitKind.SignInAddress,
                };
                var limit = kind switch
                {
                    RateLimitKind.OAuthAddress => options.OAuthAddress,
                    RateLimitKind.PushAddress => options.PushAddress,
                    _ => options.SignInAddress,
                };
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit?.Period ?? TimeSpan.FromSeconds(1);
                await RateLimitAnswers.WriteAsync(rejected.HttpContext, kind, retryAfter, $"this address (limit {limit})");
            };
        });
        return services;
    }

    /// <summary>
    /// The partition of a remote address. An IPv6 client usually holds a whole /64, so that is
    /// what counts as one address; behind a proxy listed in GATEHOUSE_TRUSTED_PROXY this is the
    /// client it forwarded for.
    /// </summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static RateLimitPartition<string> ByAddress(HttpContext context, RateLimitOptions.Limit? limit) => limit is null
        ? RateLimitPartition.GetNoLimiter(string.Empty)
        : RateLimitPartition.GetTokenBucketLimiter(AddressKey(context.Connection.RemoteIpAddress), _ => IdentityRateLimiter.Bucket(limit));
}

/// <summary>
/// The per-identity limits, taken after authentication: per OAuth client (token and introspection)
/// and per Gatehouse token (push and plan). Token buckets from System.Threading.RateLimiting, the
/// limiters the ASP.NET Core middleware runs.
/// </summary>
internal sealed class IdentityRateLimiter(RateLimitOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _clients = Create(options.OAuthClient);
    private readonly PartitionedRateLimiter<string>? _tokens = Create(options.PushToken);

    public RateLimitOptions Options => options;

    /// <summary>True when the client may go on; otherwise how long it should wait.</summary>
    public bool TryClient(string clientId, out TimeSpan retryAfter) => TryAcquire(_clients, options.OAuthClient, clientId, out retryAfter);

    /// <summary>True when the token may push or plan now; otherwise how long it should wait.</summary>
    public bool TryToken(string token, out TimeSpan retryAfter) => TryAcquire(_tokens, options.PushToken, token, out retryAfter);

    public static TokenBucketRateLimiterOptions Bucket(RateLimitOptions.Limit limit) => new()
    {
        TokenLimit = limit.Count,
        TokensPerPeriod = limit.Count,
        ReplenishmentPeriod = limit.Period,
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    public void Dispose()
    {
        _clients?.Dispose();
        _tokens?.Dispose();
    }

    private static PartitionedRateLimiter<string>? Create(RateLimitOptions.Limit? limit)
    {
        if (limit is null)
        {
            return null;
        }

        var bucket = Bucket(limit);
        Func<string, TokenBucketRateLimiterOptions> options = _ => bucket;
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, options), StringComparer.Ordinal);
    }

    private static bool TryAcquire(PartitionedRateLimiter<string>? limiter, RateLimitOptions.Limit? limit, string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit!.Period;
        return false;
    }
}

/// <summary>Push and plan: the per-token limit, after authentication (the per-address one runs before it).</summary>
internal sealed class PushRateLimitFilter(IdentityRateLimiter limiter, SecurityMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var user = context.HttpContext.User;
        var key = user.FindFirst(GatehouseClaims.TokenId)?.Value ?? user.ToActor().ToString();
        if (limiter.TryToken(key, out var retryAfter))
        {
            return await next(context);
        }

        metrics.Limited(RateLimitKind.PushToken);
        var seconds = RateLimitAnswers.Seconds(retryAfter);
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Result(StatusCodes.Status429TooManyRequests, ApiErrors.TooManyRequests,
            $"Too many pushes and plans with this token (limit {limiter.Options.PushToken}); retry after {seconds} s.");
    }
}

/// <summary>The 429 answer in the error format of the endpoint refused.</summary>
internal static class RateLimitAnswers
{
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static Task WriteAsync(HttpContext http, RateLimitKind kind, TimeSpan retryAfter, string from)
    {
        http.RequestServices.GetRequiredService<SecurityMetrics>().Limited(kind);
        var seconds = Seconds(retryAfter);
        var path = http.Request.Path;
        if (path.StartsWithSegments("/oauth2"))
        {
            return OAuthError.TooManyRequests($"too many requests from {from}; retry after {seconds} s.", retryAfter).ToResult().ExecuteAsync(http);
        }

        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (path.StartsWithSegments("/api"))
        {
            return ApiProblems.Write(http, StatusCodes.Status429TooManyRequests, ApiErrors.TooManyRequests, $"Too many requests from {from}; retry after {seconds} s.");
        }

        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync($"{ApiErrors.TooManyRequests}: too many sign-in attempts from {from}. Try again in {seconds} s.");
    }
}
