using System.Security.Cryptography;
using System.Text;
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

    internal static IResult NotFound(string id) => ApiProblems.Result(404, OAuthErrors.ClientNotFound,
        $"There is no OAuth client `{id}` that you may see (its app's owners, its creator and admins may).");

    private static async Task<IResult> CreateAsync(CreateClientBody body, HttpContext http, IGatehouseStore store, IOAuthStore oauth, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.App) || string.IsNullOrWhiteSpace(body.Environment))
        {
            return ApiProblems.Result(400, OAuthErrors.ClientRequestInvalid, "Send `app` and `environment`: a client belongs to one app in one environment.");
        }

        ClientAuthMethod? method = body.AuthMethod switch
        {
            null or "client_secret" or "client_secret_basic" or "client_secret_post" => ClientAuthMethod.ClientSecret,
            "private_key_jwt" => ClientAuthMethod.PrivateKeyJwt,
            _ => null,
        };
        if (method is null)
        {
            return ApiProblems.Result(400, OAuthErrors.ClientRequestInvalid, "`authMethod` must be client_secret (the default) or private_key_jwt.");
        }

        var actor = http.User.ToActor();
        if (await ClientAccess.RefuseUnlessManagerAsync(actor, body.App, store, ct, createsCredential: true) is { } refused)
        {
            return refused;
        }

        var organisation = await store.GetOrganisationAsync(ct);
        if (organisation is null || !organisation.Organisation.Environments.Any(e => e.Name == body.Environment))
        {
            var known = organisation is null ? "none (push the organisation file first)" : string.Join(", ", organisation.Organisation.Environments.Select(e => e.Name));
            return ApiProblems.Result(422, OAuthErrors.UnknownEnvironment, $"There is no environment `{body.Environment}`; the organisation has: {known}.");
        }

        Dictionary<string, string>? jwk = null;
        if (body.Jwk is { } element)
        {
            (jwk, var error) = Jwk.ParseClientPublicKey(element);
            if (error is not null || method != ClientAuthMethod.PrivateKeyJwt)
            {
                return ApiProblems.Result(422, OAuthErrors.PublicKeyInvalid, error ?? "`jwk` is only for private_key_jwt clients.");
            }
        }

        var now = time.GetUtcNow();
        var id = "cl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var secret = method == ClientAuthMethod.ClientSecret ? Core.Secrets.SecretFormat.New(Core.Secrets.SecretKind.ClientSecret) : null;
        var hash = secret is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        var client = new OAuthClient(id, body.App, body.Environment, body.Description, method.Value, hash, now, actor.ToString());
        var kid = jwk is null ? null : Jwk.Thumbprint(jwk);
        var firstKey = jwk is null ? null : new ClientPublicKey(id, kid!, Jwk.Serialize(jwk), now, actor.ToString());
        await oauth.CreateClientAsync(client, firstKey, http.TraceIdentifier, ct);

        http.Response.Headers.CacheControl = "no-store";
        return new JsonApiResult(201, new CreatedClientView(ClientView.From(client, firstKey is null ? [] : [firstKey]), secret, kid));
    }

    public const int MaxOverlapHours = 720;

    private static async Task<IResult> RotateSecretAsync(string id, RotateSecretBody? body, HttpContext http, IGatehouseStore store, IOAuthStore oauth, TimeProvider time, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return NotFound(id);
        }

        var actor = http.User.ToActor();
        if (await ClientAccess.RefuseUnlessManagerAsync(actor, client.App, store, ct, createsCredential: true) is { } refused)
        {
            return refused;
        }

        var hours = body?.OverlapHours ?? 24;
        if (hours is < 0 or > MaxOverlapHours)
        {
            return ApiProblems.Result(400, OAuthErrors.SecretOverlapInvalid, $"`overlapHours` must be from 0 (the old secret stops now) to {MaxOverlapHours}.");
        }

        var (secret, hash) = NewSecret();
        var until = hours == 0 ? (DateTimeOffset?)null : time.GetUtcNow().AddHours(hours);
        if (!await oauth.RotateClientSecretAsync(id, hash, until, actor.ToString(), http.TraceIdentifier, ct))
        {
            return ApiProblems.Result(409, OAuthErrors.SecretRotationUnavailable,
                $"Client `{id}` is {(client.IsActive ? "a private_key_jwt client: add a new key and remove the old one instead" : "revoked")}.");
        }

        http.Response.Headers.CacheControl = "no-store";
        return JsonApiResult.Ok(new RotatedSecretView(id, secret, until));
    }

    /// <summary>A new client secret (ADR 0015 format) and the SHA-256 hex that is all the store keeps.</summary>
    internal static (string Secret, string Hash) NewSecret()
    {
        var secret = Core.Secrets.SecretFormat.New(Core.Secrets.SecretKind.ClientSecret);
        return (secret, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, IGatehouseStore store, IOAuthStore oauth, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return NotFound(id);
        }

        var actor = http.User.ToActor();
        if (await ClientAccess.RefuseUnlessManagerAsync(actor, client.App, store, ct) is { } refused)
        {
            return refused;
        }

        if (!await oauth.RevokeClientAsync(id, actor.ToString(), http.TraceIdentifier, ct))
        {
            return ApiProblems.Result(409, OAuthErrors.ClientAlreadyRevoked, $"Client `{id}` is already revoked.");
        }

        return JsonApiResult.Ok(ClientView.From((await oauth.GetClientAsync(id, ct))!));
    }
}
