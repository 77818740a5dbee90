using System.Globalization;
using Gatehouse.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Usage;

/// <summary>
/// Usage evidence (ADR 0024, docs/compliance.md): how often the recorded last uses are flushed
/// (<c>GATEHOUSE_USAGE_FLUSH_SECONDS</c>), after how many days a grant nobody used is flagged
/// <c>unused</c> (<c>GATEHOUSE_UNUSED_AFTER_DAYS</c>), and a switch for benchmarks
/// (<c>GATEHOUSE_USAGE_RECORDING=off</c>).
/// </summary>
public sealed class UsageOptions
{
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int UnusedAfterDays { get; init; } = 90;

    public bool Recording { get; init; } = true;

    public static UsageOptions Load(IConfiguration config)
    {
        var problems = new List<string>();
        var defaults = new UsageOptions();
        var flush = Number(config, "GATEHOUSE_USAGE_FLUSH_SECONDS", 1, 3600, (int)defaults.FlushInterval.TotalSeconds, "seconds", problems);
        var unused = Number(config, "GATEHOUSE_UNUSED_AFTER_DAYS", 1, 3650, defaults.UnusedAfterDays, "days", problems);
        var recording = config["GATEHOUSE_USAGE_RECORDING"] is { Length: > 0 } r ? r.Trim() : "on";
        if (recording is not ("on" or "off"))
        {
            problems.Add($"GATEHOUSE_USAGE_RECORDING must be `on` or `off`, not `{recording}`.");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return new UsageOptions { FlushInterval = TimeSpan.FromSeconds(flush), UnusedAfterDays = unused, Recording = recording == "on" };
    }

    /// <summary>Whether a grant approved at <paramref name="grantedAt"/> and last used at <paramref name="lastUsedAt"/> counts as unused at <paramref name="now"/>.</summary>
    public bool IsUnused(DateTimeOffset grantedAt, DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        (lastUsedAt ?? grantedAt) <= now.AddDays(-UnusedAfterDays);

    private static int Number(IConfiguration config, string name, int min, int max, int fallback, string unit, List<string> problems)
    {
        if (config[name] is not { Length: > 0 } raw)
        {
            return fallback;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add($"{name} must be a whole number of {unit} from {min} to {max}, not `{raw}`.");
            return fallback;
        }

        return value;
    }
}
