using Gatehouse.Server.Reports;
using Gatehouse.Server.Usage;
using Gatehouse.Storage.Usage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.Server.Portal.Pages;

/// <summary>
/// The auditor's exports in the portal (ADR 0030): one download link per environment and format,
/// the same files as <c>GET /api/v1/reports/access</c>, under the same rule of who may read them.
/// </summary>
internal sealed class ReportsModel(PortalData data, IUsageStore usage, UsageOptions options, TimeProvider time) : PortalPageModel
{
    public IReadOnlyList<string> Environments { get; private set; } = [];

    public string? Covers { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ReportReader.ForAsync(Viewer.Actor, data.Store, ct) is not { } reader)
        {
            return Forbidden();
        }

        Covers = reader.Coverage;
        Environments = await data.EnvironmentsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(string env, string format, CancellationToken ct)
    {
        if (await ReportReader.ForAsync(Viewer.Actor, data.Store, ct) is not { } reader)
        {
            return Forbidden();
        }

        var kind = ReportWriter.Parse(format);
        if (!(await data.EnvironmentsAsync(ct)).Contains(env, StringComparer.Ordinal) || kind is not (ReportFormat.Csv or ReportFormat.Markdown))
        {
            return NotFound();
        }

        if (await AccessReport.BuildAsync(env, reader, data.Store, usage, options, time, ct) is not { } report)
        {
            return StatusCode(503);
        }

        var file = ReportEndpoints.AccessFile(report, kind.Value);
        Response.Headers[ReportEndpoints.HeadHeader] = report.Head.Value;
        return File(file.Body, file.ContentType, file.Name);
    }

    private PageResult Forbidden()
    {
        Response.StatusCode = 403;
        Covers = null;
        return Page();
    }
}
