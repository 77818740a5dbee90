using Gatehouse.Core.Access;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Access;

/// <summary>When a grant ends (ADR 0023), and that the files say so.</summary>
public sealed class GrantLifetimeTests
{
    private static readonly DateTimeOffset Approved = new(2026, 3, 1, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void No_limit_anywhere_means_no_end() =>
        Assert.Null(GrantLifetime.End(Approved, null, null, null));

    [Theory]
    [InlineData(90, null, 90)]
    [InlineData(null, 30, 30)]
    [InlineData(90, 30, 30)]
    [InlineData(10, 30, 10)]
    public void The_shorter_of_the_scope_and_environment_limits_counts_from_the_approval(int? scope, int? environment, int days) =>
        Assert.Equal(Approved.AddDays(days), GrantLifetime.End(Approved, scope, environment, null));

    [Fact]
    public void Until_includes_its_day_and_ends_as_the_next_begins_in_UTC() =>
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), GrantLifetime.End(Approved, 90, null, new DateOnly(2026, 3, 31)));

    [Fact]
    public void A_limit_shorter_than_until_wins() =>
        Assert.Equal(Approved.AddDays(7), GrantLifetime.End(Approved, null, 7, new DateOnly(2026, 12, 31)));

    [Fact]
    public void A_grant_has_ended_at_its_end_not_a_moment_before()
    {
        var end = Approved.AddDays(1);

        Assert.False(GrantLifetime.HasEnded(end, end.AddTicks(-1)));
        Assert.True(GrantLifetime.HasEnded(end, end));
        Assert.False(GrantLifetime.HasEnded(null, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void A_granted_answer_turns_expired_at_its_end_or_pending_when_a_renewal_waits()
    {
        var end = Approved.AddDays(1);

        Assert.Equal((AccessState.Granted, 4L), AccessStateRules.AtTime(AccessState.Granted, 4, end, null, end.AddTicks(-1)));
        Assert.Equal((AccessState.Expired, 4L), AccessStateRules.AtTime(AccessState.Granted, 4, end, null, end));
        Assert.Equal((AccessState.Pending, 9L), AccessStateRules.AtTime(AccessState.Granted, 4, end, 9, end));
        Assert.Equal((AccessState.Denied, 4L), AccessStateRules.AtTime(AccessState.Denied, 4, end, null, end));
    }

    [Fact]
    public void The_manifest_and_organisation_file_carry_the_limits()
    {
        var manifest = Manifest("""
            apiVersion: gatehouse/v1
            app: billing
            owners: [user:alice]
            scopes:
              - name: invoices.write
                description: Change invoices
                maxGrantDays: 180
            needs:
              - app: customers
                scopes: [profile.read]
                reason: A migration
                until: 2027-03-31
            """);
        var organisation = Organisation("""
            apiVersion: gatehouse/v1
            organisation: acme
            admins: [alice]
            environments:
              - name: production
                maxGrantDays: 365
              - name: staging
            """);

        Assert.Empty(manifest.Diagnostics);
        Assert.Equal(180, manifest.Value!.Scopes[0].MaxGrantDays);
        Assert.Equal(new DateOnly(2027, 3, 31), manifest.Value.Needs[0].Until);
        Assert.Empty(organisation.Diagnostics);
        Assert.Equal([365, null], organisation.Value!.Environments.Select(e => e.MaxGrantDays));
    }
}
