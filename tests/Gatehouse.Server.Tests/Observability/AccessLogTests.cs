using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gatehouse.Server.OAuth;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>
/// The access log and JSON logs of the real `gatehouse serve` process (ADR 0028): one line per
/// request in <c>Gatehouse.Access</c> with method, route, status, duration and actor; never a
/// token, a client secret or a query string; with <c>GATEHOUSE_LOG_FORMAT=json</c> every line on
/// standard output, the banner included, is a JSON object.
/// </summary>
public sealed class AccessLogTests
{
    private const string QuerySecret = "query-secret-4f1c9a";
    private const string ClientSecret = "client-secret-8be21d";
    private const string GuessedToken = "ghp_guessed-token-77c0e2a9d1";

    [Fact]
    public async Task Json_logs_are_json_on_every_line_and_the_access_log_names_route_status_and_actor_never_a_secret()
    {
        var lines = await RunServeAsync(("GATEHOUSE_LOG_FORMAT", "json"));

        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            try
            {
                var json = JsonDocument.Parse(line).RootElement;
                Assert.Equal(JsonValueKind.Object, json.ValueKind);
                return json;
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line on stdout: {line} ({e.Message})");
            }
        }).ToList();
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Gatehouse ", StringComparison.Ordinal)
            && e.GetProperty("Message").GetString()!.Contains(" listening on http://127.0.0.1:", StringComparison.Ordinal));

        var access = entries.Where(e => e.GetProperty("Category").GetString() == "Gatehouse.Access").Select(e => e.GetProperty("State")).ToList();
        var apps = Assert.Single(access, s => s.GetProperty("Route").GetString() == "/api/v1/apps" && s.GetProperty("Status").GetInt32() == 200);
        Assert.Equal("{Method} {Route} {Status} {DurationMs:0.0} ms {Actor}", apps.GetProperty("{OriginalFormat}").GetString());
        Assert.All(entries.Where(e => e.GetProperty("Category").GetString() == "Gatehouse.Access"), e =>
        {
            // What the logger's JSON format gives a logger message (ADR 0041 writes it without the logger's queue).
            var state = e.GetProperty("State");
            var duration = state.GetProperty("DurationMs").GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"{state.GetProperty("Method")} {state.GetProperty("Route")} {state.GetProperty("Status")} {duration} ms {state.GetProperty("Actor")}", e.GetProperty("Message").GetString());
            Assert.Equal(1, e.GetProperty("EventId").GetInt32());
            Assert.Equal("Information", e.GetProperty("LogLevel").GetString());
        });
        Assert.Equal("GET", apps.GetProperty("Method").GetString());
        Assert.Equal("bootstrap", apps.GetProperty("Actor").GetString());
        Assert.True(apps.GetProperty("DurationMs").GetDouble() > 0);
        var refused = Assert.Single(access, s => s.GetProperty("Route").GetString() == "/api/v1/apps" && s.GetProperty("Status").GetInt32() == 401);
        Assert.Equal("-", refused.GetProperty("Actor").GetString());
        var tokens = access.Where(s => s.GetProperty("Route").GetString() == OAuthUrls.TokenPath).ToList();
        Assert.Equal([400, 401], tokens.Select(t => t.GetProperty("Status").GetInt32()).Order());
        Assert.All(tokens, t => Assert.Equal("POST", t.GetProperty("Method").GetString()));

        // The refused client authentication is logged with the client id it claimed, not its secret.
        Assert.Contains(entries, e => e.GetProperty("LogLevel").GetString() == "Warning" && e.GetProperty("Message").GetString()!.Contains("no-such-client", StringComparison.Ordinal));

        var output = string.Join('\n', lines);
        Assert.DoesNotContain(TestServer.BootstrapToken, output, StringComparison.Ordinal);
        Assert.DoesNotContain(QuerySecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(GuessedToken, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_log_can_be_turned_off()
    {
        var on = await RunServeAsync();
        var off = await RunServeAsync(("GATEHOUSE_ACCESS_LOG", "off"));

        Assert.Contains(on, l => l.Contains("Gatehouse.Access", StringComparison.Ordinal) && l.Contains("GET /api/v1/apps 200", StringComparison.Ordinal));

        // The line the console logger's simple format gives (ADR 0041 writes it without the logger's queue).
        Assert.Contains(on, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^info: Gatehouse\.Access\[1\] GET /api/v1/apps 200 \d+\.\d ms bootstrap$"));
        Assert.Contains(on, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^info: Gatehouse\.Access\[1\] GET /api/v1/apps 401 \d+\.\d ms -$"));
        Assert.DoesNotContain(off, l => l.Contains("Gatehouse.Access", StringComparison.Ordinal));
        Assert.Contains(off, l => l.Contains("listening on", StringComparison.Ordinal));
    }

    [Fact]
    public void The_actor_is_the_one_an_endpoint_named_else_the_user_else_a_dash_and_asking_makes_no_principal()
    {
        var anonymous = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.Equal("-", Gatehouse.Server.Observability.AccessLog.Actor(anonymous));
        Assert.Null(anonymous.Features.Get<Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature>());

        var client = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        client.Features.Set(new Gatehouse.Server.Observability.AccessLogActor("client:gh_client_1"));
        Assert.Equal("client:gh_client_1", Gatehouse.Server.Observability.AccessLog.Actor(client));

        var deploy = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = Gatehouse.Server.Identity.GatehouseClaims.Principal(new Gatehouse.Core.Access.Actor(Gatehouse.Core.Access.ActorKind.App, "billing"), "test"),
        };
        Assert.Equal("app:billing", Gatehouse.Server.Observability.AccessLog.Actor(deploy));
    }

    /// <summary>Runs `gatehouse serve`, sends the requests, stops it with SIGTERM and returns every line of its standard output.</summary>
    private static async Task<IReadOnlyList<string>> RunServeAsync(params (string Name, string Value)[] environment)
    {
        var data = Directory.CreateTempSubdirectory("gatehouse-access-log-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), "serve", "--urls", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GATEHOUSE_DATA"] = data;
        start.Environment["GATEHOUSE_BOOTSTRAP_TOKEN"] = TestServer.BootstrapToken;
        start.Environment.Remove("GATEHOUSE_LOG_FORMAT");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(start)!;
        var closed = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                closed.TrySetResult();
            }
            else
            {
                lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(process, http);

            using var apps = new HttpRequestMessage(HttpMethod.Get, "api/v1/apps?access_token=" + QuerySecret);
            apps.Headers.Authorization = new("Bearer", TestServer.BootstrapToken);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(apps)).StatusCode);
            using var guess = new HttpRequestMessage(HttpMethod.Get, "api/v1/apps");
            guess.Headers.Authorization = new("Bearer", GuessedToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(guess)).StatusCode);
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "no-such-client",
                ["client_secret"] = ClientSecret,
            });

            // OAuth parameters in the query are refused (400), and neither copy of the secret is logged.
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(OAuthUrls.TokenPath.TrimStart('/') + "?client_secret=" + QuerySecret, form)).StatusCode);

            using var unknownClient = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "no-such-client",
                ["client_secret"] = ClientSecret,
            });
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(OAuthUrls.TokenPath.TrimStart('/'), unknownClient)).StatusCode);

            // The console logger writes from its own thread: wait for the four lines.
            for (var i = 0; i < 100 && lines.Count(l => l.Contains("/api/v1/apps", StringComparison.Ordinal) || l.Contains(OAuthUrls.TokenPath + " ", StringComparison.Ordinal)) < 4; i++)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            ServerProcess.Terminate(process);
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
            }

            await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Directory.Delete(data, recursive: true);
        }

        return [.. lines];
    }

    private static async Task WaitHealthyAsync(Process process, HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(process.HasExited, "gatehouse serve exited");
            try
            {
                if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("gatehouse serve did not become healthy within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
