using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;
using Gatehouse.Cli.Output;

namespace Gatehouse.Cli.Templates;

/// <summary>
/// <c>gatehouse report templates</c>: what the portal's Templates page shows, from the API (ADR
/// 0029): every template, its versions with app counts, the apps behind and their migration notes.
/// </summary>
internal static class ReportTemplatesCommand
{
    /// <summary>The <c>templates</c> subcommand of <c>gatehouse report</c>.</summary>
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "Output format: text, json or markdown", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "markdown");
        var server = new ServerCommandOptions();
        var command = new Command("templates", "Every template, its versions and how many apps are on each, which apps are behind and by how many versions, and the migration notes between their version and the latest.")
        {
            format,
        };
        server.AddTo(command);
        command.With("gatehouse report templates\ngatehouse report templates --format json | jq '.templates[].apps[] | select(.behind > 2)'\ngatehouse report templates --format markdown > templates.md");
        command.SetAction((parse, ct) => server.RunAsync(parse, context.Error, async client =>
        {
            var response = await client.GetAsync("templates", ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(context.Error, response);
            }

            var templates = response.Body!["templates"]!.AsArray();
            await context.Out.WriteAsync(parse.GetValue(format) switch
            {
                "json" => response.Body.ToJsonString(CliJson.Options) + "\n",
                "markdown" => Markdown(templates),
                _ => Text(templates),
            });
            return 0;
        }));
        return command;
    }

    private static string Text(JsonArray templates)
    {
        if (templates.Count == 0)
        {
            return "No template is published and no app has pushed a template record.\n";
        }

        var text = new StringBuilder();
        foreach (var t in templates.Select(t => t!))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Title(t)}\n  source {t["source"]}\n");
            var versions = new TextTable("VERSION", "APPS", "NOTE");
            foreach (var v in t["versions"]!.AsArray().Select(v => v!))
            {
                versions.Add(Version(t, v), v["apps"]!.ToString(), FirstLine(v["migrationNote"]?.ToString()));
            }

            text.Append(Indent(versions.ToString()));
            var apps = new TextTable("APP", "VERSION", "BEHIND", "NOTES TO READ");
            foreach (var a in t["apps"]!.AsArray().Select(a => a!))
            {
                apps.Add(a["app"]!.ToString(), a["version"]!.ToString(), Behind(a), string.Join(", ", a["notes"]!.AsArray().Select(n => n!["version"]!.ToString())));
            }

            if (apps.Count > 0)
            {
                text.Append('\n').Append(Indent(apps.ToString()));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Markdown(JsonArray templates)
    {
        var text = new StringBuilder("# Templates\n\n");
        if (templates.Count == 0)
        {
            return text.Append("No template is published and no app has pushed a template record.\n").ToString();
        }

        foreach (var t in templates.Select(t => t!))
        {
            text.Append(CultureInfo.InvariantCulture, $"## {MarkdownText.Cell(Title(t))}\n\nSource {MarkdownText.Code(t["source"]!.ToString())}\n\n");
            text.Append("| Version | Apps | Migration note |\n|---|---:|---|\n");
            foreach (var v in t["versions"]!.AsArray().Select(v => v!))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Cell(Version(t, v))} | {v["apps"]} | {MarkdownText.Cell(v["migrationNote"]?.ToString())} |\n");
            }

            var apps = t["apps"]!.AsArray().Select(a => a!).ToList();
            if (apps.Count > 0)
            {
                text.Append("\n| App | Version | Behind | Migration notes to the latest |\n|---|---|---|---|\n");
                foreach (var a in apps)
                {
                    var notes = string.Join("\n", a["notes"]!.AsArray().Select(n => $"{n!["version"]}: {n["note"]}"));
                    text.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Code(a["app"]!.ToString())} | {MarkdownText.Cell(a["version"]!.ToString())} | {MarkdownText.Cell(Behind(a))} | {MarkdownText.Cell(notes)} |\n");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Title(JsonNode t) =>
        $"{t["name"]}{(t["published"]!.GetValue<bool>() ? $" (latest {t["latest"]})" : " (not published)")}: {Apps(t["appCount"]!.GetValue<int>())}, {t["appsBehind"]} behind";

    private static string Apps(int count) => count == 1 ? "1 app" : string.Create(CultureInfo.InvariantCulture, $"{count} apps");

    private static string Version(JsonNode template, JsonNode version) =>
        version["version"]!.ToString() + (version["version"]!.ToString() == template["latest"]?.ToString() ? " (latest)" : string.Empty);

    private static string Behind(JsonNode app) => app["behind"] switch
    {
        null => "unknown",
        var n when n.GetValue<int>() == 0 => "up to date",
        var n => n.GetValue<int>() == 1 ? "1 version" : $"{n} versions",
    };

    private static string FirstLine(string? text) => text is null ? string.Empty : text.Trim().Split('\n')[0].Trim();

    private static string Indent(string table) => string.Concat(table.Split('\n').Select(l => l.Length == 0 ? string.Empty : "  " + l.TrimEnd() + "\n"));
}
