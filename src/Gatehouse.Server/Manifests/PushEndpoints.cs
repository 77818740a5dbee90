using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Server.Api;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Identity;
using Gatehouse.Server.Templates;
using Gatehouse.Storage;
using Gatehouse.Storage.Templates;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Manifests;

/// <summary>
/// <c>plan</c> and <c>push</c>: the server validates every file itself with the same reader the
/// CLI uses (a client is never trusted), then reconciles. Any error means nothing is written.
/// </summary>
internal static class PushEndpoints
{
    public const int MaxFiles = 25_000;

    /// <summary>
    /// The body of a plan or push may be larger than the server's default limit (30 MB): a whole
    /// organisation goes in one call, and 10,000 manifests with 100 needs each weigh about 70 MB
    /// as JSON (docs/adr/0037-a-million-grants.md). Only an authenticated caller gets this far.
    /// </summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    /// <param name="Template">A manifest's project's template and version (ADR 0029); none clears the app's record.</param>
    internal sealed record SourceFile(string Path, string Content, PushedTemplate? Template = null);

    internal sealed record PushBody(SourceFile? Organisation, IReadOnlyList<SourceFile>? Manifests);

    internal sealed record DiagnosticView(string Code, Severity Severity, string File, int Line, int Column, string Message)
    {
        public static DiagnosticView From(Diagnostic d) => new(d.Code, d.Severity, d.Location.File, d.Location.Line, d.Location.Column, d.Message);
    }

    /// <param name="Changes">The first changes, at most <c>?changes=N</c> of them (ADR 0038); <paramref name="Summary"/> counts them all.</param>
    /// <param name="Offboarding">What an organisation push did about people it no longer lists (ADR 0011); absent when nothing.</param>
    internal sealed record PushResponse(bool Applied, string? Organisation, IReadOnlyList<PlannedChange> Changes, IReadOnlyList<DiagnosticView> Warnings, PushChangeSummary Summary, OffboardingReport? Offboarding = null);

    private static readonly string ChangesParameter = $"`summary` counts every change per kind; `changes` lists the first of them in plan order: `?{PushChangeSummary.Parameter}=N` (0 to {PushChangeSummary.MaxLimit}, default {PushChangeSummary.DefaultLimit}). A push's changes are all in the audit log (docs/adr/0038-push-summary-answer.md).";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/plan", (PushBody body, [FromQuery] string? changes, HttpContext http, IGatehouseStore store, CancellationToken ct) => Handle(body, changes, apply: false, http, store, ct))
            .RequireRateLimiting(RateLimits.PushPolicy).AddEndpointFilter<PushRateLimitFilter>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithName("Plan").Produces<PushResponse>().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("What a push would change; nothing is written")
            .WithDescription(ChangesParameter);
        api.MapPost("/push", (PushBody body, [FromQuery] string? changes, HttpContext http, IGatehouseStore store, CancellationToken ct) => Handle(body, changes, apply: true, http, store, ct))
            .RequireRateLimiting(RateLimits.PushPolicy).AddEndpointFilter<PushRateLimitFilter>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AddEndpointFilter<IdempotencyFilter>().WithName("Push").Produces<PushResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Publish manifests (and, by an admin, the organisation file) and reconcile")
            .WithDescription(ChangesParameter);
    }

    /// <summary>From this many manifests a push reads them on every core.</summary>
    private const int ParallelReadFrom = 64;

    private static async Task<IResult> Handle(PushBody body, string? changes, bool apply, HttpContext http, IGatehouseStore store, CancellationToken ct)
    {
        var (limit, limitProblem) = PushChangeSummary.ReadLimit(changes);
        if (limitProblem is not null)
        {
            return limitProblem;
        }

        var files = body.Manifests ?? [];
        if (files.Count > MaxFiles)
        {
            return ApiProblems.Result(413, ApiErrors.TooManyFiles, $"At most {MaxFiles} manifests per push; push a larger organisation in several calls.");
        }

        if (body.Organisation is { Path: null } or { Content: null })
        {
            return ApiProblems.Result(400, ApiErrors.FileIncomplete, "`organisation` must have `path` and `content` (the text of gatehouse.org.yaml).");
        }

        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] is null or { Path: null } or { Content: null })
            {
                return ApiProblems.Result(400, ApiErrors.FileIncomplete, $"manifests[{i}] must have `path` and `content` (the text of a gatehouse.yaml).");
            }

            if (PushedTemplate.Problem(files[i].Template, i) is { } templateProblem)
            {
                return templateProblem;
            }
        }

        var diagnostics = new List<Diagnostic>();
        OrganisationFile? organisation = null;
        if (body.Organisation is { } orgFile)
        {
            var read = ManifestReader.ReadOrganisation(orgFile.Path, Encoding.UTF8.GetBytes(orgFile.Content));
            diagnostics.AddRange(read.Diagnostics);
            organisation = read.Value;
        }
        else
        {
            organisation = (await store.GetOrganisationAsync(ct))?.Organisation;
        }

        var uploads = new List<ManifestUpload>(files.Count);
        var templateRecords = new List<AppTemplateRecord>(files.Count);
        // Each file reads on its own; a large push spreads them over the cores (10,000 manifests of
        // a million-grant organisation took most of 20 s on one, ADR 0042), kept in upload order.
        var reads = new ReadResult<AppManifest>[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = files.Count < ParallelReadFrom ? 1 : -1 },
            i => reads[i] = ManifestReader.ReadManifest(files[i].Path, Encoding.UTF8.GetBytes(files[i].Content), organisation));
        for (var i = 0; i < files.Count; i++)
        {
            var (file, read) = (files[i], reads[i]);
            diagnostics.AddRange(read.Diagnostics);
            if (read.Value is { } manifest)
            {
                uploads.Add(new ManifestUpload(manifest, file.Content));
                templateRecords.Add(PushedTemplate.For(manifest.App, file.Template));
            }
        }

        diagnostics.AddRange(WorkspaceValidator.Validate(uploads.Select(u => u.Manifest).ToList(), organisation));
        if (diagnostics.Any(d => d.Severity == Severity.Error))
        {
            var problem = ApiProblems.Create(422, ApiErrors.FilesHaveErrors, "The files have errors; nothing was changed. Run `gatehouse validate` to see them locally.");
            problem.Extensions["diagnostics"] = diagnostics.Select(DiagnosticView.From).ToList();
            return new JsonApiResult(422, problem, "application/problem+json");
        }

        var warnings = diagnostics.Select(DiagnosticView.From).ToList();
        var actor = TriggeredByHeader.Apply(http.User.ToActor(), http.Request);
        string? organisationOutcome = null;
        OffboardingReport? offboarding = null;
        if (body.Organisation is { } org && organisation is not null)
        {
            if (apply)
            {
                var pushed = await store.PushOrganisationAsync(organisation, org.Content, actor, http.TraceIdentifier, ct);
                if (!pushed.Succeeded)
                {
                    return ApiProblems.From(pushed);
                }

                organisationOutcome = pushed.Value!.Description;
                offboarding = pushed.Value.Offboarding;
            }
            else
            {
                var current = await store.GetOrganisationAsync(ct);
                organisationOutcome = current?.SourceText == org.Content ? "unchanged" : "would be updated" + Removals(current?.Organisation, organisation);
            }
        }

        if (uploads.Count == 0)
        {
            return JsonApiResult.Ok(new PushResponse(apply, organisationOutcome, [], warnings, PushChangeSummary.Of(new PushPlan([]), limit), offboarding));
        }

        var result = apply
            ? await store.PushAsync(uploads, actor, http.TraceIdentifier, ct)
            : await store.PlanAsync(uploads, actor, ct);
        if (apply && result.Succeeded)
        {
            // After the push that proved the caller may publish these apps (ADR 0029).
            await http.RequestServices.GetRequiredService<ITemplateStore>().RecordAppTemplatesAsync(templateRecords, actor, http.TraceIdentifier, ct);
        }

        return result.Succeeded
            ? JsonApiResult.Ok(new PushResponse(apply, organisationOutcome, PushChangeSummary.First(result.Value!.Changes, limit), warnings, PushChangeSummary.Of(result.Value, limit), offboarding))
            : ApiProblems.From(result);
    }

    /// <summary>For a plan: the people the new file drops, whose personal tokens the push would revoke.</summary>
    private static string Removals(OrganisationFile? current, OrganisationFile next)
    {
        List<string> removed = current is null ? [] : [.. OwnerRules.Users(current).Where(u => !OwnerRules.IsUser(u, next))];
        return removed.Count == 0 ? string.Empty : $"; removes {string.Join(", ", removed)} (their personal tokens would be revoked)";
    }
}
