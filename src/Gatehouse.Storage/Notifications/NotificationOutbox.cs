namespace Gatehouse.Storage.Notifications;

/// <summary>
/// Which audit events are also notifications, and the outbox row each becomes. The row is
/// written by the audit writer at flush, in the transaction of the change (ADR 0019).
/// </summary>
internal static class NotificationOutbox
{
    public static readonly string[] Columns = ["id", "seq", "type", "subject", "actor", "app", "provider_app", "comment", "data", "occurred_at"];

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "request.filed", "request.voted", "request.approved", "request.denied", "grant.revoked", "scope.deprecated",
    };

    public static bool Reports(string action) => Actions.Contains(action);

    public static object?[] Row(long seq, long now, string actor, string action, string subject, string? app, string? providerApp, string? comment, string? data) =>
        [NewId("evt"), seq, action, subject, actor, app, providerApp, comment, data, now];

    /// <summary>A time-ordered, unguessable id (<c>evt_…</c>, <c>msg_…</c>).</summary>
    public static string NewId(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";
}
