using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Tests.Access;

public sealed class ApprovalRulesTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Owners = ["bob", "dave"];

    private static DecisionInput Input(
        string decider = "bob",
        bool owner = true,
        bool admin = false,
        bool approve = true,
        string? comment = null,
        ApprovalMode mode = ApprovalMode.Owner,
        RequestState state = RequestState.Pending,
        string requestedBy = "user:alice",
        RequestPerson[]? people = null,
        params ApprovalVote[] votes) =>
        new(state, mode, requestedBy, people ?? [new RequestPerson("alice", PersonRole.Pusher)], votes, new Actor(ActorKind.User, decider),
            owner ? [.. Owners, decider] : Owners.Where(o => o != decider).ToArray(), admin, approve, comment);

    [Fact]
    public void An_owner_approves_an_owner_request_alone()
    {
        var outcome = ApprovalRules.Decide(Input());

        Assert.Equal(DecisionResult.Approved, outcome.Result);
        Assert.Equal(["bob"], outcome.Approvers);
    }

    [Theory]
    [InlineData(false, false, DecisionRefusal.NotOwnerOrAdmin)]
    [InlineData(false, true, DecisionRefusal.None)]
    public void Only_owners_or_admins_decide(bool owner, bool admin, DecisionRefusal expected) =>
        Assert.Equal(expected, ApprovalRules.Decide(Input(owner: owner, admin: admin)).Refusal);

    [Fact]
    public void Nobody_decides_their_own_request_not_even_an_admin()
    {
        Assert.Equal(DecisionRefusal.OwnRequest, ApprovalRules.Decide(Input(decider: "alice", admin: true)).Refusal);
        Assert.Equal(DecisionRefusal.OwnRequest, ApprovalRules.Decide(Input(decider: "alice", approve: false, comment: "no")).Refusal);
    }

    [Theory]
    [InlineData(RequestState.Approved)]
    [InlineData(RequestState.Denied)]
    [InlineData(RequestState.Superseded)]
    public void A_decided_request_is_not_decided_again(RequestState state) =>
        Assert.Equal(DecisionRefusal.NotPending, ApprovalRules.Decide(Input(state: state)).Refusal);

    [Theory]
    [InlineData(null, DecisionRefusal.CommentRequired)]
    [InlineData(" \t", DecisionRefusal.CommentRequired)]
    [InlineData("Use the export", DecisionRefusal.None)]
    public void A_denial_needs_a_comment(string? comment, DecisionRefusal expected)
    {
        var outcome = ApprovalRules.Decide(Input(approve: false, comment: comment));

        Assert.Equal(expected, outcome.Refusal);
        Assert.Equal(expected == DecisionRefusal.None ? DecisionResult.Denied : DecisionResult.Refused, outcome.Result);
    }

    [Fact]
    public void Two_owners_need_two_distinct_approvers()
    {
        var bobsVote = new ApprovalVote("bob", true, null, At);

        Assert.Equal(DecisionResult.Voted, ApprovalRules.Decide(Input(mode: ApprovalMode.TwoOwners)).Result);
        Assert.Equal(DecisionRefusal.AlreadyApproved, ApprovalRules.Decide(Input(mode: ApprovalMode.TwoOwners, votes: bobsVote)).Refusal);
        var second = ApprovalRules.Decide(Input(decider: "dave", mode: ApprovalMode.TwoOwners, votes: bobsVote));
        Assert.Equal(DecisionResult.Approved, second.Result);
        Assert.Equal(["bob", "dave"], second.Approvers);
    }

    [Fact]
    public void A_single_owner_denies_a_two_owners_request_after_a_first_approval()
    {
        var outcome = ApprovalRules.Decide(Input(decider: "dave", approve: false, comment: "not this", mode: ApprovalMode.TwoOwners,
            votes: new ApprovalVote("bob", true, null, At)));

        Assert.Equal(DecisionResult.Denied, outcome.Result);
    }

    [Fact]
    public void Nobody_decides_a_request_filed_through_a_deploy_token_they_created_or_a_run_they_triggered()
    {
        RequestPerson[] people = [new("bob", PersonRole.TokenCreator), new("ivan", PersonRole.Trigger)];

        Assert.Equal(DecisionRefusal.BehindRequest, ApprovalRules.Decide(Input(requestedBy: "app:billing", people: people)).Refusal);
        Assert.Equal(DecisionRefusal.BehindRequest, ApprovalRules.Decide(Input(decider: "ivan", admin: true, requestedBy: "app:billing", people: people)).Refusal);
        Assert.Equal(DecisionRefusal.BehindRequest, ApprovalRules.Decide(Input(approve: false, comment: "no", requestedBy: "app:billing", people: people)).Refusal);
        Assert.Equal(DecisionResult.Approved, ApprovalRules.Decide(Input(decider: "dave", requestedBy: "app:billing", people: people)).Result);
    }

    [Theory]
    [InlineData(ActorKind.Bootstrap, DecisionRefusal.NotAPerson)]
    [InlineData(ActorKind.App, DecisionRefusal.NotOwnerOrAdmin)]
    [InlineData(ActorKind.Policy, DecisionRefusal.NotOwnerOrAdmin)]
    public void Only_people_decide(ActorKind kind, DecisionRefusal expected)
    {
        var input = Input(admin: true) with { Decider = new Actor(kind, "bob") };

        Assert.Equal(expected, ApprovalRules.Decide(input).Refusal);
    }

    [Fact]
    public void Two_owners_is_met_by_an_owner_and_an_admin_but_not_by_two_admins()
    {
        var rootsVote = new ApprovalVote("root", true, null, At);

        var ownerSecond = ApprovalRules.Decide(Input(mode: ApprovalMode.TwoOwners, votes: rootsVote));
        var adminSecond = ApprovalRules.Decide(Input(decider: "walter", owner: false, admin: true, mode: ApprovalMode.TwoOwners, votes: rootsVote));
        var adminFirst = ApprovalRules.Decide(Input(decider: "root", owner: false, admin: true, mode: ApprovalMode.TwoOwners));

        Assert.Equal((DecisionResult.Approved, DecisionRefusal.None), (ownerSecond.Result, ownerSecond.Refusal));
        Assert.Equal(["root", "bob"], ownerSecond.Approvers);
        Assert.Equal(DecisionRefusal.OwnerApprovalMissing, adminSecond.Refusal);
        Assert.Equal(DecisionResult.Voted, adminFirst.Result);
    }

    [Fact]
    public void Two_owners_counts_owners_as_they_are_now()
    {
        // bob approved while he owned the app; he no longer does, so an admin cannot complete it.
        var bobsVote = new ApprovalVote("bob", true, null, At);
        var input = Input(decider: "root", owner: false, admin: true, mode: ApprovalMode.TwoOwners, votes: bobsVote) with { Owners = ["dave"] };

        Assert.Equal(DecisionRefusal.OwnerApprovalMissing, ApprovalRules.Decide(input).Refusal);
    }
}
