using System.Security.Cryptography;
using Gatehouse.Server.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.Server.Hosting;

/// <summary>What <c>gatehouse serve</c> runs: configuration, store, migrations, optional demo data, the web server.</summary>
public static class GatehouseHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(string[] args, bool demo, TextWriter output, CancellationToken ct)
    {
        var options = GatehouseOptionsLoader.FromProcessEnvironment();
        options.Demo = demo;
        // The process's own standard output is buffered (the access log writes a line per request).
        using var stdout = ReferenceEquals(output, Console.Out) ? Observability.BufferedStandardOutput.Install() : null;
        output = stdout?.Writer ?? output;
        if (options.LogFormat == "json")
        {
            // Every line on standard output is then JSON, the banner too (ADR 0028).
            output = new Observability.JsonLinesWriter(output, TimeProvider.System);
        }

        if (demo)
        {
            options.DataDirectory = Path.Combine(Path.GetTempPath(), "gatehouse-demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            options.DatabaseConnectionString = null;
            options.BootstrapToken ??= Core.Secrets.SecretFormat.New(Core.Secrets.SecretKind.BootstrapToken);
        }

        if (!args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            args = [.. args, "--urls", DefaultUrl];
        }

        // The key-encryption key as the server will read it, to unwrap the audit key before any write.
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var store = ServerStore.Create(options, OAuth.OAuthOptionsLoader.Load(configuration), TimeProvider.System);

        // Closed after the web server (declared before it): a graceful stop closes the database,
        // after the copy of a large push's log into it (ADR 0046).
        await using var closeStore = store as IAsyncDisposable;
        await store.MigrateAsync(ct);

        IReadOnlyList<DemoSeeder.DemoUser> users = [];
        if (demo)
        {
            users = await DemoSeeder.SeedAsync(store, TimeProvider.System, ct);
        }

        await using var app = GatehouseServer.Build(args, options, store);
        await app.StartAsync(ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? DefaultUrl;
        output.WriteLine($"Gatehouse {Health.HealthEndpoints.Version} listening on {url}");
        output.WriteLine(options.DatabaseConnectionString is null ? $"Storage: SQLite in {options.DataDirectory}" : "Storage: PostgreSQL");
        if (demo)
        {
            DemoBanner.Write(output, url, options.BootstrapToken!, users);
        }

        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
