// Gatehouse for the token benchmark: a fresh SQLite store in a temp folder with one
// organisation, two apps and an auto-approved grant, one client_secret client; then the real
// server (GatehouseServer.Build, as `gatehouse serve` runs it) on 127.0.0.1:$PORT.
// Prints "token <secret>" (root's personal token) then "client <id> <secret>" on stdout when ready. Stopped by run.sh.
using Gatehouse.Core.Access;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage;
using Microsoft.Extensions.Hosting;

if (args is ["recorder", ..])
{
    UsageRecorderBench.Run(); // bench/run-usage.sh: the usage recorder's cost per call, alone
    return;
}

var port = Environment.GetEnvironmentVariable("PORT") ?? "5302";
var data = Directory.CreateTempSubdirectory("gatehouse-bench-").FullName;
var at = new SourceLocation("bench", 1, 1);
var bootstrap = new Actor(ActorKind.Bootstrap, "bootstrap");
var root = new Actor(ActorKind.User, "root"); // the bootstrap token files no requests: the admin pushes

var store = ServerStore.Create(new GatehouseOptions { DataDirectory = data }, new Gatehouse.Server.OAuth.OAuthOptions(), TimeProvider.System);
await store.MigrateAsync();
await store.PushOrganisationAsync(
    new OrganisationFile("gatehouse/v1", "bench", ["root"], [new EnvironmentDefinition("development", null, EnvironmentApproval.Auto, at)], [], at),
    "bench org", bootstrap, null);
var customers = new AppManifest("gatehouse/v1", "customers", null, [new OwnerRef(OwnerKind.User, "root")],
    [new ScopeDeclaration("profile.read", null, ApprovalMode.Owner, null, at)], [], at);
var billing = new AppManifest("gatehouse/v1", "billing", null, [new OwnerRef(OwnerKind.User, "root")], [],
    [new NeedDeclaration("customers", ["profile.read"], "benchmark", null, at)], at);
var pushed = await store.PushAsync([new ManifestUpload(customers, "customers"), new ManifestUpload(billing, "billing")], root, null);
if (!pushed.Succeeded)
{
    throw new InvalidOperationException(pushed.ErrorMessage);
}

var options = new GatehouseOptions { DataDirectory = data, BootstrapToken = "bench-bootstrap-token-0123456789abcdef", LogFormat = "text" };
await using var app = GatehouseServer.Build(["--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", "--GATEHOUSE_RATE_LIMITS=off"], options, store);
await app.StartAsync();

using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
var rootToken = (await store.CreateTokenAsync(new TokenSubject(TokenKind.Personal, "root"), DateTimeOffset.UtcNow.AddDays(1), "bench", bootstrap, null)).Value!.Secret;
http.DefaultRequestHeaders.Authorization = new("Bearer", rootToken);
var created = await http.PostAsync("api/v1/clients", new StringContent("""{"app":"billing","environment":"development"}""", System.Text.Encoding.UTF8, "application/json"));
var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
Console.WriteLine($"token {rootToken}"); // for the decision endpoint (bench/run-usage.sh)
Console.WriteLine($"client {body.GetProperty("client").GetProperty("id").GetString()} {body.GetProperty("clientSecret").GetString()}");
Console.Out.Flush();

await app.WaitForShutdownAsync();
Directory.Delete(data, recursive: true);
