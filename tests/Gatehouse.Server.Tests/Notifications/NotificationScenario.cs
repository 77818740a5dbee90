using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Testing;

namespace Gatehouse.Server.Tests.Notifications;

/// <summary>
/// The test organisation with a signed webhook per team, pointed at a receiver, and a walk
/// through the workflow that raises every kind of event.
/// </summary>
internal static class NotificationScenario
{
    /// <summary>A test signing secret (whsec_ and base64 of 32 bytes), not a real one.</summary>
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public const string SecretEnv = "GATEHOUSE_HOOK_TEST";

    public static readonly string[] AllTypes =
    [
        "dev.gatehouse.request.filed", "dev.gatehouse.request.voted", "dev.gatehouse.request.approved", "dev.gatehouse.request.denied",
        "dev.gatehouse.grant.revoked", "dev.gatehouse.scope.deprecated", "dev.gatehouse.credential.expiring",
    ];

    /// <summary>
    /// Settings for a server under test: fast polling and retries, a short lease, the webhook secret.
    /// The send timeout is not short: a loaded test host can take over a second to answer on
    /// loopback, and a send that times out after the receiver took it is sent again (at least
    /// once), which tests that count messages would see as a duplicate.
    /// </summary>
    public static string[] Settings(params string[] more) =>
    [
        $"--{SecretEnv}={Secret}", "--GATEHOUSE_NOTIFY_POLL_MS=50", "--GATEHOUSE_NOTIFY_RETRY_BASE_MS=100", "--GATEHOUSE_NOTIFY_RETRY_MAX_MS=400",
        "--GATEHOUSE_NOTIFY_EXPIRY_CHECK_MS=200", "--GATEHOUSE_NOTIFY_LEASE_MS=6000", "--GATEHOUSE_NOTIFY_TIMEOUT_MS=5000", .. more,
    ];

    public static string Organisation(Uri receiver) => $$"""
        apiVersion: gatehouse/v1
        organisation: testco
        admins: [root]
        environments:
          - name: development
            approval: auto
          - name: staging
          - name: production
            approval: owner
        teams:
          - name: payments
            members: [alice, paul]
            notify:
              - name: hook
                kind: webhook
                url: {{receiver}}payments
                secretEnv: {{SecretEnv}}
          - name: people
            members: [carol, cid]
            notify:
              - kind: webhook
                url: {{receiver}}people
                secretEnv: {{SecretEnv}}
          - name: shop
            members: [sam]
            notify:
              - kind: webhook
                url: {{receiver}}shop
                secretEnv: {{SecretEnv}}
        """;

    /// <summary>Pushes the organisation (bootstrap token) and the manifests (as root), which files the first requests. Returns root's token.</summary>
    public static async Task<string> SeedAsync(Uri server, Uri receiver)
    {
        using var bootstrap = LoopbackGatehouse.Client(server, TestServer.BootstrapToken);
        var org = await bootstrap.PostAsJsonAsync("api/v1/push", new { organisation = new { path = "gatehouse.org.yaml", content = Organisation(receiver) } });
        Assert.True(org.IsSuccessStatusCode, await org.Content.ReadAsStringAsync());
        var root = await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "root");
        using var admin = LoopbackGatehouse.Client(server, root);
        var manifests = await admin.PostAsJsonAsync("api/v1/push", new { manifests = TestOrganisation.Manifests.Select(m => new { path = m.Path, content = m.Content }) });
        Assert.True(manifests.IsSuccessStatusCode, await manifests.Content.ReadAsStringAsync());
        return root;
    }

    /// <summary>A vote, an approval, a denial, a revocation, a deprecation and a token that ends in 3 days.</summary>
    public static async Task RaiseEveryKindAsync(Uri server, string root)
    {
        using var bootstrap = LoopbackGatehouse.Client(server, TestServer.BootstrapToken);
        using var carol = LoopbackGatehouse.Client(server, await LoopbackGatehouse.CreateTokenAsync(bootstrap, "personal", "carol"));
        using var admin = LoopbackGatehouse.Client(server, root);

        await Ok(carol.PostAsJsonAsync($"api/v1/requests/{await PendingAsync(admin, "shop", "staging", "profile.write")}/approve", new { comment = "one of two" }));
        await Ok(carol.PostAsJsonAsync($"api/v1/requests/{await PendingAsync(admin, "billing", "staging", "profile.read")}/approve", new { comment = "ok" }));
        await Ok(carol.PostAsJsonAsync($"api/v1/requests/{await PendingAsync(admin, "billing", "production", "profile.read")}/deny", new { comment = "not in production" }));

        var grants = await LoopbackGatehouse.Json(await admin.GetAsync("api/v1/grants?consumer=billing&env=staging"));
        var grantId = grants["grants"]!.AsArray().Single(g => g!["key"]!["scope"]!.GetValue<string>() == "profile.read")!["id"]!.GetValue<long>();
        await Ok(carol.PostAsJsonAsync($"api/v1/grants/{grantId}/revoke", new { comment = "incident 42" }));

        var deprecated = TestOrganisation.Customers.Replace("    description: Read profiles", "    description: Read profiles\n    deprecated: Use profile.read.v2 instead", StringComparison.Ordinal);
        await Ok(admin.PostAsJsonAsync("api/v1/push", new { manifests = new[] { new { path = "customers/gatehouse.yaml", content = deprecated } } }));

        await Ok(admin.PostAsJsonAsync("api/v1/tokens", new { kind = "deploy", subject = "billing", expiresInDays = 3 }));
    }

    public static async Task<long> PendingAsync(HttpClient admin, string consumer, string env, string scope)
    {
        var json = await LoopbackGatehouse.Json(await admin.GetAsync($"api/v1/requests?consumer={consumer}&env={env}&state=pending"));
        return json["requests"]!.AsArray().Single(r => r!["key"]!["scope"]!.GetValue<string>() == scope)!["id"]!.GetValue<long>();
    }

    public static JsonNode Envelope(ReceivedWebhook webhook) => JsonNode.Parse(webhook.Body)!;

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>Runs a script of tests/interop with node, feeding it stdin, and returns what it printed.</summary>
internal static class InteropNode
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
                {
                    return Path.Combine(dir.FullName, "tests", "interop");
                }
            }

            throw new InvalidOperationException("Gatehouse.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static bool Installed(string package) => Directory.Exists(Path.Combine(Folder, "node_modules", package));

    public static async Task<string> RunAsync(string script, string input)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}

/// <summary>Runs when tests/interop has the npm package; in CI (CI=true) never skipped.</summary>
internal sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute(string package)
    {
        if (!InteropNode.Installed(package) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"npm package {package} missing: run `npm ci` in tests/interop";
        }
    }
}
