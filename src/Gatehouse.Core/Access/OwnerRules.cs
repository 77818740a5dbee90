using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Access;

/// <summary>Who owns an app and who administers the organisation, as of the current organisation file.</summary>
public static class OwnerRules
{
    /// <summary>
    /// The owner references expanded to user names (<c>team:X</c> becomes X's members), sorted. A
    /// <c>user:NAME</c> entry counts only while NAME is a user of the organisation file (an admin
    /// or a team member): someone removed from the file owns nothing (ADR 0011).
    /// </summary>
    public static IReadOnlyList<string> OwnerUsers(IEnumerable<OwnerRef> owners, OrganisationFile organisation)
    {
        var users = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var owner in owners)
        {
            if (owner.Kind == OwnerKind.User)
            {
                if (IsUser(owner.Name, organisation))
                {
                    users.Add(owner.Name);
                }

                continue;
            }

            var team = organisation.Teams.FirstOrDefault(t => string.Equals(t.Name, owner.Name, StringComparison.Ordinal));
            if (team is not null)
            {
                users.UnionWith(team.Members);
            }
        }

        return [.. users];
    }

    /// <summary>Whether a person is a user of the organisation: listed among its admins or in a team.</summary>
    public static bool IsUser(string name, OrganisationFile organisation) =>
        organisation.Admins.Contains(name, StringComparer.Ordinal)
        || organisation.Teams.Any(t => t.Members.Contains(name, StringComparer.Ordinal));

    /// <summary>Every user of the organisation (admins and team members), sorted.</summary>
    public static IReadOnlyList<string> Users(OrganisationFile organisation) =>
        [.. organisation.Admins.Concat(organisation.Teams.SelectMany(t => t.Members)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The bootstrap token, or a person listed in the organisation's admins.</summary>
    public static bool IsAdmin(Actor actor, OrganisationFile? organisation) =>
        actor.Kind == ActorKind.Bootstrap
        || (actor.Kind == ActorKind.User && organisation is not null && organisation.Admins.Contains(actor.Name, StringComparer.Ordinal));
}
