using System.Globalization;
using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Gatehouse.Server.Portal;

/// <summary>Small pieces of markup every page uses the same way; all text is HTML-encoded by TagBuilder.</summary>
internal static class PortalHtml
{
    public static IHtmlContent Badge(string text, string kind)
    {
        var tag = new TagBuilder("span");
        tag.AddCssClass("badge");
        tag.AddCssClass(kind);
        tag.InnerHtml.Append(text);
        return tag;
    }

    public static IHtmlContent State(AccessState state) => state switch
    {
        AccessState.NotRequested => Badge("not requested", "notrequested"),
        _ => Badge(state.ToString().ToLowerInvariant(), state.ToString().ToLowerInvariant()),
    };

    public static IHtmlContent State(RequestState state) => Badge(state.ToString().ToLowerInvariant(), state.ToString().ToLowerInvariant());

    public static IHtmlContent State(GrantState state) => state switch
    {
        GrantState.Active => Badge("granted", "granted"),
        GrantState.Expired => Badge("expired", "expired"),
        _ => Badge("revoked", "revoked"),
    };

    /// <summary>When a grant ends, for a table cell: a time, or "no end".</summary>
    public static IHtmlContent Ends(DateTimeOffset? expiresAt) => expiresAt is { } end ? Time(end) : new HtmlString("no end");

    public static string Approval(ApprovalMode mode) => mode switch
    {
        ApprovalMode.Auto => "automatic",
        ApprovalMode.TwoOwners => "two owners",
        _ => "one owner",
    };

    public static IHtmlContent Time(DateTimeOffset at)
    {
        var tag = new TagBuilder("time");
        tag.Attributes["datetime"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        tag.InnerHtml.Append(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        return tag;
    }

    /// <summary>"2 of 2 approvals (alice, bob)" for a two-owner request, "1 approval needed" otherwise.</summary>
    public static string Progress(AccessRequest request)
    {
        var approvers = request.Votes.Where(v => v.Approve).Select(v => v.Approver).Distinct().ToList();
        var needed = request.RequiredApproval == ApprovalMode.TwoOwners ? 2 : 1;
        return approvers.Count == 0
            ? $"{needed} owner approval{(needed == 1 ? string.Empty : "s")} needed"
            : $"{Math.Min(approvers.Count, needed)} of {needed} owner approval{(needed == 1 ? string.Empty : "s")} ({string.Join(", ", approvers)})";
    }

    /// <summary>"alice (created the deploy token), ivan (triggered the CI run)": the people who may not decide the request.</summary>
    public static string People(AccessRequest request) => string.Join(", ", request.People.Select(p => $"{p.Name} ({p.Role switch
    {
        PersonRole.TokenCreator => "created the deploy token",
        PersonRole.Trigger => "triggered the CI run",
        _ => "pushed it",
    }})"));

    public static string AppUrl(string app) => "/apps/" + Uri.EscapeDataString(app);

    public static string ScopeUrl(string app, string scope) => AppUrl(app) + "/scopes/" + Uri.EscapeDataString(scope);

    public static string RequestUrl(long id) => "/requests/" + id.ToString(CultureInfo.InvariantCulture);
}
