using Gatehouse.Server.Api;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth.Clients;

/// <summary>
/// Public keys of a <c>private_key_jwt</c> client. Several may be registered at once, so a client
/// rotates its key by adding the new one, switching, then removing the old one.
/// </summary>
internal static class ClientKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/clients/{id}/keys", AddAsync).AddEndpointFilter<IdempotencyFilter>().WithName("AddClientKey");
        api.MapDelete("/clients/{id}/keys/{kid}", RemoveAsync).WithName("RemoveClientKey");
    }

    private static async Task<IResult> AddAsync(string id, AddKeyBody body, HttpContext http, IGatehouseStore store, IOAuthStore oauth, TimeProvider time, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return ClientEndpoints.NotFound(id);
        }

        var actor = http.User.ToActor();
        if (await ClientAccess.RefuseUnlessManagerAsync(actor, client.App, store, ct, createsCredential: true) is { } refused)
        {
            return refused;
        }

        if (client.AuthMethod != ClientAuthMethod.PrivateKeyJwt || !client.IsActive)
        {
            return ApiProblems.Result(422, OAuthErrors.PublicKeyInvalid, $"Client `{id}` is {(client.IsActive ? "a client_secret client" : "revoked")}; keys belong to active private_key_jwt clients.");
        }

        if (body.Jwk is not { } element)
        {
            return ApiProblems.Result(400, OAuthErrors.ClientRequestInvalid, "Send `jwk`: the client's public key as a JSON Web Key.");
        }

        var (jwk, error) = Jwk.ParseClientPublicKey(element);
        if (error is not null)
        {
            return ApiProblems.Result(422, OAuthErrors.PublicKeyInvalid, error);
        }

        var kid = Jwk.Thumbprint(jwk!);
        return await oauth.AddClientKeyAsync(new ClientPublicKey(id, kid, Jwk.Serialize(jwk!), time.GetUtcNow(), actor.ToString()), http.TraceIdentifier, ct)
            ? new JsonApiResult(201, new { clientId = id, kid })
            : ApiProblems.Result(409, OAuthErrors.KeyAlreadyRegistered, $"This key is already registered for `{id}` (kid {kid}).");
    }

    private static async Task<IResult> RemoveAsync(string id, string kid, HttpContext http, IGatehouseStore store, IOAuthStore oauth, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return ClientEndpoints.NotFound(id);
        }

        var actor = http.User.ToActor();
        if (await ClientAccess.RefuseUnlessManagerAsync(actor, client.App, store, ct) is { } refused)
        {
            return refused;
        }

        return await oauth.RemoveClientKeyAsync(id, kid, actor.ToString(), http.TraceIdentifier, ct)
            ? Results.NoContent()
            : ApiProblems.Result(404, OAuthErrors.KeyNotFound, $"Client `{id}` has no key `{kid}`.");
    }
}
