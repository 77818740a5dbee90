using System.Text.RegularExpressions;
using Gatehouse.Storage.Tests.Infrastructure;
using static Gatehouse.Storage.Tests.Infrastructure.Build;

namespace Gatehouse.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    private static readonly TokenSubject AliceToken = new(TokenKind.Personal, "alice");
    private static readonly TokenSubject BillingToken = new(TokenKind.Deploy, "billing");

    [StoreFact]
    public async Task Tokens_are_stored_only_as_a_hash_and_authenticate_by_their_secret()
    {
        await SeedAsync();

        var issued = (await Store.CreateTokenAsync(AliceToken, Start.AddDays(30), "laptop", User("alice"), "req-t")).Value!;

        Assert.Matches(new Regex("^gthp_[0-9A-Za-z]{49}$"), issued.Secret);
        Assert.Matches(new Regex("^tok_[a-z2-7]{12}$"), issued.Info.Id);
        var identity = await Store.AuthenticateTokenAsync(issued.Secret);
        Assert.Equal((issued.Info.Id, AliceToken, "laptop", "user:alice"), (identity!.Id, identity.Subject, identity.Description, identity.CreatedBy));
        Assert.Equal(Start.AddDays(30), identity.ExpiresAt);

        var everything = await ReadEverythingAsync(Store);
        Assert.DoesNotContain(issued.Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret["gthp_".Length..], everything, StringComparison.Ordinal);
        var created = Assert.Single(await Store.ReadAuditAsync(new AuditQuery(Action: "token.created")));
        Assert.Equal(($"token/{issued.Info.Id}", "user:alice"), (created.Subject, created.Actor));
        Assert.DoesNotContain(Relational.TokenSecrets.Hash(issued.Secret), created.Data, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Expired_revoked_and_unknown_tokens_do_not_authenticate()
    {
        await SeedAsync();
        var shortLived = (await Store.CreateTokenAsync(AliceToken, Start.AddHours(1), null, User("alice"), null)).Value!;
        Time.Advance(TimeSpan.FromMinutes(1));
        var revoked = (await Store.CreateTokenAsync(BillingToken, Start.AddDays(90), "ci", User("carol"), null)).Value!;
        Assert.NotNull(await Store.AuthenticateTokenAsync(shortLived.Secret));
        Assert.NotNull(await Store.AuthenticateTokenAsync(revoked.Secret));

        Assert.True((await Store.RevokeTokenAsync(revoked.Info.Id, User("root"), null)).Succeeded);
        Time.Advance(TimeSpan.FromHours(2));

        Assert.Null(await Store.AuthenticateTokenAsync(shortLived.Secret));
        Assert.Null(await Store.AuthenticateTokenAsync(revoked.Secret));
        Assert.Null(await Store.AuthenticateTokenAsync("ghp_" + new string('A', 43)));
        Assert.Null(await Store.AuthenticateTokenAsync(Core.Secrets.SecretFormat.New(Core.Secrets.SecretKind.PersonalToken)));
        Assert.Null(await Store.AuthenticateTokenAsync(""));
        var listed = await Store.ListTokensAsync(Bootstrap);
        Assert.Equal([shortLived.Info.Id, revoked.Info.Id], listed.Select(t => t.Id));
        Assert.Equal(Start.AddMinutes(1), listed[1].RevokedAt);
    }

    [StoreFact]
    public async Task A_token_issued_in_the_format_before_gth_prefixes_still_authenticates()
    {
        await SeedAsync();
        var personal = (await Store.CreateTokenAsync(AliceToken, Start.AddDays(30), null, User("alice"), null)).Value!;
        var deploy = (await Store.CreateTokenAsync(BillingToken, Start.AddDays(30), null, User("alice"), null)).Value!;

        // What an earlier version stored: the SHA-256 of a ghp_/ghd_ secret with a base64url body.
        const string oldPersonal = "ghp_Qk9Pa1NIRUxGLWZvci10aGUtb2xkLWZvcm1hdA-_x12";
        const string oldDeploy = "ghd_Qk9Pa1NIRUxGLWZvci10aGUtb2xkLWZvcm1hdA-_y12";
        await ExecuteRawAsync(Store, $"UPDATE tokens SET secret_hash = '{Relational.TokenSecrets.Hash(oldPersonal)}' WHERE id = '{personal.Info.Id}'");
        await ExecuteRawAsync(Store, $"UPDATE tokens SET secret_hash = '{Relational.TokenSecrets.Hash(oldDeploy)}' WHERE id = '{deploy.Info.Id}'");

        Assert.Equal(personal.Info.Id, (await Store.AuthenticateTokenAsync(oldPersonal))?.Id);
        Assert.Equal(deploy.Info.Id, (await Store.AuthenticateTokenAsync(oldDeploy))?.Id);
        Assert.Null(await Store.AuthenticateTokenAsync(personal.Secret));
    }

    [StoreFact]
    public async Task A_secret_failing_its_format_or_checksum_is_refused_without_a_query()
    {
        await SeedAsync();
        var issued = (await Store.CreateTokenAsync(AliceToken, Start.AddDays(30), null, User("alice"), null)).Value!;
        var badChecksum = issued.Secret[..^1] + (issued.Secret[^1] == 'a' ? 'b' : 'a');
        var relabelled = "gthd_" + issued.Secret[5..];

        // With the table gone, any query fails: an answer at all proves none was made.
        await ExecuteRawAsync(Store, "ALTER TABLE tokens RENAME TO tokens_elsewhere");
        try
        {
            foreach (var secret in new[] { badChecksum, relabelled, "ghp_too-short", "not a token", new string('x', 5000) })
            {
                Assert.Null(await Store.AuthenticateTokenAsync(secret));
            }

            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.AuthenticateTokenAsync(issued.Secret));
        }
        finally
        {
            await ExecuteRawAsync(Store, "ALTER TABLE tokens_elsewhere RENAME TO tokens");
        }

        Assert.Equal(issued.Info.Id, (await Store.AuthenticateTokenAsync(issued.Secret))?.Id);
        Assert.Null(await Store.AuthenticateTokenAsync(badChecksum));
    }

    [StoreFact]
    public async Task Tokens_are_created_and_revoked_by_their_subject_an_owner_or_an_admin()
    {
        await SeedAsync();

        AssertRefused(await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "bob"), Start.AddDays(1), null, User("alice"), null),
            StoreErrorKind.Forbidden, StoreErrors.TokenForbidden, "only bob or an admin");
        AssertRefused(await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "mallory"), Start.AddDays(1), null, User("root"), null),
            StoreErrorKind.NotFound, StoreErrors.TokenSubjectNotFound, "mallory");
        AssertRefused(await Store.CreateTokenAsync(AliceToken, Start.AddMinutes(-1), null, User("alice"), null),
            StoreErrorKind.Invalid, StoreErrors.TokenExpiryInvalid);
        AssertRefused(await Store.CreateTokenAsync(BillingToken, Start.AddDays(1), null, User("bob"), null),
            StoreErrorKind.Forbidden, StoreErrors.TokenForbidden, "owner of billing (alice, carol)");
        AssertRefused(await Store.CreateTokenAsync(new TokenSubject(TokenKind.Deploy, "ghost"), Start.AddDays(1), null, User("root"), null),
            StoreErrorKind.NotFound, StoreErrors.TokenSubjectNotFound, "ghost");

        var personal = (await Store.CreateTokenAsync(AliceToken, Start.AddDays(1), null, User("alice"), null)).Value!;
        var deploy = (await Store.CreateTokenAsync(BillingToken, Start.AddDays(1), null, User("alice"), null)).Value!;
        var byAdmin = await Store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "bob"), Start.AddDays(1), null, Bootstrap, null);
        Assert.StartsWith("gthd_", deploy.Secret, StringComparison.Ordinal);
        Assert.True(byAdmin.Succeeded);

        AssertRefused(await Store.RevokeTokenAsync(personal.Info.Id, User("bob"), null), StoreErrorKind.Forbidden, StoreErrors.TokenForbidden);
        AssertRefused(await Store.RevokeTokenAsync(deploy.Info.Id, User("alice"), null), StoreErrorKind.Forbidden, StoreErrors.TokenForbidden);
        Assert.True((await Store.RevokeTokenAsync(personal.Info.Id, User("alice"), null)).Succeeded);
        Assert.True((await Store.RevokeTokenAsync(deploy.Info.Id, User("root"), null)).Succeeded);
        AssertRefused(await Store.RevokeTokenAsync(deploy.Info.Id, User("root"), null), StoreErrorKind.Conflict, StoreErrors.TokenAlreadyRevoked);
        AssertRefused(await Store.RevokeTokenAsync("tok_nothing", User("root"), null), StoreErrorKind.NotFound, StoreErrors.TokenNotFound);
        var deployEvents = (await Store.ReadAuditAsync(new AuditQuery(App: "billing"))).Where(e => e.Action.StartsWith("token.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["token.created", "token.revoked"], deployEvents.Select(e => e.Action));
        Assert.All(deployEvents, e => Assert.Equal($"token/{deploy.Info.Id}", e.Subject));
    }
}
