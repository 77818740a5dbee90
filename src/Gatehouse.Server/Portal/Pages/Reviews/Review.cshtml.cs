using Gatehouse.Core.Access;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Reviews;

/// <summary>
/// One review: the grants the viewer answers for (as an owner of the providing app; an admin sees
/// all), keep or revoke each, or keep several at once. Progress per providing app for everyone.
/// </summary>
internal sealed class ReviewModel(PortalData data, Storage.Usage.IUsageStore usage, Usage.UsageOptions usageOptions) : PortalPageModel
{
    /// <summary>When each grant was last used (ADR 0024): the evidence an owner keeps it on.</summary>
    public IReadOnlyDictionary<long, DateTimeOffset> LastUse { get; private set; } = new Dictionary<long, DateTimeOffset>();

    /// <summary>The viewer's waiting grants used within the unused threshold: what "Keep the recently used" keeps.</summary>
    public IReadOnlyList<long> RecentlyUsed { get; private set; } = [];

    public int UnusedAfterDays => usageOptions.UnusedAfterDays;

    public bool IsUnused(ReviewItem item) => usageOptions.IsUnused(item.GrantedAt, LastUse.TryGetValue(item.GrantId, out var at) ? at : null, data.Now);

    public AccessReview Review { get; private set; } = null!;

    /// <summary>The items the viewer may answer for, waiting ones first.</summary>
    public IReadOnlyList<ReviewItem> Mine { get; private set; } = [];

    /// <summary>Per team owning a providing app (an app owned by people only counts under "no team"): kept, revoked, waiting.</summary>
    public IReadOnlyList<(string Team, int Kept, int Revoked, int Waiting)> TeamProgress { get; private set; } = [];

    /// <summary>Per providing app: kept, revoked, waiting.</summary>
    public IReadOnlyList<(string Provider, int Kept, int Revoked, int Waiting)> Progress { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, long[]? grants, string? decision, string? comment, CancellationToken ct)
    {
        ReviewDecision? answer = decision switch { "keep" => ReviewDecision.Keep, "revoke" => ReviewDecision.Revoke, _ => null };
        if (answer is null || grants is not { Length: > 0 })
        {
            return BadRequest();
        }

        var done = 0;
        foreach (var grant in grants)
        {
            var result = await data.Store.DecideReviewItemAsync(id, grant, answer.Value, comment, Viewer.Actor, HttpContext.TraceIdentifier, ct);
            if (!result.Succeeded)
            {
                Refused(result);
                return await LoadAsync(id, ct) ? Page() : NotFound();
            }

            done++;
        }

        return Done($"{done} grant(s) {(answer == ReviewDecision.Keep ? "kept" : "revoked")} in review #{id}.", $"/reviews/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await data.Store.GetReviewAsync(id, ct) is not { } review)
        {
            return false;
        }

        Review = review;
        var owned = Viewer.IsAdmin ? null : (await data.OwnedAppsAsync(Viewer, ct)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        Mine = [.. review.Items.Where(i => owned is null || owned.Contains(i.Key.Provider)).OrderBy(i => i.Decision is not null || i.Outcome is not null).ThenBy(i => i.Key.Provider, StringComparer.Ordinal)];
        LastUse = await usage.GrantLastUseAsync(Mine.Select(i => i.GrantId), ct);
        RecentlyUsed = [.. Mine.Where(i => i.Decision is null && i.Outcome is null && LastUse.ContainsKey(i.GrantId) && !IsUnused(i)).Select(i => i.GrantId)];
        var owners = (await data.AppsAsync(ct)).ToDictionary(a => a.Name, a => a.Owners, StringComparer.Ordinal);
        TeamProgress = [.. review.Items
            .SelectMany(i => TeamsOf(owners.GetValueOrDefault(i.Key.Provider)).Select(team => (team, i)))
            .GroupBy(x => x.team).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(x => x.i.Decision == ReviewDecision.Keep), g.Count(x => x.i.Decision == ReviewDecision.Revoke), g.Count(x => x.i.Decision is null && x.i.Outcome is null)))];
        Progress = [.. review.Items.GroupBy(i => i.Key.Provider).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(i => i.Decision == ReviewDecision.Keep), g.Count(i => i.Decision == ReviewDecision.Revoke), g.Count(i => i.Decision is null && i.Outcome is null)))];
        return true;
    }

    private static List<string> TeamsOf(IReadOnlyList<Core.Manifests.OwnerRef>? owners)
    {
        var teams = owners?.Where(o => o.Kind == Core.Manifests.OwnerKind.Team).Select(o => o.Name).ToList() ?? [];
        return teams.Count > 0 ? teams : ["no team"];
    }
}
