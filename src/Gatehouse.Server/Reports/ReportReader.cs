using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage;

namespace Gatehouse.Server.Reports;

/// <summary>
/// Who may read a report and what of it (ADR 0030): an admin (or the bootstrap token) everything;
/// a person who owns apps the rows and events about those apps; nobody else, and no app.
/// </summary>
internal sealed record ReportReader(string Name, bool Everything, IReadOnlySet<string> Apps)
{
    public bool MaySee(string? consumer, string? provider) =>
        Everything || (consumer is not null && Apps.Contains(consumer)) || (provider is not null && Apps.Contains(provider));

    /// <summary>The reader, or null when the caller may read no report at all.</summary>
    public static async Task<ReportReader?> ForAsync(Actor actor, IGatehouseStore store, CancellationToken ct)
    {
        if (actor.Kind == ActorKind.Bootstrap)
        {
            return new ReportReader("bootstrap", true, new HashSet<string>());
        }

        if (actor.Kind != ActorKind.User || await store.GetUserAsync(actor.Name, ct) is not { } user)
        {
            return null;
        }

        if (user.IsAdmin)
        {
            return new ReportReader(user.Name, true, new HashSet<string>());
        }

        var teams = user.Teams.ToHashSet(StringComparer.Ordinal);
        var owned = (await store.ListAppsAsync(ct))
            .Where(a => a.Owners.Any(o => o.Kind == OwnerKind.Team ? teams.Contains(o.Name) : o.Name == user.Name))
            .Select(a => a.Name)
            .ToHashSet(StringComparer.Ordinal);
        return owned.Count == 0 ? null : new ReportReader(user.Name, false, owned);
    }

    /// <summary>What the report covers, said in the report itself.</summary>
    public string Coverage => Everything ? "all apps" : "apps owned by " + Name + ": " + string.Join(", ", Apps.Order(StringComparer.Ordinal));
}
