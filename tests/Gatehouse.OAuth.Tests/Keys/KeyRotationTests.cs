namespace Gatehouse.OAuth.Tests.Keys;

/// <summary>
/// Rotation with overlap, on a 10-day period with a 1-day publish lead and 5-minute tokens:
/// a new key is in the JWKS a day before it signs, and the old key stays until its tokens expired.
/// </summary>
public sealed class KeyRotationTests
{
    // A period boundary: 10-day periods count from the Unix epoch.
    private static readonly DateTimeOffset PeriodStart = DateTimeOffset.FromUnixTimeMilliseconds(2000 * (long)TimeSpan.FromDays(10).TotalMilliseconds);

    [Fact]
    public async Task FirstKey_SignsAtOnce_OnANewDatabase()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(PeriodStart + TimeSpan.FromDays(3));

        var snapshot = await fixture.Ring().CurrentAsync(default);

        Assert.NotNull(snapshot.Signer);
        Assert.Equal([snapshot.Signer!.Kid], snapshot.Published.Select(k => k.Kid));
    }

    [Fact]
    public async Task NewDatabaseInsideTheLeadWindow_CreatesTheNextKeyUnannounced_NotSigning()
    {
        // Regression: both keys were created as "first key" and activated at once.
        await using var fixture = await KeyRingFixture.CreateAsync(PeriodStart + TimeSpan.FromDays(9) + TimeSpan.FromHours(2));

        var snapshot = await fixture.Ring().CurrentAsync(default);

        Assert.Equal(2, snapshot.Published.Count);
        var next = snapshot.Published.Single(k => k.Kid != snapshot.Signer!.Kid);
        Assert.True(next.ActivatesAt >= fixture.Time.Now + fixture.Options.KeyPublishLead, $"next key activates at {next.ActivatesAt}");
    }

    [Fact]
    public async Task NextKey_IsPublishedBeforeItSigns_AndTheOldKeyStaysUntilItsTokensExpired()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(PeriodStart + TimeSpan.FromDays(3));
        var ring = fixture.Ring();
        var first = (await ring.CurrentAsync(default)).Signer!;

        fixture.Time.Now = PeriodStart + TimeSpan.FromDays(9) - TimeSpan.FromMinutes(1);
        var announced = await ring.CurrentAsync(default);
        Assert.Equal(first.Kid, announced.Signer!.Kid);
        Assert.Equal(2, announced.Published.Count);
        var second = announced.Published.Single(k => k.Kid != first.Kid);
        Assert.Equal(PeriodStart + TimeSpan.FromDays(10), second.ActivatesAt);

        fixture.Time.Now = PeriodStart + TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1);
        var rotated = await ring.CurrentAsync(default);
        Assert.Equal(second.Kid, rotated.Signer!.Kid);
        Assert.Contains(rotated.Published, k => k.Kid == first.Kid);

        // 5-minute tokens + 30 s skew + 1 min replica refresh: gone after that.
        fixture.Time.Now = PeriodStart + TimeSpan.FromDays(10) + TimeSpan.FromMinutes(7);
        var settled = await ring.CurrentAsync(default);
        Assert.Equal([second.Kid], settled.Published.Select(k => k.Kid));
    }

    [Fact]
    public async Task TwoReplicasRotatingAtOnce_AgreeOnOneKey()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(PeriodStart + TimeSpan.FromDays(9) + TimeSpan.FromHours(1));
        var a = fixture.Ring();
        var b = fixture.Ring();

        var snapshots = await Task.WhenAll(a.CurrentAsync(default).AsTask(), b.CurrentAsync(default).AsTask());

        Assert.Equal(snapshots[0].Signer!.Kid, snapshots[1].Signer!.Kid);
        Assert.Equal(snapshots[0].Published.Select(k => k.Kid), snapshots[1].Published.Select(k => k.Kid));
        Assert.Equal(2, (await fixture.OAuth.ListSigningKeysAsync()).Count);
    }

    [Fact]
    public async Task AlgorithmChange_PublishesTheNewKeyFirst_ThenSignsWithIt()
    {
        await using var fixture = await KeyRingFixture.CreateAsync(PeriodStart + TimeSpan.FromDays(1));
        var es256 = (await fixture.Ring().CurrentAsync(default)).Signer!;

        fixture.Options.SigningAlgorithm = "RS256";
        fixture.Time.Now += TimeSpan.FromMinutes(2);
        var ring = fixture.Ring();
        var announced = await ring.CurrentAsync(default);
        Assert.Equal(es256.Kid, announced.Signer!.Kid);
        Assert.Contains(announced.Published, k => k.Algorithm == "RS256");

        fixture.Time.Now += fixture.Options.KeyPublishLead;
        Assert.Equal("RS256", (await ring.CurrentAsync(default)).Signer!.Algorithm);
    }
}
