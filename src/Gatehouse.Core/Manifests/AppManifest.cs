using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Manifests;

/// <summary>How a request for a scope is approved.</summary>
public enum ApprovalMode
{
    /// <summary>Granted at once, recorded as granted by policy.</summary>
    Auto = 0,

    /// <summary>One owner of the providing app approves (the default).</summary>
    Owner = 1,

    /// <summary>Two distinct owners of the providing app approve.</summary>
    TwoOwners = 2,
}

public enum OwnerKind
{
    User,
    Team,
}

/// <summary>An owner reference as written in a manifest: <c>user:alice</c> or <c>team:payments</c>.</summary>
public sealed record OwnerRef(OwnerKind Kind, string Name)
{
    public override string ToString() => $"{(Kind == OwnerKind.Team ? "team" : "user")}:{Name}";
}

/// <summary>A scope marked deprecated: still usable, but every need of it is warned about.</summary>
public sealed record ScopeDeprecation(string Message, string? ReplacedBy);

/// <summary>A scope an app offers. Its global name is <c>app:scope</c>.</summary>
public sealed record ScopeDeclaration(
    string Name,
    string? Description,
    ApprovalMode Approval,
    ScopeDeprecation? Deprecation,
    SourceLocation Location)
{
    /// <summary>The HTTP routes this scope protects, <c>GET /invoices/{id}</c> (ADR 0026); empty when none are declared.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    /// <summary>Where each entry of <see cref="Routes"/> is written (same order); empty when not read from a file.</summary>
    public IReadOnlyList<SourceLocation> RouteLocations { get; init; } = [];
    /// <summary>The longest a grant of this scope lasts from its approval (<c>maxGrantDays</c>), or null for no limit.</summary>
    public int? MaxGrantDays { get; init; }
}

/// <summary>Access an app needs: scopes of another app, with a reason, in some or all environments.</summary>
public sealed record NeedDeclaration(
    string App,
    IReadOnlyList<string> Scopes,
    string Reason,
    IReadOnlyList<string>? Environments,
    SourceLocation Location)
{
    /// <summary>Where each entry of <see cref="Scopes"/> is written (same order); empty when not read from a file.</summary>
    public IReadOnlyList<SourceLocation> ScopeLocations { get; init; } = [];

    /// <summary>The last day (UTC, inclusive) the grants of this need may last (<c>until</c>), or null for no end of its own.</summary>
    public DateOnly? Until { get; init; }

    /// <summary>The environments this need applies to, resolving "every environment" when none are named.</summary>
    public IReadOnlyList<string> EnvironmentsIn(IEnumerable<string> allEnvironments) =>
        Environments is { Count: > 0 } ? Environments : allEnvironments.ToList();
}

/// <summary>
/// A validated <c>gatehouse.yaml</c>. <see cref="Location"/> points at the app's name; scope and
/// need locations point at the scope's name and the needed app's name.
/// </summary>
public sealed record AppManifest(
    string ApiVersion,
    string App,
    string? Description,
    IReadOnlyList<OwnerRef> Owners,
    IReadOnlyList<ScopeDeclaration> Scopes,
    IReadOnlyList<NeedDeclaration> Needs,
    SourceLocation Location)
{
    public const string FileName = "gatehouse.yaml";

    /// <summary>Where each entry of <see cref="Owners"/> is written (same order); empty when not read from a file.</summary>
    public IReadOnlyList<SourceLocation> OwnerLocations { get; init; } = [];
}
