using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.OAuth.Tests.Infrastructure;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Interop;

/// <summary>
/// An independent implementation drives Gatehouse: npm's openid-client discovers the metadata and
/// gets tokens with each client authentication method, jose verifies them against the JWKS
/// (tests/interop/interop.mjs).
/// </summary>
public sealed class NodeClientInteropTests
{
    [InteropFact]
    public async Task OpenIdClientAndJose_GetAndVerifyTokens_WithEveryClientAuthenticationMethod()
    {
        await using var server = await OAuthTestServer.StartAsync();
        var (secretId, secret) = await server.CreateClientAsync("billing", Development);
        var (resourceId, resourceSecret) = await server.CreateClientAsync("customers", Development);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (keyClientId, kid) = await CreateKeyClientAsync(server, key);

        var (exitCode, output, errors) = await RunNodeAsync(new Dictionary<string, string>
        {
            ["GATEHOUSE_ISSUER"] = server.Issuer,
            ["GATEHOUSE_SCOPE"] = "customers:profile.read",
            ["GATEHOUSE_UNGRANTED_SCOPE"] = "customers:profile.write",
            ["GATEHOUSE_RESOURCE"] = "urn:gatehouse:development:customers",
            ["SECRET_CLIENT_ID"] = secretId,
            ["SECRET_CLIENT_SECRET"] = secret!,
            ["KEY_CLIENT_ID"] = keyClientId,
            ["KEY_CLIENT_PRIVATE_JWK"] = PrivateJwk(key, kid),
            ["RESOURCE_CLIENT_ID"] = resourceId,
            ["RESOURCE_CLIENT_SECRET"] = resourceSecret!,
        });

        Assert.True(output.Length > 0, "node printed nothing: " + errors);
        var results = JsonNode.Parse(output)!["results"]!.AsArray();
        Assert.Equal(
            ["metadata", "client_secret_basic", "client_secret_post", "private_key_jwt", "wrong secret", "scope not granted", "introspection"],
            results.Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(results, r => Assert.True(r!["ok"]!.GetValue<bool>(), r.ToJsonString()));
        Assert.Equal(0, exitCode);
    }

    private static async Task<(string Id, string Kid)> CreateKeyClientAsync(OAuthTestServer server, ECDsa key)
    {
        using var admin = server.Client(await server.AdminTokenAsync());
        var response = await admin.PostAsJsonAsync("api/v1/clients", new { app = "billing", environment = Development, authMethod = "private_key_jwt", jwk = Jwt.PublicJwk(key) });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (body["client"]!["id"]!.GetValue<string>(), body["kid"]!.GetValue<string>());
    }

    private static string PrivateJwk(ECDsa key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: true);
        return JsonSerializer.Serialize(new
        {
            kty = "EC",
            crv = "P-256",
            kid,
            alg = "ES256",
            x = Base64Url.EncodeToString(p.Q.X),
            y = Base64Url.EncodeToString(p.Q.Y),
            d = Base64Url.EncodeToString(p.D),
        });
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunNodeAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", "interop.mjs")
        {
            WorkingDirectory = InteropPaths.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node interop.mjs did not finish within 60 s: " + await errors);
        }

        return (process.ExitCode, await output, await errors);
    }
}
