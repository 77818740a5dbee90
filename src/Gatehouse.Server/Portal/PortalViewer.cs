using Gatehouse.Core.Access;
using Gatehouse.Server.Identity;
using Gatehouse.Storage;

namespace Gatehouse.Server.Portal;

/// <summary>
/// The person looking at a page: their actor (what the store authorizes) and their
/// organisation entry (admin, teams), loaded once per request during authentication.
/// </summary>
internal sealed record PortalViewer(Actor Actor, UserInfo User)
{
    private const string ItemKey = "gatehouse:viewer";

    public string Name => User.Name;

    public bool IsAdmin => User.IsAdmin;

    public static void Remember(HttpContext context, UserInfo user) => context.Items[ItemKey] = user;

    /// <summary>The signed-in viewer, or null on anonymous pages (sign-in).</summary>
    public static PortalViewer? Of(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.Items[ItemKey] is UserInfo user
            ? new PortalViewer(context.User.ToActor(), user)
            : null;
}
