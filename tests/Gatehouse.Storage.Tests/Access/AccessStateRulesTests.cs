using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Tests.Access;

public sealed class AccessStateRulesTests
{
    [Fact]
    public void Nothing_stored_is_not_requested() =>
        Assert.Equal((AccessState.NotRequested, (long?)null), AccessStateRules.Resolve(default));

    [Theory]
    [InlineData(RequestState.Pending, AccessState.Pending, 5L)]
    [InlineData(RequestState.Denied, AccessState.Denied, 5L)]
    [InlineData(RequestState.Approved, AccessState.Revoked, 5L)]
    [InlineData(RequestState.Superseded, AccessState.NotRequested, null)]
    public void Without_an_active_grant_the_latest_request_decides(RequestState latest, AccessState expected, long? requestId) =>
        Assert.Equal((expected, requestId), AccessStateRules.Resolve(new KeyHistory(5, latest, "r", null, null, null)));

    [Theory]
    [InlineData(RequestState.Approved)]
    [InlineData(RequestState.Pending)]
    [InlineData(RequestState.Superseded)]
    public void An_active_grant_is_granted_even_while_a_new_reason_waits(RequestState latest) =>
        Assert.Equal((AccessState.Granted, (long?)3), AccessStateRules.Resolve(new KeyHistory(5, latest, "new", 9, 3, "old")));
}
