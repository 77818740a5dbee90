using Gatehouse.Core.Access;
using Gatehouse.Core.Templates;

namespace Gatehouse.Storage.Templates;

/// <summary>
/// Templates seen from the platform (ADR 0029): which template and version each app's last push
/// named, and the templates an admin published with their versions and migration notes. In the
/// same database as the <see cref="IGatehouseStore"/>; writes are audited like every other write.
/// </summary>
public interface ITemplateStore
{
    /// <summary>
    /// Sets each app's record to what its push said: a source and a version, or none (the record is
    /// cleared). Only changes are written and audited; returns how many apps changed.
    /// </summary>
    Task<int> RecordAppTemplatesAsync(IReadOnlyList<AppTemplateRecord> records, Actor actor, string? correlationId, CancellationToken ct = default);

    /// <summary>Every app's current template record.</summary>
    Task<IReadOnlyList<AppTemplateUse>> ListAppTemplatesAsync(CancellationToken ct = default);

    /// <summary>
    /// Publishes a template's versions and migration notes (an admin only, GH7033), replacing what
    /// was published under its name before; a source another name holds is refused (GH7034).
    /// Publishing the same thing twice changes nothing.
    /// </summary>
    Task<StoreResult<TemplatePublication>> PublishAsync(PublishedTemplate template, Actor actor, string? correlationId, CancellationToken ct = default);

    /// <summary>Every published template, by name.</summary>
    Task<IReadOnlyList<PublishedTemplate>> ListTemplatesAsync(CancellationToken ct = default);
}

/// <summary>What a push says about an app: made from <see cref="Source"/> at <see cref="Version"/>, or (both null) from no template.</summary>
public sealed record AppTemplateRecord(string App, string? Source, SemVersion? Version);

/// <summary>The result of a publication: <c>published</c>, <c>updated</c> or <c>unchanged</c>.</summary>
public sealed record TemplatePublication(string Name, string Outcome, int Versions);
