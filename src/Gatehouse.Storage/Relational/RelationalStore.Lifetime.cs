using System.Globalization;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    /// <summary>
    /// When a grant approved now for <paramref name="key"/> ends (ADR 0023): the providing scope's
    /// and the environment's <c>maxGrantDays</c> and the consuming need's <c>until</c>, as they
    /// stand at the approval, read under the write lock.
    /// </summary>
    /// <param name="environmentDays">The <c>maxGrantDays</c> of the key's environment (the caller has read the organisation).</param>
    private static async Task<DateTimeOffset?> GrantEndAsync(WriteScope scope, AccessKey key, int? environmentDays, CancellationToken ct)
    {
        var scopeDays = await scope.ScalarAsync("SELECT max_grant_days FROM scopes WHERE app = @p AND name = @s", ct, ("@p", key.Provider), ("@s", key.Scope));
        var consumer = await scope.ScalarAsync("SELECT model FROM apps WHERE name = @c", ct, ("@c", key.Consumer));
        var until = consumer is string json
            ? StoreJson.ReadManifest(json).Needs.FirstOrDefault(n => n.App == key.Provider && n.Scopes.Contains(key.Scope, StringComparer.Ordinal))?.Until
            : null;
        return GrantLifetime.End(scope.At, scopeDays is null or DBNull ? null : Convert.ToInt32(scopeDays, CultureInfo.InvariantCulture), environmentDays, until);
    }

    /// <summary>An end as audit data and API text: ISO 8601 UTC, or null for none.</summary>
    internal static string? EndText(DateTimeOffset? end) => end?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
