using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Apps;

/// <summary>One scope: which apps use it in each environment, and the history of every grant; owners revoke here.</summary>
internal sealed class ScopeModel(PortalData data, Storage.Usage.IUsageStore usage, Usage.UsageOptions usageOptions, TimeProvider time) : PortalPageModel
{
    /// <summary>When each grant shown was last used (ADR 0024).</summary>
    public IReadOnlyDictionary<long, DateTimeOffset> LastUse { get; private set; } = new Dictionary<long, DateTimeOffset>();

    public bool IsUnused(Grant grant) => grant.State == GrantState.Active && usageOptions.IsUnused(grant.GrantedAt, LastUse.TryGetValue(grant.Id, out var at) ? at : null, time.GetUtcNow());

    /// <summary>One consumer of the scope in one environment, with where it stands and how it got there.</summary>
    public sealed record Consumer(string App, string State, Grant? ActiveGrant, IReadOnlyList<TimelineEntry> History);

    public string AppName { get; private set; } = string.Empty;

    public ScopeDeclaration Scope { get; private set; } = null!;

    public IReadOnlyList<string> OwnerUsers { get; private set; } = [];

    public bool MayRevoke { get; private set; }

    public IReadOnlyList<(string Env, IReadOnlyList<Consumer> Consumers)> ByEnvironment { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string app, string scope, CancellationToken ct) =>
        await LoadAsync(app, scope, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRevokeAsync(string app, string scope, long grantId, string? comment, CancellationToken ct)
    {
        var result = await data.Store.RevokeAsync(grantId, Viewer.Actor, comment, HttpContext.TraceIdentifier, ct);
        if (result.Succeeded)
        {
            return Done($"Grant #{grantId} ({result.Value!.Key}) revoked.", PortalHtml.ScopeUrl(app, scope));
        }

        Refused(result);
        return await LoadAsync(app, scope, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string app, string scope, CancellationToken ct)
    {
        var details = await data.Store.GetAppAsync(app, ct);
        if (details?.Manifest.Scopes.FirstOrDefault(s => s.Name == scope) is not { } declaration)
        {
            return false;
        }

        AppName = app;
        Scope = declaration;
        OwnerUsers = details.OwnerUsers;
        MayRevoke = Viewer.IsAdmin || OwnerUsers.Contains(Viewer.Name, StringComparer.Ordinal);

        var requests = (await data.Store.ListRequestsAsync(new RequestQuery(Provider: app, Limit: 5_000), ct)).Where(r => r.Key.Scope == scope).ToList();
        var grants = await data.Store.ListGrantsAsync(new GrantQuery(Provider: app, Scope: scope, ActiveOnly: false, Limit: 10_000), ct);
        LastUse = await usage.GrantLastUseAsync(grants.Where(g => g.State == GrantState.Active).Select(g => g.Id), ct);
        var environments = await data.EnvironmentsAsync(ct);
        ByEnvironment = [.. environments.Select(env => (env, (IReadOnlyList<Consumer>)[.. requests.Where(r => r.Key.Environment == env)
            .GroupBy(r => r.Key.Consumer)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summarise(g.Key, [.. g.OrderBy(r => r.Id)], grants.Where(x => x.Key.Consumer == g.Key && x.Key.Environment == env).ToList()))]))];
        return true;
    }

    private static Consumer Summarise(string app, List<AccessRequest> requests, List<Grant> grants)
    {
        var active = grants.FirstOrDefault(g => g.State == GrantState.Active);
        var latest = requests[^1];
        var expired = grants.Any(g => g.State == GrantState.Expired && g.RequestId == latest.Id);
        var state = active is not null ? "granted"
            : latest.State == RequestState.Approved ? (expired ? "expired" : "revoked")
            : latest.State.ToString().ToLowerInvariant();
        var history = requests.SelectMany(r => TimelineEntry.For(r, grants.Where(g => g.RequestId == r.Id))).OrderBy(e => e.At).ToList();
        return new Consumer(app, state, active, history);
    }
}
