using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Storage;

namespace Gatehouse.Server.OAuth.Clients;

/// <summary>
/// Who may create, revoke and add keys to the clients of an app: an admin (or the bootstrap
/// token), an owner of the app, or the app's own deploy token.
/// </summary>
internal static class ClientAccess
{
    public static async Task<IResult?> RefuseUnlessManagerAsync(Actor actor, string app, IGatehouseStore store, CancellationToken ct)
    {
        var details = await store.GetAppAsync(app, ct);
        if (details is null)
        {
            return ApiProblems.Result(404, OAuthErrors.AppNotFound, $"There is no app `{app}`: push its gatehouse.yaml first.");
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
            : ApiProblems.Result(403, OAuthErrors.ClientManagementForbidden,
                $"Only an owner of `{app}` ({string.Join(", ", details.OwnerUsers)}), an admin, or the deploy token of `{app}` can manage its OAuth clients.");
    }
}
