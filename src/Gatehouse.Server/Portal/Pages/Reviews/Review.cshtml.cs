using Gatehouse.Core.Access;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Reviews;

/// <summary>
/// One review: the grants the viewer answers for (as an owner of the providing app; an admin sees
/// all), keep or revoke each, or keep several at once. Progress per providing app for everyone.
/// </summary>
internal sealed class ReviewModel(PortalData data) : PortalPageModel
{
    public AccessReview Review { get; private set; } = null!;

    /// <summary>The items the viewer may answer for, waiting ones first.</summary>
    public IReadOnlyList<ReviewItem> Mine { get; private set; } = [];

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
        Progress = [.. review.Items.GroupBy(i => i.Key.Provider).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(i => i.Decision == ReviewDecision.Keep), g.Count(i => i.Decision == ReviewDecision.Revoke), g.Count(i => i.Decision is null && i.Outcome is null)))];
        return true;
    }
}
