using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Requests;

/// <summary>One request: what was asked, why, and everything that happened to it since; owners decide here.</summary>
internal sealed class RequestModel(PortalData data) : PortalPageModel
{
    public AccessRequest Item { get; private set; } = null!;

    public DecisionAdvice Advice { get; private set; } = new(false, false, null);

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, string? decision, string? comment, string? returnUrl, bool emergency, CancellationToken ct)
    {
        if (decision is not ("approve" or "deny"))
        {
            return BadRequest();
        }

        var approve = decision == "approve";
        var result = await data.Store.DecideAsync(id, Viewer.Actor, approve, comment, HttpContext.TraceIdentifier, approve && emergency, ct);
        if (result.Succeeded)
        {
            var r = result.Value!;
            var what = r.State switch
            {
                RequestState.Approved => "approved: access granted",
                RequestState.Denied => "denied",
                _ => "approved; it waits for a second owner",
            };
            return Done($"Request #{r.Id} ({r.Key}) {what}.", returnUrl);
        }

        Refused(result);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await data.Store.GetRequestAsync(id, ct) is not { } request)
        {
            return false;
        }

        Item = request;
        Advice = await data.AdviseAsync(Viewer, request, ct);
        var k = request.Key;
        var grants = await data.Store.ListGrantsAsync(new GrantQuery(k.Provider, k.Scope, k.Consumer, k.Environment, ActiveOnly: false), ct);
        Timeline = TimelineEntry.For(request, grants.Where(g => g.RequestId == id));
        return true;
    }
}
