using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Cli.Output;

/// <summary>One needed access as the server answered it, with where the manifest asks for it.</summary>
internal sealed record CheckedAccess(string Consumer, string Provider, string Scope, string State, long? RequestId, IReadOnlyList<string> Approvers, SourceLocation? At)
{
    /// <summary>When the grant ends or ended (ADR 0023); null for a grant without an end.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The environment policy that blocks the grant now (ADR 0031), in words; null when none does.</summary>
    public string? Policy { get; init; }

    public bool Granted => State == "granted";

    public string Name => $"{Consumer} -> {Provider}:{Scope}";

    public static CheckedAccess From(JsonNode result, Func<string, string, string, SourceLocation?> locate)
    {
        var (consumer, provider, scope) = (result["consumer"]!.GetValue<string>(), result["provider"]!.GetValue<string>(), result["scope"]!.GetValue<string>());
        return new CheckedAccess(consumer, provider, scope, result["state"]!.GetValue<string>(), result["requestId"]?.GetValue<long>(),
            [.. result["approvers"]!.AsArray().Select(a => a!.GetValue<string>())], locate(consumer, provider, scope))
        {
            ExpiresAt = result["expiresAt"] is { } end ? DateTimeOffset.Parse(end.GetValue<string>(), CultureInfo.InvariantCulture) : null,
            Policy = result["policy"]?.GetValue<string>(),
        };
    }
}

/// <summary>
/// <c>gatehouse check</c>'s answer in the forms CI systems read: text, GitHub workflow annotations on
/// the manifest line of each missing access, a JUnit report (one test case per needed access), a
/// Markdown summary for a pull-request comment or job summary.
/// </summary>
internal sealed class CheckReport(Uri server, string environment, IReadOnlyList<CheckedAccess> results)
{
    private IEnumerable<CheckedAccess> Missing => results.Where(r => !r.Granted);

    private string Summary => Missing.Count() is var n && n == 0
        ? $"OK: all {results.Count} needed access(es) are granted in {environment}."
        : $"{n} of {results.Count} needed access(es) are not granted in {environment}.";

    public string Text()
    {
        var text = new StringBuilder();
        foreach (var r in results.Where(r => r.Granted && r.ExpiresAt is not null))
        {
            // Said on every run, so a grant's end is seen in CI before it breaks a deploy.
            text.Append(CultureInfo.InvariantCulture, $"ENDS {r.Name} in {environment}: granted until {When(r.ExpiresAt)}; renew it before then (`gatehouse push` asks again in the last {GrantLifetimeDays} days)\n");
        }

        foreach (var r in Missing)
        {
            text.Append(CultureInfo.InvariantCulture, $"MISSING {r.Name} in {environment}: {r.State}{Where(r, " ({0})")}; {Hint(r)}\n");
        }

        return text.Append(Summary).Append('\n').ToString();
    }

    // https://docs.github.com/actions/reference/workflow-commands-for-github-actions#setting-an-error-message
    public string GitHub()
    {
        var text = new StringBuilder();
        foreach (var r in Missing)
        {
            var position = r.At is { Line: > 0 } at ? DiagnosticWriter.AnnotationPosition(at) : string.Empty;
            var file = r.At is { } location ? $" file={DiagnosticWriter.AnnotationProperty(location.File)}{position}," : " ";
            text.Append(CultureInfo.InvariantCulture,
                $"::error{file}title={DiagnosticWriter.AnnotationProperty($"{r.Name} not granted in {environment}")}::{DiagnosticWriter.AnnotationData($"{r.State}{Where(r, " ({0})")}; {Hint(r)}")}\n");
        }

        return text.Append(Summary).Append('\n').ToString();
    }

    /// <summary>JUnit XML as Jenkins, GitLab and the test-report actions read it: a failed case per access not granted.</summary>
    public string JUnit()
    {
        var output = new StringBuilder();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            var failures = Missing.Count().ToString(CultureInfo.InvariantCulture);
            var tests = results.Count.ToString(CultureInfo.InvariantCulture);
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "gatehouse check");
            xml.WriteAttributeString("tests", tests);
            xml.WriteAttributeString("failures", failures);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", $"access in {environment}");
            xml.WriteAttributeString("tests", tests);
            xml.WriteAttributeString("failures", failures);
            xml.WriteAttributeString("errors", "0");
            foreach (var r in results)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", r.Consumer);
                xml.WriteAttributeString("name", $"{r.Provider}:{r.Scope} in {environment}");
                if (r.At is { } at)
                {
                    xml.WriteAttributeString("file", at.File);
                    if (at.Line > 0)
                    {
                        xml.WriteAttributeString("line", at.Line.ToString(CultureInfo.InvariantCulture));
                    }
                }

                if (!r.Granted)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("type", r.State);
                    xml.WriteAttributeString("message", $"{r.State}: {Hint(r)}");
                    xml.WriteString($"{r.Name} in {environment}: {r.State}{Where(r, " ({0})")}; {Hint(r)}");
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return output.Append('\n').ToString();
    }

    /// <summary>A summary for a pull-request comment or <c>$GITHUB_STEP_SUMMARY</c>; manifest text is escaped (<see cref="MarkdownText"/>).</summary>
    public string Markdown()
    {
        var text = new StringBuilder();
        var missing = Missing.ToList();
        text.Append(missing.Count == 0 ? "### ✅ Gatehouse: access granted\n\n" : "### ❌ Gatehouse: access missing\n\n");
        text.Append(MarkdownText.Cell(Summary)).Append("\n\n");
        if (results.Count == 0)
        {
            return text.ToString();
        }

        text.Append("| Consumer | Needs | State | Who can approve |\n|---|---|---|---|\n");
        foreach (var r in results.OrderBy(r => r.Granted))
        {
            var state = r.RequestId is { } id ? $"[{r.State}]({new Uri(server, $"requests/{id}")})" : r.State;
            text.Append(CultureInfo.InvariantCulture,
                $"| {MarkdownText.Cell(r.Consumer)} | `{MarkdownText.Cell($"{r.Provider}:{r.Scope}")}` | {(r.Granted ? "granted" : state)} | {(r.Granted ? "" : MarkdownText.Cell(string.Join(", ", r.Approvers)))} |\n");
        }

        return text.ToString();
    }

    private string Where(CheckedAccess r, string format) =>
        r.RequestId is { } id ? string.Format(CultureInfo.InvariantCulture, format, new Uri(server, $"requests/{id}")) : string.Empty;

    private static string Hint(CheckedAccess r) => r.Policy is { } policy ? $"{StateHint(r)}; blocked by policy: {policy}" : StateHint(r);

    private static string StateHint(CheckedAccess r)
    {
        var approvers = string.Join(", ", r.Approvers);
        return r.State switch
        {
            "not-requested" => "run `gatehouse push` to request it",
            "pending" when r.ExpiresAt is { } ended => $"the grant expired at {When(ended)}; its renewal is waiting for approval by {approvers}",
            "pending" => $"waiting for approval by {approvers}",
            "expired" => $"the grant expired at {When(r.ExpiresAt)}; to renew it run `gatehouse push` (it files a renewal request) and ask {approvers} to approve it",
            "denied" => $"denied; change the reason in the manifest to ask again, or talk to {approvers}",
            "revoked" => $"revoked; talk to {approvers}",
            _ => string.Empty,
        };
    }

    private static readonly int GrantLifetimeDays = (int)Core.Access.GrantLifetime.RenewalWindow.TotalDays;

    private static string When(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";
}
