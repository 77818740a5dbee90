using Gatehouse.Core.Access;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Check_reports_every_state_with_its_request_and_who_can_approve_it()
    {
        await SeedAsync();
        await PushOkAsync(User("carol"), Upload("shipping", "team:payments", needs: [Need("customers", "profile.read", "Print labels", "development")]));
        var shippingGrant = Assert.Single(await Store.ListGrantsAsync(new GrantQuery(Consumer: "shipping")));
        await Store.RevokeAsync(shippingGrant.Id, User("bob"), "Labels come from the order now", null);
        var denied = await DecideOkAsync(Key("production"), User("dave"), approve: false, comment: "Not in production");
        var development = await LatestRequestAsync(Key("development"));
        var staging = await LatestRequestAsync(Key("staging"));

        var checks = await Store.CheckAsync([
            Key("development"),
            Key("staging"),
            Key("production"),
            Key("development", consumer: "shipping"),
            Key("staging", consumer: "shipping"),
            Key("development", scope: "notes.read"),
            new AccessKey("billing", "ghost", "anything", "staging"),
        ]);

        Assert.Equal(
            [AccessState.Granted, AccessState.Pending, AccessState.Denied, AccessState.Revoked, AccessState.NotRequested, AccessState.NotRequested, AccessState.NotRequested],
            checks.Select(c => c.State));
        Assert.Equal([development.Id, staging.Id, denied.Id, shippingGrant.RequestId, null, null, null], checks.Select(c => c.RequestId));
        Assert.All(checks.Take(6), c => Assert.Equal(["bob", "dave"], c.Approvers));
        Assert.Empty(checks[6].Approvers);
        Assert.Equal("shipping", checks[3].Key.Consumer);
    }

    [StoreFact]
    public async Task Check_of_no_keys_is_empty_and_of_a_repeated_key_answers_each()
    {
        await SeedAsync();

        Assert.Empty(await Store.CheckAsync([]));
        var twice = await Store.CheckAsync([Key("staging"), Key("staging")]);

        Assert.Equal(2, twice.Count);
        Assert.All(twice, c => Assert.Equal(AccessState.Pending, c.State));
    }
}
