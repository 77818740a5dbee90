using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>An app as stored, reduced to what a push compares.</summary>
internal sealed record StoredApp(string Name, string? Description, IReadOnlyList<OwnerRef> Owners, string SourceText);

/// <summary>A scope as stored.</summary>
internal sealed record StoredScope(string App, string Name, string? Description, ApprovalMode Approval, string? Deprecation, string? ReplacedBy)
{
    public int? MaxGrantDays { get; init; }
}

/// <summary>Everything a push depends on, loaded in a few queries before planning.</summary>
internal sealed class PushState
{
    public required OrganisationFile Organisation { get; init; }

    /// <summary>The time of the push: grants it creates start here, and a grant that ended before it is expired.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>Stored apps among the uploaded ones, by name.</summary>
    public required IReadOnlyDictionary<string, StoredApp> Apps { get; init; }

    /// <summary>Stored scopes of the uploaded apps and of every app they need, by app then scope.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, StoredScope>> Scopes { get; init; }

    /// <summary>Every key ever requested by an uploaded app, in a stable order.</summary>
    public required IReadOnlyList<(AccessKey Key, KeyHistory History)> ConsumerKeys { get; init; }

    /// <summary>Every key of a scope this push removes (any consumer).</summary>
    public IReadOnlyList<(AccessKey Key, KeyHistory History)> RemovedScopeKeys { get; init; } = [];
}
