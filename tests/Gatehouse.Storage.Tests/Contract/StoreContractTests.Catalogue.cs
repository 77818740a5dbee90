using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

/// <summary>What the portal and API read: apps, requests, idempotent responses.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Apps_are_listed_with_owners_and_counts_and_read_back_as_pushed()
    {
        await SeedAsync();

        var apps = await Store.ListAppsAsync();
        var billing = await Store.GetAppAsync("billing");

        Assert.Equal(["billing", "customers"], apps.Select(a => a.Name));
        Assert.Equal((1, 1, "team:payments"), (apps[0].ScopeCount, apps[0].NeedCount, apps[0].Owners.Single().ToString()));
        Assert.Equal((3, 0, "Customer records"), (apps[1].ScopeCount, apps[1].NeedCount, apps[1].Description));
        Assert.Equal(Billing().SourceText, billing!.SourceText);
        Assert.Equal(InvoiceReason, billing.Manifest.Needs[0].Reason);
        Assert.Null(billing.Manifest.Needs[0].Environments);
        Assert.Equal(ApprovalMode.TwoOwners, (await Store.GetAppAsync("customers"))!.Manifest.Scopes[1].Approval);
        Assert.Equal(("user:alice", Start), (billing.PushedBy, billing.PushedAt));
        Assert.Equal(["alice", "carol"], billing.OwnerUsers);
        Assert.Null(await Store.GetAppAsync("ghost"));
    }

    [StoreFact]
    public async Task Requests_are_filtered_by_approver_state_and_environment()
    {
        await SeedAsync();
        var staging = await LatestRequestAsync(Key("staging"));

        var bobsInbox = await Store.ListRequestsAsync(new RequestQuery(ApproverUser: "bob", State: RequestState.Pending));
        var alicesInbox = await Store.ListRequestsAsync(new RequestQuery(ApproverUser: "alice", State: RequestState.Pending));

        Assert.Equal(["production", "staging"], bobsInbox.Select(r => r.Key.Environment));
        Assert.Empty(alicesInbox);
        Assert.Equal(staging.Id, Assert.Single(await Store.ListRequestsAsync(new RequestQuery(Environment: "staging"))).Id);
        Assert.Single(await Store.ListRequestsAsync(new RequestQuery(Provider: "customers", Limit: 1)));
        Assert.Equal(staging, (await Store.GetRequestAsync(staging.Id))! with { Votes = staging.Votes, People = staging.People });
        Assert.Null(await Store.GetRequestAsync(999));
    }

    [StoreFact]
    public async Task Idempotent_responses_are_kept_for_24_hours_and_the_first_one_wins()
    {
        var first = new StoredResponse(201, "application/json", "{\"id\":1}", "sha256:aaa");
        await Store.SaveIdempotentResponseAsync("user:alice", "key-1", first);
        await Store.SaveIdempotentResponseAsync("user:alice", "key-1", first with { Body = "{\"id\":2}" });

        Assert.Equal(first, await Store.GetIdempotentResponseAsync("user:alice", "key-1"));
        Assert.Null(await Store.GetIdempotentResponseAsync("user:bob", "key-1"));

        Time.Advance(TimeSpan.FromHours(25));
        Assert.Null(await Store.GetIdempotentResponseAsync("user:alice", "key-1"));
        var later = first with { Body = "{\"id\":3}" };
        await Store.SaveIdempotentResponseAsync("user:alice", "key-1", later);
        Assert.Equal(later, await Store.GetIdempotentResponseAsync("user:alice", "key-1"));
    }
}
