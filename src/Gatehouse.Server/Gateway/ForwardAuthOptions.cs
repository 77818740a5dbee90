using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Gateway;

/// <summary>How fresh forward-auth's in-memory view must be (ADR 0027).</summary>
internal sealed class ForwardAuthOptions
{
    public const string RefreshVariable = "GATEHOUSE_FORWARD_AUTH_REFRESH_MS";

    /// <summary>How often the store's change version is checked: the longest a revocation on another replica goes unseen.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Past this without a successful check, forward-auth answers 503 instead of using what it has.</summary>
    public TimeSpan MaxStale => TimeSpan.FromTicks(Math.Max(RefreshInterval.Ticks * 10, TimeSpan.FromSeconds(10).Ticks));

    /// <summary>A snapshot is rebuilt this often even when nothing changed (a grant can end with time, without a change).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads <c>GATEHOUSE_FORWARD_AUTH_REFRESH_MS</c> (100 to 60,000; default 1,000); a bad value stops the start.</summary>
    public static ForwardAuthOptions Load(IConfiguration config)
    {
        if (config[RefreshVariable] is not { Length: > 0 } text)
        {
            return new ForwardAuthOptions();
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms is < 100 or > 60_000)
        {
            throw new Hosting.ConfigurationProblemException($"invalid configuration:\n  - {RefreshVariable} must be a whole number of milliseconds from 100 to 60000, not `{text}`.");
        }

        return new ForwardAuthOptions { RefreshInterval = TimeSpan.FromMilliseconds(ms) };
    }
}
