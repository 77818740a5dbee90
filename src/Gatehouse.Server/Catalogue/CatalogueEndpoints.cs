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
        // The store is a singleton, taken once: resolving it per request would open a service scope for each call.
        var store = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IGatehouseStore>();
        // A delegate rather than a RequestDelegate, so the OpenAPI document describes it.
        api.MapGet("/me", (Func<HttpContext, Task>)(http => MeAnswers.WriteAsync(http, store))).WithName("GetMe").Produces<MeView>();

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

/// <summary>
/// <c>GET /api/v1/me</c>, answered once per principal. A token's principal is made once per
/// change version (ADR 0034), and a change to what the answer says (a user's admin flag or teams,
/// both from the organisation file) moves the version, so the answer made for a principal holds
/// as long as the principal is in use: the bytes are kept with it and copied to each response.
/// Principals of other kinds (a CI job's JWT) are answered anew each time.
/// </summary>
internal static class MeAnswers
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GatehousePrincipal, byte[]> Answers = [];

    public static Task WriteAsync(HttpContext http, IGatehouseStore store) =>
        http.User is GatehousePrincipal principal && Answers.TryGetValue(principal, out var known)
            ? HotJsonAnswer.WriteAsync(http, known)
            : AnswerAsync(http, store);

    private static async Task AnswerAsync(HttpContext http, IGatehouseStore store)
    {
        var actor = http.User.ToActor();
        var user = actor.Kind == Core.Access.ActorKind.User ? await store.GetUserAsync(actor.Name, http.RequestAborted) : null;
        var answer = new HotJsonResult<MeView>(new MeView(actor, user?.IsAdmin ?? actor.Kind == Core.Access.ActorKind.Bootstrap, user?.Teams ?? []), MeView.Write).ToBytes();
        if (http.User is GatehousePrincipal principal)
        {
            Answers.AddOrUpdate(principal, answer);
        }

        await HotJsonAnswer.WriteAsync(http, answer);
    }
}

/// <summary>Who the caller is: <c>GET /api/v1/me</c>.</summary>
internal sealed record MeView(string Actor, Core.Access.ActorKind Kind, string Name, bool IsAdmin, IReadOnlyList<string> Teams)
{
    public MeView(Core.Access.Actor actor, bool isAdmin, IReadOnlyList<string> teams)
        : this(actor.ToString(), actor.Kind, actor.Name, isAdmin, teams)
    {
    }

    /// <summary>Exactly as <see cref="ApiJson.Options"/> writes it.</summary>
    internal static void Write(System.Text.Json.Utf8JsonWriter writer, MeView me)
    {
        writer.WriteStartObject();
        writer.WriteString("actor"u8, me.Actor);
        JsonEnumNames<Core.Access.ActorKind>.Write(writer, "kind"u8, me.Kind);
        writer.WriteString("name"u8, me.Name);
        writer.WriteBoolean("isAdmin"u8, me.IsAdmin);
        writer.WriteStartArray("teams"u8);
        foreach (var team in me.Teams)
        {
            writer.WriteStringValue(team);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
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
