using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// How many requests the rate-limited endpoints take (<c>GATEHOUSE_RATE_LIMIT_*</c>, docs/operations.md,
/// ADR 0013). Each limit is <c>COUNT/s</c>, <c>COUNT/min</c>, <c>COUNT/h</c> or <c>off</c>; a null
/// limit is off. <c>GATEHOUSE_RATE_LIMITS=off</c> turns every one off (benchmarks).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>A token bucket: <see cref="Count"/> requests at once, refilled by <see cref="Count"/> every <see cref="Period"/>.</summary>
    public sealed record Limit(int Count, TimeSpan Period)
    {
        public override string ToString() => $"{Count}/{(Period == TimeSpan.FromSeconds(1) ? "s" : Period == TimeSpan.FromMinutes(1) ? "min" : "h")}";
    }

    /// <summary>Token and introspection requests per authenticated client (<c>GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT</c>).</summary>
    public Limit? OAuthClient { get; init; } = new(300, TimeSpan.FromSeconds(1));

    /// <summary>Token and introspection requests per remote address, before authentication (<c>GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS</c>).</summary>
    public Limit? OAuthAddress { get; init; } = new(1000, TimeSpan.FromSeconds(1));

    /// <summary>Push and plan requests per token (<c>GATEHOUSE_RATE_LIMIT_PUSH_TOKEN</c>).</summary>
    public Limit? PushToken { get; init; } = new(60, TimeSpan.FromMinutes(1));

    /// <summary>Push and plan requests per remote address (<c>GATEHOUSE_RATE_LIMIT_PUSH_ADDRESS</c>).</summary>
    public Limit? PushAddress { get; init; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary>Portal sign-in attempts per remote address (<c>GATEHOUSE_RATE_LIMIT_SIGNIN_ADDRESS</c>).</summary>
    public Limit? SignInAddress { get; init; } = new(120, TimeSpan.FromMinutes(1));

    public static RateLimitOptions Load(IConfiguration config)
    {
        var problems = new List<string>();
        var defaults = new RateLimitOptions();
        var all = config["GATEHOUSE_RATE_LIMITS"] is { Length: > 0 } switchValue ? switchValue.Trim() : "on";
        if (all is not ("on" or "off"))
        {
            problems.Add($"GATEHOUSE_RATE_LIMITS must be `on` or `off`, not `{all}`.");
        }

        Limit? Read(string name, Limit? fallback)
        {
            var limit = Parse(config, name, fallback, problems);
            return all == "off" ? null : limit;
        }

        var options = new RateLimitOptions
        {
            OAuthClient = Read("GATEHOUSE_RATE_LIMIT_OAUTH_CLIENT", defaults.OAuthClient),
            OAuthAddress = Read("GATEHOUSE_RATE_LIMIT_OAUTH_ADDRESS", defaults.OAuthAddress),
            PushToken = Read("GATEHOUSE_RATE_LIMIT_PUSH_TOKEN", defaults.PushToken),
            PushAddress = Read("GATEHOUSE_RATE_LIMIT_PUSH_ADDRESS", defaults.PushAddress),
            SignInAddress = Read("GATEHOUSE_RATE_LIMIT_SIGNIN_ADDRESS", defaults.SignInAddress),
        };
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return options;
    }

    private static Limit? Parse(IConfiguration config, string name, Limit? fallback, List<string> problems)
    {
        if (config[name] is not { Length: > 0 } raw)
        {
            return fallback;
        }

        var text = raw.Trim();
        if (text == "off")
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        TimeSpan? period = slash < 0 ? null : text[(slash + 1)..] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "min" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => null,
        };
        if (period is null || !int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 1_000_000)
        {
            problems.Add($"{name} must be COUNT/s, COUNT/min or COUNT/h (COUNT from 1 to 1000000), or `off`, such as 60/min; not `{text}`.");
            return fallback;
        }

        return new Limit(count, period.Value);
    }
}
