using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli.Tests.Gateway;

/// <summary>
/// <c>gatehouse export gateway</c> on the example organisation (customers declares routes): each
/// format checked by the gateway's own checker where it is installed (nginx -t, caddy validate),
/// KrakenD by the shape of its JSON; the same input gives the same bytes; refusals name their code.
/// </summary>
public sealed class ExportGatewayCommandTests
{
    private static readonly string Root = RepositoryRoot();

    private static readonly string[] Common =
        ["--env", "production", "--gatehouse", "http://127.0.0.1:5080", "--upstream", "customers=http://127.0.0.1:7001", "examples/acme"];

    private static CliResult Export(string format, params string[] extra) =>
        CliRunner.Run(Root, ["export", "gateway", "--format", format, .. Common, .. extra]);

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    [InlineData("krakend")]
    public void Export_is_deterministic(string format)
    {
        var first = Export(format);
        var second = Export(format);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public void Nginx_export_calls_forward_auth_for_each_route_and_refuses_other_paths()
    {
        var result = Export("nginx");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("proxy_pass http://127.0.0.1:5080/forward-auth/customers/production;", result.Out, StringComparison.Ordinal);
        Assert.Contains("    # GET /customers/{id}/addresses/{address}  ->  customers:addresses.read\n    # PUT /customers/{id}/addresses/{address}  ->  customers:addresses.write\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("location ~ ^/customers/[^/]+/addresses/[^/]+$ {", result.Out, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Uri $request_uri;", result.Out, StringComparison.Ordinal);
        Assert.Contains("location / {\n        return 403;\n    }", result.Out, StringComparison.Ordinal);
    }

    [ProxyFact("nginx")]
    public async Task Nginx_export_passes_nginx_t()
    {
        var prefix = Directory.CreateTempSubdirectory("gatehouse-export-nginx-").FullName;
        try
        {
            var result = Export("nginx");
            Assert.Equal(0, result.ExitCode);
            await File.WriteAllTextAsync(Path.Combine(prefix, "gatehouse.conf"), result.Out);
            var conf = Path.Combine(prefix, "nginx.conf");
            await File.WriteAllTextAsync(conf, $$"""
                pid {{prefix}}/nginx.pid;
                error_log {{prefix}}/error.log;
                events {}
                http {
                    client_body_temp_path {{prefix}}/body; proxy_temp_path {{prefix}}/proxy;
                    fastcgi_temp_path {{prefix}}/fastcgi; uwsgi_temp_path {{prefix}}/uwsgi; scgi_temp_path {{prefix}}/scgi;
                    include {{prefix}}/gatehouse.conf;
                }
                """);

            var (code, output) = await RunAsync(ProxyFactAttribute.Find("nginx")!, ["-t", "-p", prefix, "-c", conf, "-e", Path.Combine(prefix, "error.log")], prefix);

            Assert.True(code == 0, output);
            Assert.Contains("test is successful", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [ProxyFact("caddy")]
    public async Task Caddy_export_passes_caddy_validate()
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-export-caddy-").FullName;
        try
        {
            var result = Export("caddy");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("forward_auth http://127.0.0.1:5080 {\n\t\t\t\turi /forward-auth/customers/production\n\t\t\t\theader_up Host {upstream_hostport}\n", result.Out, StringComparison.Ordinal);
            var file = Path.Combine(folder, "Caddyfile");
            await File.WriteAllTextAsync(file, result.Out);

            var (code, output) = await RunAsync(ProxyFactAttribute.Find("caddy")!, ["validate", "--config", file, "--adapter", "caddyfile"], folder);

            Assert.True(code == 0, output);
            Assert.Contains("Valid configuration", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Krakend_export_has_one_endpoint_per_route_with_the_jwt_validator()
    {
        var result = Export("krakend", "--issuer", "https://gatehouse.example.com");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(3, json["version"]!.GetValue<int>());
        var endpoints = json["endpoints"]!.AsArray();
        Assert.Equal(9, endpoints.Count); // the routes of examples/acme/services/customers
        var endpoint = endpoints.Single(e => e!["endpoint"]!.GetValue<string>() == "/customers/{id}/addresses/{address}" && e["method"]!.GetValue<string>() == "DELETE")!;
        var validator = endpoint["extra_config"]!["auth/validator"]!;
        Assert.Equal("ES256", validator["alg"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:5080/oauth2/jwks", validator["jwk_url"]!.GetValue<string>());
        Assert.Equal("https://gatehouse.example.com", validator["issuer"]!.GetValue<string>());
        Assert.Equal("urn:gatehouse:production:customers", Assert.Single(validator["audience"]!.AsArray())!.GetValue<string>());
        Assert.Equal("customers:addresses.write", Assert.Single(validator["scopes"]!.AsArray())!.GetValue<string>());
        Assert.Equal("scope", validator["scopes_key"]!.GetValue<string>());
        Assert.Equal("any", validator["scopes_matcher"]!.GetValue<string>());
        var backend = Assert.Single(endpoint["backend"]!.AsArray())!;
        Assert.Equal("/customers/{id}/addresses/{address}", backend["url_pattern"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:7001", Assert.Single(backend["host"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public void Krakend_refuses_a_catch_all_it_cannot_express()
    {
        using var workspace = new RoutesWorkspace("""["GET /files/{*path}"]""");

        var result = CliRunner.Run(workspace.Path, "export", "gateway", "--format", "krakend", "--env", "production", "--gatehouse", "http://127.0.0.1:5080");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("GH5033: KrakenD cannot express 'GET /files/{*path}' (files:files.read)", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData(new[] { "--env", "qa", "--gatehouse", "http://127.0.0.1:5080" }, 2, "GH5031: environment 'qa' is not defined")]
    [InlineData(new[] { "--env", "production", "--gatehouse", "ftp://x" }, 2, "GH5034: pass --gatehouse URL")]
    [InlineData(new[] { "--env", "production", "--gatehouse", "http://x", "--upstream", "files" }, 2, "GH5034: --upstream 'files' must be APP=URL")]
    [InlineData(new[] { "--env", "production", "--gatehouse", "http://x", "--upstream", "files=http://x/api" }, 2, "GH5034: --upstream 'files=http://x/api'")]
    public void Bad_options_are_refused_with_their_code(string[] options, int exitCode, string message)
    {
        using var workspace = new RoutesWorkspace("""["GET /files/{id}"]""");

        var result = CliRunner.Run(workspace.Path, ["export", "gateway", "--format", "nginx", .. options]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Manifests_without_routes_have_nothing_to_export()
    {
        using var workspace = new RoutesWorkspace(routes: null);

        var result = CliRunner.Run(workspace.Path, "export", "gateway", "--format", "caddy", "--env", "production", "--gatehouse", "http://x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("GH5032: no scope of these manifests lists routes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_explains_the_command_with_examples()
    {
        var result = CliRunner.Run(Path.GetTempPath(), "export", "gateway", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("gatehouse export gateway --format krakend --env production", result.Out, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string folder)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOME"] = folder;
        info.Environment["XDG_DATA_HOME"] = Path.Combine(folder, "data");
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(folder, "config");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>An organisation file and one app, files, whose scope lists <c>routes</c> (or none).</summary>
    private sealed class RoutesWorkspace : IDisposable
    {
        public RoutesWorkspace(string? routes)
        {
            Path = Directory.CreateTempSubdirectory("gatehouse-export-").FullName;
            File.WriteAllText(System.IO.Path.Combine(Path, "gatehouse.org.yaml"),
                "apiVersion: gatehouse/v1\norganisation: acme\nadmins: [alice]\nenvironments:\n  - name: production\nteams:\n  - name: storage\n    members: [alice]\n");
            Directory.CreateDirectory(System.IO.Path.Combine(Path, "files"));
            File.WriteAllText(System.IO.Path.Combine(Path, "files", "gatehouse.yaml"),
                "apiVersion: gatehouse/v1\napp: files\nowners: [team:storage]\nscopes:\n  - name: files.read\n    description: Read files\n" + (routes is null ? "" : $"    routes: {routes}\n"));
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>The complete example in docs/gateway.md is what the command writes.</summary>
public sealed class GatewayDocsTests
{
    [Fact]
    public void The_nginx_example_in_gateway_md_is_the_exports_output()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var doc = File.ReadAllText(Path.Combine(root, "docs", "gateway.md"));
        const string command = "gatehouse export gateway --format nginx --env production --gatehouse https://gatehouse.example.com --upstream customers=http://customers.internal:8080 examples/acme";
        Assert.Contains(command, doc, StringComparison.Ordinal);

        var result = CliRunner.Run(root, command.Split(' ')[1..]);

        Assert.Equal(0, result.ExitCode);
        var start = doc.LastIndexOf("```nginx\n", StringComparison.Ordinal) + "```nginx\n".Length;
        Assert.Equal(result.Out, doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)]);
    }
}
