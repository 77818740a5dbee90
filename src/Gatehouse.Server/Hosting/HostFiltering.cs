using Gatehouse.Server.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Refuses a request addressed to a host this server was not configured to answer as (a forged
/// <c>Host</c>, DNS rebinding), with the framework's matching rule (<see cref="HostString.MatchesAny"/>,
/// ports ignored, <c>*.example.com</c> wildcards) but a Problem Details answer (GH4005). The probe
/// and scrape routes stay open: orchestrators call them by the pod's address, and they say nothing
/// that depends on the host. ADR 0013.
/// </summary>
internal static class HostFiltering
{
    public static void UseGatehouseHostFiltering(this WebApplication app)
    {
        var url = app.Services.GetRequiredService<PublicUrl>();
        if (url.AnyHost)
        {
            return;
        }

        var allowed = url.AllowedHosts;
        app.Use((context, next) =>
        {
            var host = context.Request.Headers.Host.ToString();

            // HTTP/1.0 may omit Host: nothing is derived from it, so there is nothing to forge.
            if (host.Length == 0 || Matches(host, allowed) || IsProbe(context.Request.Path))
            {
                return next(context);
            }

            return ApiProblems.Write(context, StatusCodes.Status400BadRequest, ApiErrors.HostNotServed,
                $"This server answers as {url.Value}, not as `{Printable(host)}`: send requests there (an operator can add names with GATEHOUSE_ALLOWED_HOSTS).");
        });
    }

    private static bool Matches(string host, IList<StringSegment> allowed)
    {
        try
        {
            return HostString.MatchesAny(new StringSegment(host), allowed);
        }
        catch (FormatException)
        {
            // A port that is not a number: not a host this server answers as.
            return false;
        }
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/healthz") || path.Equals("/readyz") || path.Equals("/metrics") || path.Equals("/version")
        || path.StartsWithSegments(Gateway.ForwardAuthEndpoint.Prefix); // proxies call it by an internal name; its answer depends on no host

    private static string Printable(string host) =>
        host.Length <= 100 && !host.Any(char.IsControl) ? host : "(an unprintable host)";
}

/// <summary>Says at start which public URL the server took, and where from.</summary>
internal sealed class PublicUrlAnnouncement(PublicUrl url, ILogger<PublicUrl> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (url.IsConfigured)
        {
            logger.LogInformation("Public URL (OAuth issuer unless GATEHOUSE_OAUTH_ISSUER is set): {PublicUrl}", url.Value);
        }
        else
        {
            logger.LogWarning(
                "GATEHOUSE_PUBLIC_URL is not set: the public URL (the OAuth issuer, the host clients must name) is {PublicUrl}, derived from the address the server listens on. Set GATEHOUSE_PUBLIC_URL to the URL clients use.",
                url.Value);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
