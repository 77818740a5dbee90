using Gatehouse.Core.Manifests;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Catalogue;

/// <summary>Read-only views of the organisation and its apps: visible to every authenticated caller.</summary>
internal static class CatalogueEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", async (HttpContext http, IGatehouseStore store, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var user = actor.Kind == Core.Access.ActorKind.User ? await store.GetUserAsync(actor.Name, ct) : null;
            return JsonApiResult.Ok(new { actor = actor.ToString(), kind = actor.Kind, name = actor.Name, isAdmin = user?.IsAdmin ?? actor.Kind == Core.Access.ActorKind.Bootstrap, teams = user?.Teams ?? [] });
        }).WithName("GetMe");

        api.MapGet("/organisation", async (IGatehouseStore store, CancellationToken ct) =>
            await store.GetOrganisationAsync(ct) is { } org
                ? JsonApiResult.Ok(OrganisationView.From(org))
                : ApiProblems.Result(404, StoreErrors.OrganisationMissing, "No organisation file has been pushed yet: an admin runs `gatehouse push` on the folder holding gatehouse.org.yaml."))
            .WithName("GetOrganisation");

        api.MapGet("/apps", async (IGatehouseStore store, CancellationToken ct) =>
            JsonApiResult.Ok(new { apps = (await store.ListAppsAsync(ct)).Select(a => new { a.Name, a.Description, owners = a.Owners.Select(o => o.ToString()), a.ScopeCount, a.NeedCount }) }))
            .WithName("ListApps");

        api.MapGet("/apps/{app}", async (string app, IGatehouseStore store, CancellationToken ct) =>
            await store.GetAppAsync(app, ct) is { } details
                ? JsonApiResult.Ok(AppView.From(details))
                : ApiProblems.Result(404, ApiErrors.AppNotFound, $"No app named `{app}` has been pushed."))
            .WithName("GetApp");
    }
}

internal sealed record ScopeView(string Name, string? Description, ApprovalMode Approval, ScopeDeprecation? Deprecated);

internal sealed record NeedView(string App, IReadOnlyList<string> Scopes, string Reason, IReadOnlyList<string>? Environments);

internal sealed record AppView(
    string Name, string? Description, IReadOnlyList<string> Owners, IReadOnlyList<string> OwnerUsers,
    IReadOnlyList<ScopeView> Scopes, IReadOnlyList<NeedView> Needs, string Source, DateTimeOffset PushedAt, string PushedBy)
{
    public static AppView From(AppDetails d) => new(
        d.Manifest.App,
        d.Manifest.Description,
        d.Manifest.Owners.Select(o => o.ToString()).ToList(),
        d.OwnerUsers,
        d.Manifest.Scopes.Select(s => new ScopeView(s.Name, s.Description, s.Approval, s.Deprecation)).ToList(),
        d.Manifest.Needs.Select(n => new NeedView(n.App, n.Scopes, n.Reason, n.Environments)).ToList(),
        d.SourceText,
        d.PushedAt,
        d.PushedBy);
}

internal sealed record OrganisationView(string Name, IReadOnlyList<string> Admins, IReadOnlyList<object> Environments, IReadOnlyList<object> Teams, DateTimeOffset PushedAt, string PushedBy)
{
    public static OrganisationView From(OrganisationSnapshot s) => new(
        s.Organisation.Name,
        s.Organisation.Admins,
        s.Organisation.Environments.Select(e => (object)new { e.Name, e.Description, e.Approval }).ToList(),
        s.Organisation.Teams.Select(t => (object)new { t.Name, t.Description, t.Members }).ToList(),
        s.PushedAt,
        s.PushedBy);
}
