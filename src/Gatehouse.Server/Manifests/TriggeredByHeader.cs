using Gatehouse.Core.Access;
using Gatehouse.Core.Naming;

namespace Gatehouse.Server.Manifests;

/// <summary>
/// <c>X-Gatehouse-Triggered-By</c>: who the CI system says triggered a run that pushes with a
/// deploy token (the CLI sends GITHUB_ACTOR or GITLAB_USER_LOGIN). It can only add a person who
/// may not decide what the push files, never grant anything, so it is taken as given; a value
/// that is no user name (<c>dependabot[bot]</c>) is ignored rather than failing the CI run.
/// </summary>
internal static class TriggeredByHeader
{
    public const string Name = "X-Gatehouse-Triggered-By";

    public static Actor Apply(Actor actor, HttpRequest request)
    {
        // A CI run's own token names its trigger in a signed claim, which the header cannot replace.
        if (actor.Kind != ActorKind.App || actor.CiRule is not null || request.Headers[Name] is not [{ } value])
        {
            return actor;
        }

        // CI systems report logins in any case; user names in the organisation file are lower case.
        var name = value.Trim().ToLowerInvariant();
        return NameRules.IsUserName(name) ? actor with { TriggeredBy = name } : actor;
    }
}
