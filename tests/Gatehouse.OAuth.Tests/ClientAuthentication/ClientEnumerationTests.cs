using System.Security.Cryptography;
using Gatehouse.OAuth.Tests.Infrastructure;
using Gatehouse.Server.OAuth;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.ClientAuthentication;

/// <summary>
/// Someone without a client's private key learns nothing from the answer: an unknown client id,
/// a revoked client, a secret client and a forged assertion for a real one get the same status,
/// the same body and the same headers, whatever else is wrong with the assertion.
/// </summary>
public sealed class ClientEnumerationTests : IAsyncLifetime
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private OAuthTestServer _server = null!;
    private string _clientId = null!;
    private string _kid = null!;

    public async Task InitializeAsync()
    {
        _server = await OAuthTestServer.StartAsync();
        (_clientId, _) = await _server.CreateClientAsync("billing", Development, Jwt.PublicJwk(_key));
        _kid = Jwk.Thumbprint(Jwk.FromEcPublic(_key.ExportParameters(false)));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
        _forger.Dispose();
    }

    private string TokenEndpoint => _server.Issuer + "/oauth2/token";

    private static string Assertion(ECDsa key, string clientId, string audience, long exp, string? kid = null) =>
        Jwt.Encode(kid is null ? new { alg = "ES256" } : new { alg = "ES256", kid }, new
        {
            iss = clientId,
            sub = clientId,
            aud = audience,
            exp,
            jti = Guid.NewGuid().ToString("N"),
        }, data => key.SignData(data, HashAlgorithmName.SHA256));

    private Task<TokenClient.Answer> SendAsync(string assertion) =>
        TokenClient.PostAsync(_server, "oauth2/token", TokenClient.Form(
            ("grant_type", "client_credentials"),
            ("scope", "customers:profile.read"),
            ("client_assertion_type", ClientAuthenticator.AssertionType),
            ("client_assertion", assertion)), authorization: null);

    [Fact]
    public async Task UnknownRevokedAndForged_GetOneAndTheSameAnswer()
    {
        var (secretClient, _) = await _server.CreateClientAsync("billing", Development);
        using var revokedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (revokedClient, _) = await _server.CreateClientAsync("billing", Development, Jwt.PublicJwk(revokedKey));
        using (var admin = _server.Client(await _server.PersonalTokenAsync("root")))
        {
            Assert.True((await admin.PostAsync($"api/v1/clients/{revokedClient}/revoke", null)).IsSuccessStatusCode);
        }

        var soon = Jwt.Now + 60;
        var attempts = new Dictionary<string, string>
        {
            ["unknown client id"] = Assertion(_forger, "cl_" + Guid.NewGuid().ToString("N"), TokenEndpoint, soon),
            ["unknown client id, a kid"] = Assertion(_forger, "cl_" + Guid.NewGuid().ToString("N"), TokenEndpoint, soon, _kid),
            ["real client, unregistered key"] = Assertion(_forger, _clientId, TokenEndpoint, soon),
            ["real client, its kid, unregistered key"] = Assertion(_forger, _clientId, TokenEndpoint, soon, _kid),
            ["real client, unregistered key, expired"] = Assertion(_forger, _clientId, TokenEndpoint, Jwt.Now - 600),
            ["real client, unregistered kid, expired"] = Assertion(_forger, _clientId, TokenEndpoint, Jwt.Now - 600, "no-such-kid"),
            ["real client, unregistered key, another audience"] = Assertion(_forger, _clientId, "https://elsewhere.example/token", soon),
            ["revoked client, its own key"] = Assertion(revokedKey, revokedClient, TokenEndpoint, soon),
            ["secret client"] = Assertion(_forger, secretClient, TokenEndpoint, soon),
        };

        var answers = new Dictionary<string, string>();
        foreach (var (name, assertion) in attempts)
        {
            var answer = await SendAsync(assertion);
            Assert.Equal(401, answer.Status);
            answers[name] = $"{answer.Body.ToJsonString()} | {answer.Response.Headers.WwwAuthenticate} | {answer.Response.Content.Headers.ContentType}";
        }

        Assert.Single(answers.Values.Distinct());
        Assert.Contains("\"error\":\"invalid_client\"", answers.Values.First());
        Assert.Contains("client authentication failed.", answers.Values.First());
    }

    [Fact]
    public async Task WhatIsWrongIsSaid_OnceTheSignatureProvesTheSenderHoldsTheKey()
    {
        var expired = await SendAsync(Assertion(_key, _clientId, TokenEndpoint, Jwt.Now - 600));
        var elsewhere = await SendAsync(Assertion(_key, _clientId, "https://elsewhere.example/token", Jwt.Now + 60));

        Assert.Contains("expired", expired.Body["error_description"]!.GetValue<string>());
        Assert.Contains("`aud`", elsewhere.Body["error_description"]!.GetValue<string>());
    }
}
