using Gatehouse.AspNetCore;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Routes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Enforcement of the routes a service's own gatehouse.yaml gives its scopes (ADR 0026).</summary>
public static class GatehouseRouteApplicationBuilderExtensions
{
    /// <summary>
    /// Requires, for every request, a Gatehouse token carrying the scope whose <c>routes</c> in
    /// <paramref name="manifestPath"/> match the method and path; a request no route matches is
    /// refused with 403 (fail closed), except the exact paths in <paramref name="unprotectedPaths"/>
    /// (health probes). Call after <c>UseAuthentication()</c>:
    /// <c>app.UseGatehouseRoutes("gatehouse.yaml", "/healthz");</c>
    /// The manifest is read and validated once, at this call; errors stop the start.
    /// </summary>
    public static IApplicationBuilder UseGatehouseRoutes(this IApplicationBuilder app, string manifestPath, params string[] unprotectedPaths)
    {
        var result = ManifestReader.ReadManifest(manifestPath, File.ReadAllBytes(manifestPath));
        if (result.Value is not { } manifest)
        {
            throw new InvalidOperationException($"{manifestPath} does not validate: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == Gatehouse.Core.Diagnostics.Severity.Error)));
        }

        var configured = app.ApplicationServices.GetRequiredService<IOptionsMonitor<GatehouseTokenOptions>>().Get(GatehouseTokenDefaults.AuthenticationScheme).App;
        if (configured is not null && configured != manifest.App)
        {
            throw new InvalidOperationException($"{manifestPath} declares app '{manifest.App}', but the Gatehouse tokens are validated for '{configured}'");
        }

        var routes = new RouteTable(manifest.Scopes.SelectMany(s => s.Routes.Select(r => new ScopedRoute(RouteTemplate.Parse(r, out _)!, $"{manifest.App}:{s.Name}"))));
        var open = new HashSet<string>(unprotectedPaths, StringComparer.Ordinal);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (open.Contains(path))
            {
                await next(context);
                return;
            }

            if (routes.Match(context.Request.Method, path) is not { } route)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            var authenticated = await context.AuthenticateAsync(GatehouseTokenDefaults.AuthenticationScheme);
            if (!authenticated.Succeeded)
            {
                await context.ChallengeAsync(GatehouseTokenDefaults.AuthenticationScheme);
                return;
            }

            if (!authenticated.Principal.HasClaim(GatehouseTokenDefaults.ScopeClaim, route.Scope))
            {
                // RFC 6750 section 3.1: name the scope the route needs.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{route.Scope}\"";
                return;
            }

            context.User = authenticated.Principal;
            await next(context);
        });
    }
}
