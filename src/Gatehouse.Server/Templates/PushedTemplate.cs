using Gatehouse.Core.Templates;
using Gatehouse.Server.Api;
using Gatehouse.Storage.Templates;

namespace Gatehouse.Server.Templates;

/// <summary>
/// What a push says about the template a manifest's project came from (ADR 0029): its source and
/// version from <c>.gatehouse/template.yaml</c>, never the answers or the file hashes.
/// </summary>
internal sealed record PushedTemplate(string? Source, string? Version)
{
    /// <summary>The first problem with the template of <c>manifests[index]</c>, as a 400 naming the field, or null.</summary>
    public static IResult? Problem(PushedTemplate? template, int index)
    {
        if (template is null)
        {
            return null;
        }

        var field = $"manifests[{index}].template";
        if (TemplateRecordRules.SourceProblem(template.Source) is { } source)
        {
            return ApiProblems.Result(400, TemplateCodes.RecordFieldInvalid, $"`{field}.source` {source}.");
        }

        return TemplateRecordRules.VersionProblem(template.Version) is { } version
            ? ApiProblems.Result(400, TemplateCodes.RecordFieldInvalid, $"`{field}.version` {version}.")
            : null;
    }

    /// <summary>The record the push sets for <paramref name="app"/>: this template, or none when the push sent none.</summary>
    public static AppTemplateRecord For(string app, PushedTemplate? template) => template is { Source: { } source, Version: { } version }
        ? new AppTemplateRecord(app, source.Trim(), SemVersion.TryParse(version))
        : new AppTemplateRecord(app, null, null);
}
