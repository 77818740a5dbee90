using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Notifications;

namespace Gatehouse.Core.Organisations;

/// <summary>
/// An environment's approval policy. <see cref="Scope"/> lets each scope's own approval decide,
/// <see cref="Auto"/> grants at once (except two-owners scopes), <see cref="Owner"/> needs at
/// least one owner even for scopes marked auto.
/// </summary>
public enum EnvironmentApproval
{
    Scope = 0,
    Auto = 1,
    Owner = 2,
}

public sealed record EnvironmentDefinition(string Name, string? Description, EnvironmentApproval Approval, SourceLocation Location)
{
    /// <summary>The longest a grant in this environment lasts from its approval (<c>maxGrantDays</c>), or null for no limit.</summary>
    public int? MaxGrantDays { get; init; }

    /// <summary>Where every event about a request or grant in this environment is sent (docs/notifications.md).</summary>
    public IReadOnlyList<NotificationTarget> Notify { get; init; } = [];
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
        scope == ApprovalMode.TwoOwners ? ApprovalMode.TwoOwners : environment switch
        {
            EnvironmentApproval.Auto => ApprovalMode.Auto,
            EnvironmentApproval.Owner => ApprovalMode.Owner,
            _ => scope,
        };
}
