using System.Reflection;
using Gatehouse.Server.Api;
using Gatehouse.Storage;

namespace Gatehouse.Server.Health;

/// <summary>Liveness, readiness and version: anonymous, for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    public static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().WithName("Healthz");

        app.MapGet("/readyz", async (IGatehouseStore store, CancellationToken ct) =>
        {
            try
            {
                await store.GetOrganisationAsync(ct);
                return Results.Text("ready");
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                return ApiProblems.Result(503, ApiErrors.DatabaseUnreachable, "The database is not reachable.");
            }
        }).AllowAnonymous().WithName("Readyz");

        app.MapGet("/version", () => JsonApiResult.Ok(new { name = "gatehouse", version = Version }))
            .AllowAnonymous().WithName("Version");
    }
}
