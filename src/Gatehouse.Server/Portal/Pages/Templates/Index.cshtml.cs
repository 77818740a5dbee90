using System.Globalization;
using Gatehouse.Core.Templates;
using Gatehouse.Server.Templates;
using Gatehouse.Storage.Templates;
using Microsoft.AspNetCore.Html;

namespace Gatehouse.Server.Portal.Pages.Templates;

/// <summary>Every template with its versions and app counts, the apps behind and the migration notes ahead of them (ADR 0029).</summary>
internal sealed class TemplatesModel(ITemplateStore templates) : PortalPageModel
{
    public IReadOnlyList<TemplateFleetEntry> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Templates = (await TemplateEndpoints.FleetAsync(templates, ct)).Templates;

    public static string Apps(int count) => count == 1 ? "1 app" : string.Create(CultureInfo.InvariantCulture, $"{count} apps");

    public static IHtmlContent NotPublished(bool show) => show ? PortalHtml.Badge("not published", "none") : HtmlString.Empty;

    public static IHtmlContent VersionBadge(TemplateFleetEntry template, TemplateVersionUse version) =>
        version.Version == template.Latest ? PortalHtml.Badge("latest", "ok")
        : template.Published && !version.Published ? PortalHtml.Badge("not published", "none")
        : HtmlString.Empty;

    public static IHtmlContent Behind(TemplateAppStatus app) => app.Behind switch
    {
        null => new HtmlString("<span class=\"muted\">unknown</span>"),
        0 => PortalHtml.Badge("up to date", "ok"),
        1 => PortalHtml.Badge("1 version behind", "pending"),
        var n => PortalHtml.Badge(string.Create(CultureInfo.InvariantCulture, $"{n} versions behind"), "pending"),
    };

    /// <summary>An element id for a template: its name with anything but letters, digits, '-' and '_' made '-'.</summary>
    public static string Anchor(TemplateFleetEntry template) =>
        "template-" + string.Concat(template.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
