using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth.Clients;

/// <summary>
/// <c>/api/v1/clients</c>: OAuth clients of one app in one environment. A secret client gets a
/// 256-bit random secret, shown once and stored as its SHA-256; a <c>private_key_jwt</c> client
/// has no secret at all, only registered public keys.
/// </summary>
internal static class ClientEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/clients", CreateAsync).WithName("CreateClient")
            .WithSummary("Create an OAuth client of one app in one environment; the secret is in this response only");
        // Least privilege (ADR 0011): the clients of apps the caller owns or is, those she created; admins all.
        api.MapGet("/clients", async (string? app, HttpContext http, IGatehouseStore store, IOAuthStore oauth, Storage.Usage.IUsageStore usage, CancellationToken ct) =>
        {
            var visibility = await store.CredentialVisibilityAsync(http.User.ToActor(), ct);
            var clients = (await oauth.ListClientsAsync(app, ct)).Where(c => visibility.MaySeeClient(c.App, c.CreatedBy)).ToList();
            var lastUse = await usage.ClientLastUseAsync(clients.Select(c => c.Id), ct);
            return JsonApiResult.Ok(new { clients = clients.Select(c => ClientView.From(c, null, lastUse.GetValueOrDefault(c.Id))) });
        }).WithName("ListClients");
        api.MapGet("/clients/{id}", async (string id, HttpContext http, IGatehouseStore store, IOAuthStore oauth, Storage.Usage.IUsageStore usage, CancellationToken ct) =>
        {
            // A client the caller may not see is answered like one that does not exist: no oracle for ids.
            var visibility = await store.CredentialVisibilityAsync(http.User.ToActor(), ct);
            return await oauth.GetClientAsync(id, ct) is { } client && visibility.MaySeeClient(client.App, client.CreatedBy)
                ? JsonApiResult.Ok(ClientView.From(client, await oauth.ListClientKeysAsync(id, ct), (await usage.ClientLastUseAsync([id], ct)).GetValueOrDefault(id)))
                : NotFound(id);
        }).WithName("GetClient");
        api.MapPost("/clients/{id}/revoke", RevokeAsync).AddEndpointFilter<IdempotencyFilter>().WithName("RevokeClient");
        // No Idempotency-Key: a replay would have to store the new secret.
        api.MapPost("/clients/{id}/rotate-secret", RotateSecretAsync).WithName("RotateClientSecret")
            .WithSummary("Give a client_secret client a new secret (shown once); the old one stays valid for overlapHours");
        ClientKeyEndpoints.Map(api);
    }

    internal static IResult NotFound(string id) => ClientCommands.NotFound<object>(id).ToProblem();

    private static async Task<IResult> CreateAsync(CreateClientBody body, HttpContext http, ClientCommands commands, CancellationToken ct)
    {
        var outcome = await commands.CreateAsync(body, http.User.ToActor(), http.TraceIdentifier, ct);
        if (!outcome.Succeeded)
        {
            return outcome.ToProblem();
        }

        http.Response.Headers.CacheControl = "no-store";
        return new JsonApiResult(201, outcome.Value!);
    }

    private static async Task<IResult> RotateSecretAsync(string id, RotateSecretBody? body, HttpContext http, ClientCommands commands, CancellationToken ct)
    {
        var outcome = await commands.RotateSecretAsync(id, body?.OverlapHours, http.User.ToActor(), http.TraceIdentifier, ct);
        if (!outcome.Succeeded)
        {
            return outcome.ToProblem();
        }

        http.Response.Headers.CacheControl = "no-store";
        return JsonApiResult.Ok(outcome.Value!);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, ClientCommands commands, CancellationToken ct)
    {
        var outcome = await commands.RevokeAsync(id, http.User.ToActor(), http.TraceIdentifier, ct);
        return outcome.Succeeded ? JsonApiResult.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
