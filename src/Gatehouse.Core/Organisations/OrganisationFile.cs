using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Notifications;

namespace Gatehouse.Core.Organisations;

/// <summary>
/// An environment's approval policy. <see cref="Scope"/> lets each scope's own approval decide,
/// <see cref="Auto"/> grants at once (except two-owners scopes), <see cref="Owner"/> needs at
/// least one owner even for scopes marked auto, <see cref="TwoOwners"/> two people for every scope.
/// </summary>
public enum EnvironmentApproval
{
    Scope = 0,
    Auto = 1,
    Owner = 2,
    TwoOwners = 3,
}

public sealed record EnvironmentDefinition(string Name, string? Description, EnvironmentApproval Approval, SourceLocation Location)
{
    /// <summary>The longest a grant in this environment lasts from its approval (<c>maxGrantDays</c>), or null for no limit.</summary>
    public int? MaxGrantDays { get; init; }

    /// <summary>Where every event about a request or grant in this environment is sent (docs/notifications.md).</summary>
    public IReadOnlyList<NotificationTarget> Notify { get; init; } = [];

    /// <summary>
    /// The environment a need must be granted in before it can be approved here (<c>promotion</c>,
    /// ADR 0031), or null when there is none.
    /// </summary>
    public string? Promotion { get; init; }

    /// <summary>Periods in which no new grant is made here except by an admin's flagged emergency approval (ADR 0031).</summary>
    public IReadOnlyList<EnvironmentFreeze> Freezes { get; init; } = [];

    /// <summary>A grant here unused for this many days is revoked by policy (ADR 0032), or null to only flag it.</summary>
    public int? RevokeUnusedAfterDays { get; init; }

    /// <summary>An access review of this environment's grants every so many days (ADR 0032), or null for none.</summary>
    public Access.ReviewPolicy? Reviews { get; init; }

    /// <summary>The freeze in force at <paramref name="at"/>, or null.</summary>
    public EnvironmentFreeze? FrozenAt(DateTimeOffset at) => Freezes.FirstOrDefault(f => f.Covers(at));
}

/// <summary>A freeze from the start of <see cref="From"/> through the end of <see cref="Until"/> (UTC days, both included).</summary>
public sealed record EnvironmentFreeze(DateOnly From, DateOnly Until, string? Reason)
{
    public bool Covers(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day >= From && day <= Until;
    }

    public override string ToString() =>
        $"frozen from {From:yyyy-MM-dd} through {Until:yyyy-MM-dd}{(Reason is null ? string.Empty : $" ({Reason})")}";
}

public sealed record TeamDefinition(string Name, string? Description, IReadOnlyList<string> Members, SourceLocation Location)
{
    /// <summary>Where the events for the apps this team owns, and for its members, are sent (docs/notifications.md).</summary>
    public IReadOnlyList<NotificationTarget> Notify { get; init; } = [];
}

/// <summary>A validated <c>gatehouse.org.yaml</c>: the organisation's environments, teams and admins.</summary>
public sealed record OrganisationFile(
    string ApiVersion,
    string Name,
    IReadOnlyList<string> Admins,
    IReadOnlyList<EnvironmentDefinition> Environments,
    IReadOnlyList<TeamDefinition> Teams,
    SourceLocation Location)
{
    public const string FileName = "gatehouse.org.yaml";

    /// <summary>CI systems whose run tokens may push, plan and check for an app (ADR 0021); default none.</summary>
    public IReadOnlyList<CiIssuer> CiIssuers { get; init; } = [];

    /// <summary>
    /// The approval a request needs: a two-owners scope always needs two owners; otherwise the
    /// environment's policy decides, and <see cref="EnvironmentApproval.Scope"/> defers to the scope.
    /// </summary>
    public static ApprovalMode EffectiveApproval(ApprovalMode scope, EnvironmentApproval environment) =>
        scope == ApprovalMode.TwoOwners || environment == EnvironmentApproval.TwoOwners ? ApprovalMode.TwoOwners : environment switch
        {
            EnvironmentApproval.Auto => ApprovalMode.Auto,
            EnvironmentApproval.Owner => ApprovalMode.Owner,
            _ => scope,
        };

    /// <summary>
    /// <see cref="EffectiveApproval(ApprovalMode, EnvironmentApproval)"/> under the environment's
    /// other policies (ADR 0031): where a promotion or a freeze can block a grant, nothing is
    /// granted at once by policy; an owner decides once the block is lifted.
    /// </summary>
    public static ApprovalMode EffectiveApproval(ApprovalMode scope, EnvironmentDefinition environment, DateTimeOffset at)
    {
        var mode = EffectiveApproval(scope, environment.Approval);
        return mode == ApprovalMode.Auto && (environment.Promotion is not null || environment.FrozenAt(at) is not null) ? ApprovalMode.Owner : mode;
    }
}
