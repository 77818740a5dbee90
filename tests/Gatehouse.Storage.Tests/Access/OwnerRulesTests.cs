using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;

namespace Gatehouse.Storage.Tests.Access;

public sealed class OwnerRulesTests
{
    [Fact]
    public void Owners_expand_teams_to_their_members_sorted_without_duplicates()
    {
        var owners = new[] { new OwnerRef(OwnerKind.Team, "payments"), new OwnerRef(OwnerKind.User, "bob"), new OwnerRef(OwnerKind.User, "alice"), new OwnerRef(OwnerKind.Team, "unknown") };

        Assert.Equal(["alice", "bob", "carol"], OwnerRules.OwnerUsers(owners, Build.Organisation()));
    }

    [Fact]
    public void A_user_owner_counts_only_while_that_person_is_in_the_organisation()
    {
        var owners = new[] { new OwnerRef(OwnerKind.User, "zed"), new OwnerRef(OwnerKind.User, "root"), new OwnerRef(OwnerKind.User, "erin") };

        Assert.Equal(["root"], OwnerRules.OwnerUsers(owners, Build.Organisation()));
        Assert.Equal(["erin", "root"], OwnerRules.OwnerUsers(owners, Build.Organisation(("ops", ["erin"]))));
        Assert.Equal(["alice", "bob", "carol", "dave", "erin", "root"], OwnerRules.Users(Build.Organisation(("ops", ["erin"]))));
    }

    [Fact]
    public void Admins_are_the_bootstrap_token_and_listed_people_never_apps()
    {
        var organisation = Build.Organisation();

        Assert.True(OwnerRules.IsAdmin(Build.Bootstrap, null));
        Assert.True(OwnerRules.IsAdmin(Build.User("root"), organisation));
        Assert.False(OwnerRules.IsAdmin(Build.User("alice"), organisation));
        Assert.False(OwnerRules.IsAdmin(Build.App("root"), organisation));
        Assert.False(OwnerRules.IsAdmin(Actor.Policy, organisation));
    }
}
