using Gatehouse.Core.Access;
using Gatehouse.Storage;

namespace Gatehouse.Server.Reports;

/// <summary>One change in a period, from the audit log.</summary>
internal sealed record HistoryReportRow(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string? App, string? Provider, string? Comment);

/// <summary>The changes in [since, until) the reader may see, and the head they were read at.</summary>
internal sealed record HistoryReport(DateTimeOffset Since, DateTimeOffset Until, DateTimeOffset GeneratedAt, string GeneratedBy, string Covers, AuditHead Head, IReadOnlyList<HistoryReportRow> Rows)
{
    public const int MaxEvents = 100_000;

    /// <summary>The report, or null when the period holds more than <see cref="MaxEvents"/> events.</summary>
    public static async Task<HistoryReport?> BuildAsync(DateTimeOffset since, DateTimeOffset until, ReportReader reader, IGatehouseStore store, TimeProvider time, CancellationToken ct)
    {
        // Events are append-only: reading up to the head read first gives that head's history.
        var head = await AuditHead.ReadAsync(store, ct);
        var rows = new List<HistoryReportRow>();
        long after = 0;
        while (true)
        {
            var page = await store.ReadAuditAsync(new AuditQuery(Since: since, Until: until, AfterSeq: after, Limit: 5000), ct);
            foreach (var e in page.Where(e => e.Seq <= head.Seq))
            {
                if (reader.MaySee(e.App, e.ProviderApp))
                {
                    rows.Add(new HistoryReportRow(e.Seq, e.At, e.Actor, e.Action, e.Subject, e.App, e.ProviderApp, e.Comment));
                }
            }

            if (rows.Count > MaxEvents)
            {
                return null;
            }

            if (page.Count < 5000 || page[^1].Seq >= head.Seq)
            {
                break;
            }

            after = page[^1].Seq;
        }

        return new HistoryReport(since, until, time.GetUtcNow(), reader.Name, reader.Coverage, head, rows);
    }
}
