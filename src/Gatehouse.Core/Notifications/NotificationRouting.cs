using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Notifications;

/// <summary>
/// Who hears of an event: the targets of the teams concerned (owner teams, and the teams of the
/// people concerned, since the organisation file knows people only as team members) and of the
/// environment the access is in. Muted targets are left out.
/// </summary>
public static class NotificationRouting
{
    public static IReadOnlyList<(string Id, NotificationTarget Target)> Targets(
        OrganisationFile organisation, IEnumerable<string> teams, IEnumerable<string> people, IEnumerable<string> environments)
    {
        var teamNames = teams.ToHashSet(StringComparer.Ordinal);
        var persons = people.ToHashSet(StringComparer.Ordinal);
        var environmentNames = environments.ToHashSet(StringComparer.Ordinal);
        var found = new List<(string, NotificationTarget)>();
        foreach (var team in organisation.Teams)
        {
            if (teamNames.Contains(team.Name) || team.Members.Any(persons.Contains))
            {
                Add(found, $"team:{team.Name}", team.Notify);
            }
        }

        foreach (var environment in organisation.Environments.Where(e => environmentNames.Contains(e.Name)))
        {
            Add(found, $"environment:{environment.Name}", environment.Notify);
        }

        return found;
    }

    /// <summary>The target a delivery was routed to, if the organisation file still declares it.</summary>
    public static NotificationTarget? Find(OrganisationFile organisation, string id)
    {
        var slash = id.IndexOf('/');
        if (slash < 0)
        {
            return null;
        }

        var (owner, name) = (id[..slash], id[(slash + 1)..]);
        var targets = owner.StartsWith("team:", StringComparison.Ordinal)
            ? organisation.Teams.FirstOrDefault(t => t.Name == owner[5..])?.Notify
            : owner.StartsWith("environment:", StringComparison.Ordinal)
                ? organisation.Environments.FirstOrDefault(e => e.Name == owner[12..])?.Notify
                : null;
        return targets?.FirstOrDefault(t => t.Name == name);
    }

    private static void Add(List<(string, NotificationTarget)> found, string owner, IReadOnlyList<NotificationTarget> targets)
    {
        foreach (var target in targets.Where(t => t.Digest != NotificationDigest.Muted))
        {
            found.Add((NotificationTarget.Id(owner, target.Name), target));
        }
    }
}
