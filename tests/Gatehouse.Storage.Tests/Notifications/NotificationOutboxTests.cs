using Gatehouse.Storage.Notifications;

namespace Gatehouse.Storage.Tests.Notifications;

public sealed class NotificationOutboxTests
{
    [Fact]
    public void Ids_are_version_7_uuids_in_time_order_and_never_repeat()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 2000).Select(_ => NotificationOutbox.NewId("evt")).ToList();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.All(ids, id => Assert.Matches("^evt_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", id));
        Assert.All(ids, id => Assert.Equal(7, Guid.ParseExact(id[4..], "N").Version));
        Assert.All(ids, id => Assert.InRange(Convert.ToInt64(id[4..16], 16), before, after));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Select(i => i[4..16]).Order(StringComparer.Ordinal), ids.Select(i => i[4..16]));
    }
}
