using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Storage;
using Gatehouse.Storage.OAuth;

namespace Gatehouse.Server.OAuth.Clients;

/// <summary>
/// Create, rotate and revoke OAuth clients: the rules both the API and the portal's Credentials
/// page follow, so a refusal has the same code and message wherever it is asked.
/// </summary>
internal sealed class ClientCommands(IGatehouseStore store, IOAuthStore oauth, TimeProvider time)
{
    public const int MaxOverlapHours = 720;

    public async Task<ClientOutcome<CreatedClientView>> CreateAsync(CreateClientBody body, Actor actor, string? correlationId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.App) || string.IsNullOrWhiteSpace(body.Environment))
        {
            return ClientOutcome<CreatedClientView>.Refuse(400, OAuthErrors.ClientRequestInvalid, "Send `app` and `environment`: a client belongs to one app in one environment.");
        }

        ClientAuthMethod? method = body.AuthMethod switch
        {
            null or "client_secret" or "client_secret_basic" or "client_secret_post" => ClientAuthMethod.ClientSecret,
            "private_key_jwt" => ClientAuthMethod.PrivateKeyJwt,
            _ => null,
        };
        if (method is null)
        {
            return ClientOutcome<CreatedClientView>.Refuse(400, OAuthErrors.ClientRequestInvalid, "`authMethod` must be client_secret (the default) or private_key_jwt.");
        }

        if (await ClientAccess.RefusalAsync(actor, body.App, store, ct, createsCredential: true) is { } refused)
        {
            return refused.As<CreatedClientView>();
        }

        var organisation = await store.GetOrganisationAsync(ct);
        if (organisation is null || !organisation.Organisation.Environments.Any(e => e.Name == body.Environment))
        {
            var known = organisation is null ? "none (push the organisation file first)" : string.Join(", ", organisation.Organisation.Environments.Select(e => e.Name));
            return ClientOutcome<CreatedClientView>.Refuse(422, OAuthErrors.UnknownEnvironment, $"There is no environment `{body.Environment}`; the organisation has: {known}.");
        }

        Dictionary<string, string>? jwk = null;
        if (body.Jwk is { } element)
        {
            (jwk, var error) = Jwk.ParseClientPublicKey(element);
            if (error is not null || method != ClientAuthMethod.PrivateKeyJwt)
            {
                return ClientOutcome<CreatedClientView>.Refuse(422, OAuthErrors.PublicKeyInvalid, error ?? "`jwk` is only for private_key_jwt clients.");
            }
        }

        var now = time.GetUtcNow();
        var id = "cl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var (secret, hash) = method == ClientAuthMethod.ClientSecret ? NewSecret() : (null, null);
        var client = new OAuthClient(id, body.App, body.Environment, body.Description, method.Value, hash, now, actor.ToString());
        var kid = jwk is null ? null : Jwk.Thumbprint(jwk);
        var firstKey = jwk is null ? null : new ClientPublicKey(id, kid!, Jwk.Serialize(jwk), now, actor.ToString());
        await oauth.CreateClientAsync(client, firstKey, correlationId, ct);
        return ClientOutcome<CreatedClientView>.Ok(new CreatedClientView(ClientView.From(client, firstKey is null ? [] : [firstKey]), secret, kid));
    }

    public async Task<ClientOutcome<RotatedSecretView>> RotateSecretAsync(string id, int? overlapHours, Actor actor, string? correlationId, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return NotFound<RotatedSecretView>(id);
        }

        if (await ClientAccess.RefusalAsync(actor, client.App, store, ct, createsCredential: true) is { } refused)
        {
            return refused.As<RotatedSecretView>();
        }

        var hours = overlapHours ?? 24;
        if (hours is < 0 or > MaxOverlapHours)
        {
            return ClientOutcome<RotatedSecretView>.Refuse(400, OAuthErrors.SecretOverlapInvalid, $"`overlapHours` must be from 0 (the old secret stops now) to {MaxOverlapHours}.");
        }

        var (secret, hash) = NewSecret();
        var until = hours == 0 ? (DateTimeOffset?)null : time.GetUtcNow().AddHours(hours);
        if (!await oauth.RotateClientSecretAsync(id, hash, until, actor.ToString(), correlationId, ct))
        {
            return ClientOutcome<RotatedSecretView>.Refuse(409, OAuthErrors.SecretRotationUnavailable,
                $"Client `{id}` is {(client.IsActive ? "a private_key_jwt client: add a new key and remove the old one instead" : "revoked")}.");
        }

        return ClientOutcome<RotatedSecretView>.Ok(new RotatedSecretView(id, secret, until));
    }

    public async Task<ClientOutcome<ClientView>> RevokeAsync(string id, Actor actor, string? correlationId, CancellationToken ct)
    {
        if (await oauth.GetClientAsync(id, ct) is not { } client)
        {
            return NotFound<ClientView>(id);
        }

        if (await ClientAccess.RefusalAsync(actor, client.App, store, ct) is { } refused)
        {
            return refused.As<ClientView>();
        }

        if (!await oauth.RevokeClientAsync(id, actor.ToString(), correlationId, ct))
        {
            return ClientOutcome<ClientView>.Refuse(409, OAuthErrors.ClientAlreadyRevoked, $"Client `{id}` is already revoked.");
        }

        return ClientOutcome<ClientView>.Ok(ClientView.From((await oauth.GetClientAsync(id, ct))!));
    }

    /// <summary>A new client secret (ADR 0015 format) and the SHA-256 hex that is all the store keeps.</summary>
    internal static (string Secret, string Hash) NewSecret()
    {
        var secret = Core.Secrets.SecretFormat.New(Core.Secrets.SecretKind.ClientSecret);
        return (secret, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
    }

    internal static ClientOutcome<T> NotFound<T>(string id) => ClientOutcome<T>.Refuse(404, OAuthErrors.ClientNotFound,
        $"There is no OAuth client `{id}` that you may see (its app's owners, its creator and admins may).");
}

/// <summary>What a client command did, or its refusal: an HTTP status, a stable code and a message a person can act on.</summary>
internal sealed record ClientOutcome<T>(T? Value, int Status, string? Code, string? Message)
{
    public bool Succeeded => Code is null;

    public static ClientOutcome<T> Ok(T value) => new(value, 200, null, null);

    public static ClientOutcome<T> Refuse(int status, string code, string message) => new(default, status, code, message);

    public ClientOutcome<TOther> As<TOther>() => new(default, Status, Code, Message);

    public IResult ToProblem() => ApiProblems.Result(Status, Code!, Message!);
}
