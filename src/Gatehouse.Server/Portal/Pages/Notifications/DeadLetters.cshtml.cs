using Gatehouse.Storage.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Portal.Pages.Notifications;

/// <summary>
/// Notification deliveries that ran out of attempts (ADR 0019), for admins only, as the API's
/// <c>GET /api/v1/notifications/dead-letters</c>: they name targets and subjects of every team.
/// An admin redelivers one here.
/// </summary>
internal sealed class DeadLettersModel(INotificationStore outbox) : PortalPageModel
{
    public const int Shown = 200;

    public DeliveryCounts Counts { get; private set; } = new(0, 0, 0);

    public IReadOnlyList<DeadLetter> Letters { get; private set; } = [];

    public bool Allowed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!Viewer.IsAdmin)
        {
            return await LoadAsync(ct);
        }

        if (await outbox.RedeliverAsync(id, ct))
        {
            return Done($"Delivery {id} is pending again: the worker sends it within a few seconds.", "/notifications");
        }

        Response.StatusCode = 404;
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        Allowed = Viewer.IsAdmin;
        if (!Allowed)
        {
            Response.StatusCode = 403;
            return Page();
        }

        Counts = await outbox.CountAsync(ct);
        Letters = await outbox.ListDeadLettersAsync(Shown, ct);
        return Page();
    }
}
