using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Output;

namespace Gatehouse.Cli.Client;

/// <summary>Renders a plan or push result as text, a Markdown pull-request comment, or JSON.</summary>
internal static class PlanFormatter
{
    public static string Format(JsonObject result, string format, bool applied)
    {
        if (format == "json")
        {
            return result.ToJsonString(CliJson.Options) + "\n";
        }

        var changes = result["changes"]?.AsArray() ?? [];
        var organisation = result["organisation"]?.GetValue<string>();
        var text = new StringBuilder();
        if (format == "markdown")
        {
            text.Append(applied ? "### Gatehouse push\n\n" : "### Gatehouse plan\n\n");
            if (organisation is not null)
            {
                text.Append($"Organisation file: {MarkdownText.Cell(organisation)}\n\n");
            }

            text.Append(OffboardingFormatter.Format(result["offboarding"], markdown: true));

            if (changes.Count == 0)
            {
                return text.Append("No changes: the server already matches these manifests.\n").ToString();
            }

            text.Append("| App | Change | Subject | Details |\n|---|---|---|---|\n");
            foreach (var c in changes)
            {
                text.Append($"| {MarkdownText.Cell(Value(c, "app"))} | {MarkdownText.Cell(Value(c, "kind"))} | {MarkdownText.Code(Value(c, "subject"))} | {MarkdownText.Cell(Value(c, "description"))} |\n");
            }

            text.Append(Omitted(result, markdown: true, applied));
            return text.Append($"\n{Total(result, changes)} change(s){(applied ? " applied" : "; nothing has been changed yet")}.\n").ToString();
        }

        if (organisation is not null)
        {
            text.Append($"organisation file: {organisation}\n");
        }

        text.Append(OffboardingFormatter.Format(result["offboarding"], markdown: false));

        if (changes.Count == 0)
        {
            return text.Append("No changes.\n").ToString();
        }

        var table = new TextTable("APP", "CHANGE", "SUBJECT", "DETAILS");
        foreach (var c in changes)
        {
            table.Add(Value(c, "app"), Value(c, "kind"), Value(c, "subject"), Value(c, "description"));
        }

        return text.Append(table).Append(Omitted(result, markdown: false, applied))
            .Append($"{Total(result, changes)} change(s){(applied ? " applied" : " planned; run `gatehouse push` to apply")}.\n").ToString();
    }

    /// <summary>Every change, from the server's summary (ADR 0038); a server without one lists them all.</summary>
    private static int Total(JsonObject result, JsonArray changes) => result["summary"]?["total"]?.GetValue<int>() ?? changes.Count;

    /// <summary>When the answer lists only the first changes: how many were left out, and every change counted per kind.</summary>
    private static string Omitted(JsonObject result, bool markdown, bool applied)
    {
        var summary = result["summary"] as JsonObject;
        var omitted = summary?["omitted"]?.GetValue<int>() ?? 0;
        if (summary is null || omitted == 0)
        {
            return string.Empty;
        }

        var counts = (summary["counts"] as JsonObject ?? []).Select(c => $"{c.Key} {c.Value!.GetValue<int>().ToString("N0", CultureInfo.InvariantCulture)}");
        var where = applied ? "every change is in the audit log (`gatehouse audit`)" : "--changes N lists more";
        var line = string.Create(CultureInfo.InvariantCulture, $"… and {omitted:N0} more change(s) not listed ({where}). Per kind: {string.Join(", ", counts)}.\n");
        return markdown ? "\n" + line : line;
    }

    private static string Value(JsonNode? node, string name) => node?[name]?.ToString() ?? string.Empty;
}
