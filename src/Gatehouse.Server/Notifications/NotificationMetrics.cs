using System.Diagnostics.Metrics;

namespace Gatehouse.Server.Notifications;

/// <summary>
/// <c>gatehouse.notifications.deliveries</c>, tagged <c>outcome</c> = delivered, failed (will be
/// retried) or dead, on the meter <c>Gatehouse.Notifications</c> (exported with every Gatehouse meter).
/// </summary>
internal sealed class NotificationMetrics : IDisposable
{
    public const string MeterName = "Gatehouse.Notifications";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _deliveries;

    public NotificationMetrics() =>
        _deliveries = _meter.CreateCounter<long>("gatehouse.notifications.deliveries", unit: "{delivery}", description: "Notification delivery attempts by outcome.");

    public void Delivered(string kind) => Record("delivered", kind);

    public void Failed(string kind) => Record("failed", kind);

    public void Dead(string kind) => Record("dead", kind);

    public void Dispose() => _meter.Dispose();

    private void Record(string outcome, string kind) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("kind", kind));
}
