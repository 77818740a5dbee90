using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Tests.Access;

public sealed class ApprovalRulesTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static DecisionInput Input(
        string decider = "bob",
        bool owner = true,
        bool admin = false,
        bool approve = true,
        string? comment = null,
        ApprovalMode mode = ApprovalMode.Owner,
        RequestState state = RequestState.Pending,
        string requestedBy = "user:alice",
        params ApprovalVote[] votes) =>
        new(state, mode, requestedBy, votes, $"user:{decider}", decider, owner, admin, approve, comment);

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
}
