using Gatehouse.Core.Templates;
using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage.Templates;

namespace Gatehouse.Server.Templates;

/// <summary>
/// Templates seen from the platform (ADR 0029): every published template with its versions, how
/// many apps are on each, the apps behind and the migration notes they have ahead of them.
/// Readable by every authenticated caller, like the catalogue; published by an admin.
/// </summary>
internal static class TemplateEndpoints
{
    internal sealed record VersionBody(string? Version, string? MigrationNote);

    internal sealed record PublishBody(string? Name, string? Source, IReadOnlyList<VersionBody?>? Versions);

    internal sealed record TemplateList(IReadOnlyList<TemplateView> Templates);

    internal sealed record TemplateView(
        string Name, string Source, bool Published, string? Latest, int AppCount, int AppsBehind,
        IReadOnlyList<TemplateVersionUse> Versions, IReadOnlyList<TemplateAppStatus> Apps)
    {
        public static TemplateView From(TemplateFleetEntry e) => new(e.Name, e.Source, e.Published, e.Latest, e.Apps.Count, e.AppsBehind, e.Versions, e.Apps);
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/templates", async (ITemplateStore templates, CancellationToken ct) =>
                JsonApiResult.Ok(new TemplateList([.. (await FleetAsync(templates, ct)).Templates.Select(TemplateView.From)])))
            .WithName("ListTemplates").Produces<TemplateList>()
            .WithSummary("Every template, its versions with how many apps are on each, the apps behind and their migration notes");
        api.MapGet("/templates/{name}", async (string name, ITemplateStore templates, CancellationToken ct) =>
                (await FleetAsync(templates, ct)).Templates.FirstOrDefault(t => t.Published && t.Name == name) is { } entry
                    ? JsonApiResult.Ok(TemplateView.From(entry))
                    : ApiProblems.Result(404, TemplateCodes.TemplateNotFound, $"No template named `{ApiProblems.Printable(name)}` has been published; `gatehouse template publish SOURCE` publishes one."))
            .WithName("GetTemplate").Produces<TemplateView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One published template with its versions and apps");
        api.MapPost("/templates", PublishAsync)
            .AddEndpointFilter<IdempotencyFilter>().WithName("PublishTemplate").Produces<TemplatePublication>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Publish a template's versions and migration notes (an admin)");
    }

    internal static async Task<TemplateFleet> FleetAsync(ITemplateStore templates, CancellationToken ct) =>
        TemplateFleet.Build(await templates.ListTemplatesAsync(ct), await templates.ListAppTemplatesAsync(ct));

    private static async Task<IResult> PublishAsync(PublishBody body, HttpContext http, ITemplateStore templates, CancellationToken ct)
    {
        if (Validate(body) is { } problem)
        {
            return ApiProblems.Result(400, TemplateCodes.PublishFieldInvalid, problem);
        }

        var versions = body.Versions!.Select(v => new PublishedTemplateVersion(SemVersion.TryParse(v!.Version)!, string.IsNullOrWhiteSpace(v.MigrationNote) ? null : v.MigrationNote)).ToList();
        var result = await templates.PublishAsync(new PublishedTemplate(body.Name!, body.Source!.Trim(), versions), http.User.ToActor(), http.TraceIdentifier, ct);
        return result.Succeeded ? JsonApiResult.Ok(result.Value!) : ApiProblems.From(result);
    }

    /// <summary>The first problem with the body, naming its field, or null.</summary>
    private static string? Validate(PublishBody body)
    {
        if (TemplateRecordRules.NameProblem(body.Name) is { } name)
        {
            return $"`name` {name}.";
        }

        if (TemplateRecordRules.SourceProblem(body.Source) is { } source)
        {
            return $"`source` {source}.";
        }

        if (body.Versions is not { Count: > 0 } list)
        {
            return "`versions` is missing or empty; a template's versions are its semver tags.";
        }

        if (list.Count > TemplateRecordRules.MaxVersions)
        {
            return $"`versions` holds {list.Count} versions; at most {TemplateRecordRules.MaxVersions}.";
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not { } v)
            {
                return $"`versions[{i}]` must have `version`.";
            }

            if (TemplateRecordRules.VersionProblem(v.Version) is { } version)
            {
                return $"`versions[{i}].version` {version}.";
            }

            if (v.MigrationNote is { Length: > TemplateRecordRules.MaxNoteLength })
            {
                return $"`versions[{i}].migrationNote` is longer than {TemplateRecordRules.MaxNoteLength} characters.";
            }
        }

        return null;
    }
}
