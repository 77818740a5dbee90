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

            return text.Append($"\n{changes.Count} change(s){(applied ? " applied" : "; nothing has been changed yet")}.\n").ToString();
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

        return text.Append(table).Append($"{changes.Count} change(s){(applied ? " applied" : " planned; run `gatehouse push` to apply")}.\n").ToString();
    }

    private static string Value(JsonNode? node, string name) => node?[name]?.ToString() ?? string.Empty;
}
