using System.CommandLine;
using Gatehouse.Cli.Gateway;
using Gatehouse.Cli.Output;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse export gateway --format krakend|nginx|caddy --env E [PATH...]</c>: the gateway
/// configuration that enforces the routes of the manifests (docs/gateway.md). Offline, deterministic.
/// </summary>
internal static class ExportGatewayCommand
{
    public const string Examples = """
        gatehouse export gateway --format nginx --env production --gatehouse https://gatehouse.example.com > gatehouse-routes.conf
        gatehouse export gateway --format caddy --env staging --upstream customers=http://10.0.0.7:8080 services/
        gatehouse export gateway --format krakend --env production --gatehouse https://gatehouse.example.com > krakend.json
        """;

    // GH503x: refusals of the export (docs/errors.md).
    public const string UndefinedEnvironment = "GH5031";
    public const string NothingToExport = "GH5032";
    public const string NotExpressible = "GH5033";
    public const string BadOption = "GH5034";

    public static Command Create(CliContext context)
    {
        var paths = PathArgument.Create();
        var format = new Option<string>("--format") { Description = "The gateway: krakend, nginx or caddy", Required = true };
        format.AcceptOnlyFromAmong("krakend", "nginx", "caddy");
        var environment = new Option<string>("--env") { Description = "The environment the gateway serves (the tokens' audience)", Required = true, HelpName = "ENVIRONMENT" };
        var gatehouse = new Option<string?>("--gatehouse") { Description = "Gatehouse's URL for forward-auth and the JWKS (default: $GATEHOUSE_URL)", HelpName = "URL" };
        var issuer = new Option<string?>("--issuer") { Description = "The tokens' issuer, when GATEHOUSE_OAUTH_ISSUER differs from the URL (krakend)", HelpName = "URL" };
        var algorithm = new Option<string>("--alg") { Description = "The signing algorithm of the tokens (krakend)", DefaultValueFactory = _ => "ES256" };
        algorithm.AcceptOnlyFromAmong("ES256", "RS256");
        var upstreams = new Option<string[]>("--upstream") { Description = "Where an app's traffic goes, APP=URL (repeatable; default http://APP)", HelpName = "APP=URL", AllowMultipleArgumentsPerToken = false };
        var listen = new Option<int>("--listen") { Description = "The port the gateway listens on", DefaultValueFactory = _ => 8080 };

        var export = new Command("export", "Write configuration for other systems from the manifests.");
        var command = new Command("gateway", "Write the gateway configuration that enforces the routes of each scope: nginx and Caddy call Gatehouse forward-auth for every request; KrakenD validates the tokens itself (JWKS, issuer, audience, scope). Offline; the same files give the same output.")
        {
            paths, format, environment, gatehouse, issuer, algorithm, upstreams, listen,
        };
        command.SetAction(parse => Run(context, parse.GetValue(paths) ?? [], parse.GetValue(format)!, parse.GetValue(environment)!,
            parse.GetValue(gatehouse) ?? Environment.GetEnvironmentVariable("GATEHOUSE_URL"), parse.GetValue(issuer), parse.GetValue(algorithm)!,
            parse.GetValue(upstreams) ?? [], parse.GetValue(listen)));
        export.Subcommands.Add(command);
        CommandExamples.With(command, Examples);
        return export;
    }

    private static int Run(CliContext context, string[] paths, string format, string environment, string? gatehouse, string? issuer,
        string algorithm, string[] upstreamOptions, int listen)
    {
        if (PathArgument.Problem(context, paths) is { } problem)
        {
            return context.Fail(ExitCodes.Usage, problem);
        }

        if (!TryUrl(gatehouse, out var gatehouseUrl))
        {
            return context.Fail(ExitCodes.Usage, $"{BadOption}: pass --gatehouse URL (or set GATEHOUSE_URL): an http(s) URL, e.g. https://gatehouse.example.com");
        }

        if (listen is < 1 or > 65535)
        {
            return context.Fail(ExitCodes.Usage, $"{BadOption}: --listen must be a port from 1 to 65535, not {listen}");
        }

        var upstreams = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var option in upstreamOptions)
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryUrl(option[(equals + 1)..], out var url) || url!.AbsolutePath != "/")
            {
                return context.Fail(ExitCodes.Usage, $"{BadOption}: --upstream '{option}' must be APP=URL with an http(s) URL without a path, e.g. customers=http://10.0.0.7:8080");
            }

            upstreams[option[..equals]] = url;
        }

        var workspace = ManifestWorkspace.Load(paths, context.WorkingDirectory);
        if (workspace.Diagnostics.Count > 0)
        {
            DiagnosticWriter.Write(workspace, DiagnosticFormat.Text, context.Error);
        }

        if (workspace.HasErrors)
        {
            return ExitCodes.Failed;
        }

        if (workspace.Organisation is { } organisation && !organisation.Environments.Any(e => e.Name == environment))
        {
            return context.Fail(ExitCodes.Usage,
                $"{UndefinedEnvironment}: environment '{environment}' is not defined by the organisation file (it defines: {string.Join(", ", organisation.Environments.Select(e => e.Name))})");
        }

        var apps = GatewayExport.AppsOf(workspace.Manifests, upstreams);
        if (apps.Count == 0)
        {
            return context.Fail(ExitCodes.Failed, $"{NothingToExport}: no scope of these manifests lists routes; add 'routes:' to the scopes a gateway should enforce (docs/gateway.md)");
        }

        var model = new GatewayExport(environment, gatehouseUrl!, issuer?.TrimEnd('/') ?? gatehouseUrl!.ToString().TrimEnd('/'), algorithm, listen, apps);
        if (format == "krakend" && KrakendGatewayWriter.Unsupported(model).FirstOrDefault() is { } unsupported)
        {
            return context.Fail(ExitCodes.Failed,
                $"{NotExpressible}: KrakenD cannot express '{unsupported.Template}' ({unsupported.Scope}): its open-source router has no catch-all; list the routes, or use --format nginx or caddy");
        }

        context.Out.Write(format switch
        {
            "krakend" => KrakendGatewayWriter.Write(model),
            "caddy" => CaddyGatewayWriter.Write(model),
            _ => NginxGatewayWriter.Write(model),
        });
        return ExitCodes.Ok;
    }

    private static bool TryUrl(string? text, out Uri? url)
    {
        url = null;
        return text is { Length: > 0 } && Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme is "http" or "https"
            && url.Query.Length == 0 && url.Fragment.Length == 0;
    }
}
