using System.Security.Cryptography;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.Hosting;
using Gatehouse.Testing;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Replicas;

/// <summary>Two Gatehouse replicas on one PostgreSQL database behave as one issuer.</summary>
public sealed class PostgresReplicaTests
{
    private static readonly string Kek = "--GATEHOUSE_KEY_ENCRYPTION_KEY=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [PostgresFact]
    public async Task Replicas_ShareKeys_Assertions_AndRevocations()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync();
        await using var a = await OAuthTestServer.StartOnPostgresAsync(database, Kek, "--GATEHOUSE_OAUTH_ISSUER=https://gatehouse.test");
        await using var b = await OAuthTestServer.StartOnPostgresAsync(database, Kek, "--GATEHOUSE_OAUTH_ISSUER=https://gatehouse.test");
        var (billingId, billingSecret) = await a.CreateClientAsync("billing", Development);
        var (customersId, customersSecret) = await b.CreateClientAsync("customers", Development);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (keyClient, _) = await a.CreateClientAsync("billing", Development, Jwt.PublicJwk(key));

        using (var ha = a.Client(bearer: null))
        using (var hb = b.Client(bearer: null))
        {
            Assert.Equal(await ha.GetStringAsync("oauth2/jwks"), await hb.GetStringAsync("oauth2/jwks"));
        }

        // A token from replica A is active on replica B.
        var token = (await TokenClient.TokenAsync(a, (billingId, billingSecret!), "audience=customers")).AccessToken;
        Assert.True((await TokenClient.IntrospectAsync(b, (customersId, customersSecret!), token)).Body["active"]!.GetValue<bool>());

        // An assertion used on A is refused on B.
        var assertion = Jwt.Assertion(key, keyClient, "https://gatehouse.test");
        string Form() => TokenClient.Form(("grant_type", "client_credentials"), ("audience", "customers"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));
        Assert.Equal(200, (await TokenClient.PostAsync(a, "oauth2/token", Form(), authorization: null)).Status);
        Assert.Equal("invalid_client", (await TokenClient.PostAsync(b, "oauth2/token", Form(), authorization: null)).Error);

        // Revoked through A: B's next token lacks it and B's introspection says inactive.
        var grant = await ActiveGrantAsync(a.Store, "billing", "customers", "profile.read", Development);
        Assert.True((await RevokeAsync(a.Store, grant.Id)).Succeeded);
        Assert.Equal("customers:status.read", (await TokenClient.TokenAsync(b, (billingId, billingSecret!), "audience=customers")).Body["scope"]!.GetValue<string>());
        Assert.False((await TokenClient.IntrospectAsync(b, (customersId, customersSecret!), token)).Body["active"]!.GetValue<bool>());
    }

    [PostgresFact]
    public async Task PostgresWithoutAKeyEncryptionKey_RefusesToStart()
    {
        var database = await PostgresFactAttribute.CreateDatabaseAsync();

        var e = await Assert.ThrowsAsync<ConfigurationProblemException>(() => OAuthTestServer.StartOnPostgresAsync(database));

        Assert.Contains("GATEHOUSE_KEY_ENCRYPTION_KEY", e.Message);
    }
}
