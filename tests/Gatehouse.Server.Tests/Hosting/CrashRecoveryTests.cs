using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hosting;

/// <summary>An acknowledged approval survives SIGKILL; the audit chain still verifies after restart.</summary>
public sealed class CrashRecoveryTests
{
    private const int Consumers = 60;

    [Fact]
    public async Task ServerKilledDuringApprovalBurst_KeepsEveryAcknowledgedApproval()
    {
        var data = Directory.CreateTempSubdirectory("gatehouse-crash-").FullName;
        var acknowledged = new ConcurrentBag<long>();
        string ownerToken;
        List<long> ids;
        using (var server = await ServerProcess.StartAsync(data))
        {
            using var bootstrap = Client(server.Url, TestServer.BootstrapToken);
            using var admin = await SeedManyRequestsAsync(bootstrap, server.Url);
            ownerToken = await CreateTokenAsync(admin, "olivia");
            var pending = await TestServer.Json(await admin.GetAsync("api/v1/requests?state=pending&env=production"));
            ids = pending["requests"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToList();
            Assert.Equal(Consumers, ids.Count);

            using var owner = Client(server.Url, ownerToken);
            using var killAfter = new SemaphoreSlim(0);
            var burst = Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (id, _) =>
            {
                try
                {
                    var response = await owner.PostAsJsonAsync($"api/v1/requests/{id}/approve", new { comment = "burst" }, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(id);
                        if (acknowledged.Count == 20)
                        {
                            killAfter.Release();
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // In flight when the server died: not acknowledged, so not promised.
                }
            });
            Assert.True(await killAfter.WaitAsync(TimeSpan.FromSeconds(60)), "the burst never reached 20 approvals");
            server.KillHard();
            await burst;
        }

        using var restarted = await ServerProcess.StartAsync(data);
        using var reader = Client(restarted.Url, TestServer.BootstrapToken);
        Assert.True(acknowledged.Count >= 20);
        foreach (var id in acknowledged)
        {
            var request = await TestServer.Json(await reader.GetAsync($"api/v1/requests/{id}"));
            Assert.Equal("approved", request["state"]!.GetValue<string>());
        }

        var verify = await TestServer.Json(await reader.GetAsync("api/v1/audit/verify"));
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
    }

    private static HttpClient Client(Uri url, string token) =>
        new() { BaseAddress = url, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static async Task<string> CreateTokenAsync(HttpClient admin, string user)
    {
        var response = await admin.PostAsJsonAsync("api/v1/tokens", new { kind = "personal", subject = user });
        return (await TestServer.Json(response))["secret"]!.GetValue<string>();
    }

    /// <summary>
    /// One provider owned by olivia and 60 consumers each needing its scope in production: the
    /// bootstrap token pushes the organisation, its admin root the manifests (root's client is returned).
    /// </summary>
    private static async Task<HttpClient> SeedManyRequestsAsync(HttpClient bootstrap, Uri url)
    {
        const string org = "apiVersion: gatehouse/v1\norganisation: crashco\nadmins: [root]\nenvironments:\n  - name: production\n    approval: owner\nteams:\n  - name: core\n    members: [olivia]\n";
        var manifests = new List<object> { new { path = "vault/gatehouse.yaml", content = "apiVersion: gatehouse/v1\napp: vault\nowners: [user:olivia]\nscopes:\n  - name: secrets.read\n" } };
        for (var i = 0; i < Consumers; i++)
        {
            var text = new StringBuilder($"apiVersion: gatehouse/v1\napp: consumer-{i:00}\nowners: [team:core]\nneeds:\n  - app: vault\n    scopes: [secrets.read]\n    reason: Read its database password\n");
            manifests.Add(new { path = $"consumer-{i:00}/gatehouse.yaml", content = text.ToString() });
        }

        var pushed = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = org } });
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        var admin = Client(url, await CreateTokenAsync(bootstrap, "root"));
        var response = await admin.PostAsJsonAsync("api/v1/push", new { manifests });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return admin;
    }
}
