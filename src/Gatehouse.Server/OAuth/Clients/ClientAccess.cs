using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Storage;

namespace Gatehouse.Server.OAuth.Clients;

/// <summary>
/// Who may create, revoke and add keys to the clients of an app: an admin, an owner of the
/// app, or the app's own deploy token. The bootstrap token may revoke a client or remove a key,
/// but creates no credential (no client, no key): it only sets up the first admins.
/// </summary>
internal static class ClientAccess
{
    /// <param name="createsCredential">True when the call creates a client or registers a key.</param>
    public static async Task<IResult?> RefuseUnlessManagerAsync(Actor actor, string app, IGatehouseStore store, CancellationToken ct, bool createsCredential = false) =>
        (await RefusalAsync(actor, app, store, ct, createsCredential))?.ToProblem();

    /// <summary>Null when <paramref name="actor"/> may manage the clients of <paramref name="app"/>; otherwise why not.</summary>
    public static async Task<ClientOutcome<object>?> RefusalAsync(Actor actor, string app, IGatehouseStore store, CancellationToken ct, bool createsCredential = false)
    {
        var details = await store.GetAppAsync(app, ct);
        if (details is null)
        {
            return ClientOutcome<object>.Refuse(404, OAuthErrors.AppNotFound, $"There is no app `{app}`: push its gatehouse.yaml first.");
        }

        if (createsCredential && actor.Kind == ActorKind.Bootstrap)
        {
            return ClientOutcome<object>.Refuse(403, StoreErrors.BootstrapRestricted,
                $"The bootstrap token creates no OAuth clients or keys: an owner of `{app}` or an admin does it with their personal token.");
        }

        var allowed = actor.Kind switch
        {
            ActorKind.Bootstrap => true,
            ActorKind.App => actor.Name == app,
            ActorKind.User => details.OwnerUsers.Contains(actor.Name, StringComparer.Ordinal)
                || (await store.GetUserAsync(actor.Name, ct))?.IsAdmin == true,
            _ => false,
        };
        return allowed
            ? null
            : ClientOutcome<object>.Refuse(403, OAuthErrors.ClientManagementForbidden,
                $"Only an owner of `{app}` ({string.Join(", ", details.OwnerUsers)}), an admin, or the deploy token of `{app}` can manage its OAuth clients.");
    }
}
