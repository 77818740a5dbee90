using Gatehouse.Core.Access;

namespace Gatehouse.Storage;

/// <summary>
/// Which credentials' metadata an actor may read (least privilege, ADR 0011): an admin or the
/// bootstrap token every token and OAuth client; a person her own personal tokens, whatever she
/// created, and the deploy tokens and clients of the apps she currently owns; a deploy token
/// those of its own app; anyone else (a policy, a person no longer in the organisation) nothing.
/// </summary>
public sealed class CredentialVisibility
{
    private readonly bool _everything;
    private readonly string? _user;
    private readonly IReadOnlySet<string> _apps;

    private CredentialVisibility(bool everything, string? user, IReadOnlySet<string> apps)
    {
        _everything = everything;
        _user = user;
        _apps = apps;
    }

    public static CredentialVisibility Everything { get; } = new(true, null, new HashSet<string>());

    public static CredentialVisibility Nothing { get; } = new(false, null, new HashSet<string>());

    /// <summary>A current, non-admin user who owns <paramref name="ownedApps"/> now.</summary>
    public static CredentialVisibility OfUser(string user, IEnumerable<string> ownedApps) =>
        new(false, user, ownedApps.ToHashSet(StringComparer.Ordinal));

    /// <summary>The deploy token of <paramref name="app"/>.</summary>
    public static CredentialVisibility OfApp(string app) => new(false, null, new HashSet<string>(StringComparer.Ordinal) { app });

    /// <summary>Whether the actor sees everything (an admin or the bootstrap token).</summary>
    public bool IsEverything => _everything;

    public bool MaySee(TokenInfo token) =>
        _everything
        || (token.Subject.Kind == TokenKind.Deploy && _apps.Contains(token.Subject.Name))
        || (_user is not null && ((token.Subject.Kind == TokenKind.Personal && token.Subject.Name == _user) || IsCreator(token.CreatedBy)));

    /// <summary>Whether the actor may see an OAuth client of <paramref name="app"/> created by <paramref name="createdBy"/>.</summary>
    public bool MaySeeClient(string app, string createdBy) => _everything || _apps.Contains(app) || IsCreator(createdBy);

    private bool IsCreator(string createdBy) => _user is not null && createdBy == new Actor(ActorKind.User, _user).ToString();
}
