using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Reconciliation;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Reconciliation;

/// <summary>The push planner on hand-made state: no database, every rule visible in the input.</summary>
public sealed class ReconciliationPlannerTests
{
    private const string Reason = "Print names";

    private static readonly ManifestUpload Customers = Upload("customers", "team:crm", [Scope("profile.read"), Scope("profile.write", ApprovalMode.TwoOwners)]);

    private static AccessKey Key(string environment, string scope = "profile.read") => new("billing", "customers", scope, environment);

    private static PushState State(
        IReadOnlyList<(AccessKey, KeyHistory)>? consumerKeys = null,
        IReadOnlyList<(AccessKey, KeyHistory)>? removedScopeKeys = null,
        bool billingStored = true) => new()
        {
            Organisation = Organisation(),
            Apps = new Dictionary<string, StoredApp>
            {
                ["customers"] = new("customers", null, [new OwnerRef(OwnerKind.Team, "crm")], Customers.SourceText),
                ["billing"] = new("billing", null, [new OwnerRef(OwnerKind.Team, "payments")], "old text"),
            }.Where(a => billingStored || a.Key != "billing").ToDictionary(),
            Scopes = new Dictionary<string, IReadOnlyDictionary<string, StoredScope>>
            {
                ["customers"] = new Dictionary<string, StoredScope>
                {
                    ["profile.read"] = new("customers", "profile.read", null, ApprovalMode.Owner, null, null),
                    ["profile.write"] = new("customers", "profile.write", null, ApprovalMode.TwoOwners, null, null),
                },
            },
            ConsumerKeys = consumerKeys ?? [],
            RemovedScopeKeys = removedScopeKeys ?? [],
        };

    private static ManifestUpload Billing(params NeedDeclaration[] needs) => Upload("billing", "team:payments", needs: needs);

    private static PlanOutcome Plan(Actor actor, PushState state, params ManifestUpload[] uploads) => ReconciliationPlanner.Plan(actor, uploads, state);

    [Fact]
    public void A_need_expands_to_every_environment_with_each_environments_approval()
    {
        var outcome = Plan(User("alice"), State(billingStored: false), Billing(Need("customers", ["profile.read", "profile.write"], Reason)));

        var requests = outcome.Operations.OfType<FileRequestOperation>().ToList();
        Assert.Equal(6, requests.Count);
        Assert.Equal(
            [ApprovalMode.Auto, ApprovalMode.Owner, ApprovalMode.Owner, ApprovalMode.TwoOwners, ApprovalMode.TwoOwners, ApprovalMode.TwoOwners],
            requests.Select(r => r.Mode));
        Assert.Single(outcome.Changes, c => c.Kind == ChangeKind.AutoGrant);
    }

    [Fact]
    public void A_pending_request_with_the_same_reason_is_left_alone_and_another_reason_replaces_it()
    {
        var pending = new KeyHistory(4, RequestState.Pending, Reason, null, null, null);
        var state = State([(Key("staging"), pending)]);

        var same = Plan(User("alice"), state, Billing(Need("customers", "profile.read", Reason, "staging")));
        var changed = Plan(User("alice"), state, Billing(Need("customers", "profile.read", "Print legal names", "staging")));

        Assert.DoesNotContain(same.Operations, o => o is FileRequestOperation or SupersedeRequestOperation);
        Assert.Equal(4, changed.Operations.OfType<SupersedeRequestOperation>().Single().RequestId);
        Assert.Equal("Print legal names", changed.Operations.OfType<FileRequestOperation>().Single().Reason);
    }

    [Fact]
    public void Going_back_to_the_granted_reason_withdraws_the_new_request_and_keeps_the_grant()
    {
        var grantedThenChanged = new KeyHistory(8, RequestState.Pending, "Print legal names", 3, 5, Reason);

        var outcome = Plan(User("alice"), State([(Key("staging"), grantedThenChanged)]), Billing(Need("customers", "profile.read", Reason, "staging")));

        Assert.Equal(8, outcome.Operations.OfType<SupersedeRequestOperation>().Single().RequestId);
        Assert.DoesNotContain(outcome.Operations, o => o is FileRequestOperation or RevokeGrantOperation);
    }

    [Fact]
    public void Removing_a_scope_counts_only_grants_this_push_does_not_revoke()
    {
        var active = new KeyHistory(1, RequestState.Approved, Reason, 10, 1, Reason);
        var other = new AccessKey("shipping", "customers", "profile.read", "staging");
        var removedKeys = new[] { (Key("staging"), active), (other, active with { ActiveGrantId = 11 }) };
        var customersWithoutRead = Upload("customers", "team:crm", [Scope("profile.write", ApprovalMode.TwoOwners)]);

        var refused = Plan(User("root"), State([(Key("staging"), active)], removedKeys), customersWithoutRead, Billing());
        var allowed = Plan(User("root"), State([(Key("staging"), active)], removedKeys.Take(1).ToList()), customersWithoutRead, Billing());

        Assert.Equal(StoreErrors.ScopeInUse, refused.ErrorCode);
        Assert.Contains("customers:profile.read cannot be removed: it has 1 active grant(s)", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(refused.Operations);
        Assert.True(allowed.Succeeded);
        Assert.Equal(10, allowed.Operations.OfType<RevokeGrantOperation>().Single().GrantId);
    }

    [Fact]
    public void Every_problem_of_a_push_is_reported_at_once()
    {
        var outcome = Plan(User("root"), State(),
            Billing(Need("customers", "profile.delete", Reason), Need("ghost", "x.read", Reason), Need("customers", "profile.read", Reason, "qa")),
            Upload("ledger", "team:payments"),
            Upload("ledger", "team:payments"));

        Assert.Equal(StoreErrorKind.Invalid, outcome.ErrorKind);
        var problems = outcome.ErrorMessage!.Split('\n');
        Assert.Equal(4, problems.Length);
        Assert.Contains(problems, p => p.Contains("ledger is uploaded 2 times", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("customers does not declare scope profile.delete", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("push ghost first", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("environment qa", StringComparison.Ordinal));
    }

    [Fact]
    public void The_policy_and_other_apps_deploy_tokens_push_nothing()
    {
        Assert.Equal(StoreErrors.PushForbidden, Plan(Actor.Policy, State(), Billing()).ErrorCode);
        Assert.Equal(StoreErrors.PushForbidden, Plan(App("customers"), State(), Billing()).ErrorCode);
        Assert.True(Plan(App("billing"), State(), Billing()).Succeeded);
    }
}
