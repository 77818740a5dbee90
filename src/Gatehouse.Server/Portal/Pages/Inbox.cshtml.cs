using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>Requests for scopes the viewer owns (admins may look at every pending request).</summary>
internal sealed class InboxModel(PortalData data) : PortalPageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<RequestCardModel> Cards { get; private set; } = [];

    public IReadOnlyList<string> Environments { get; private set; } = [];

    public string? Env { get; private set; }

    public bool All { get; private set; }

    public int Total { get; private set; }

    public async Task OnGetAsync(string? env, bool all, CancellationToken ct)
    {
        Environments = await data.EnvironmentsAsync(ct);
        Env = env is not null && Environments.Contains(env) ? env : null;
        All = all && Viewer.IsAdmin;
        var requests = await data.Store.ListRequestsAsync(new RequestQuery(Environment: Env, State: RequestState.Pending, ApproverUser: All ? null : Viewer.Name, Limit: 5000), ct);
        Total = requests.Count;
        var returnUrl = HttpContext.Request.Path + HttpContext.Request.QueryString;
        var cards = new List<RequestCardModel>();
        foreach (var r in requests.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Take(PageSize))
        {
            cards.Add(new RequestCardModel(r, await data.AdviseAsync(Viewer, r, ct), returnUrl));
        }

        Cards = cards;
    }
}
