using System.Diagnostics;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Spans around the embedded store's work (ADR 0028): one per borrowed connection, a read or a
/// write transaction, as <c>Gatehouse.Storage</c>. PostgreSQL has Npgsql's own spans per command.
/// Without a listener (no OTLP endpoint configured) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and costs one check.
/// </summary>
internal static class StoreTelemetry
{
    public static readonly ActivitySource Source = new("Gatehouse.Storage");

    public static Activity? Start(string engine, string operation)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(engine + " " + operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", engine);
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }
}
