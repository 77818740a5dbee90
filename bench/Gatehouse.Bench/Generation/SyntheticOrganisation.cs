namespace Gatehouse.Bench.Generation;

internal sealed record SyntheticScope(string Name, string Description, string? Approval, string? ReplacedBy);

internal sealed record SyntheticNeed(string App, IReadOnlyList<string> Scopes, string Reason, IReadOnlyList<string>? Environments);

internal sealed record SyntheticApp(string Name, string Description, IReadOnlyList<string> Owners, IReadOnlyList<SyntheticScope> Scopes)
{
    public List<SyntheticNeed> Needs { get; } = [];
}

internal sealed record SyntheticTeam(string Name, string Description, IReadOnlyList<string> Members);

/// <summary>A generated organisation: valid per the manifest spec, deterministic from its seed.</summary>
internal sealed record SyntheticOrganisation(IReadOnlyList<string> Admins, IReadOnlyList<SyntheticTeam> Teams, IReadOnlyList<SyntheticApp> Apps)
{
    public static readonly (string Name, string Approval, string Description)[] Environments =
    [
        ("development", "auto", "Laptops and preview deployments"),
        ("staging", "scope", "Pre-production with test data"),
        ("production", "owner", "Live traffic"),
    ];
}
