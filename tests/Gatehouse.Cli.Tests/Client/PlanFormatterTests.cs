using System.Text.Json.Nodes;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Tests.Client;

/// <summary>A plan as a pull-request comment: the table holds whatever a manifest's author wrote, and pings nobody.</summary>
public sealed class PlanFormatterTests
{
    private const string HostileReason = "Print names on invoices\n| app | injected |\r\ncc @payments-team and @alice, see #12 <img src=x onerror=alert(1)> `code` [link](http://evil)";

    private static JsonObject Plan(string description, string organisation = "gatehouse.org.yaml") => new()
    {
        ["organisation"] = organisation,
        ["changes"] = new JsonArray(new JsonObject
        {
            ["app"] = "billing",
            ["kind"] = "file-request",
            ["subject"] = "billing->customers:profile.read@production",
            ["description"] = description,
        }),
    };

    [Fact]
    public void Markdown_AMultiLineReasonWithPipes_StaysInOneRowOfFourCells()
    {
        var markdown = PlanFormatter.Format(Plan(HostileReason), "markdown", applied: false);

        var rows = markdown.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(3, rows.Count); // header, separator, the one change
        Assert.All(rows, row => Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(row, @"(?<!\\)\|")));
        Assert.Contains("Print names on invoices<br>\\| app \\| injected \\|<br>cc ", rows[2]);
    }

    [Fact]
    public void Markdown_MentionsAndIssueReferences_AreNeutralised()
    {
        var markdown = PlanFormatter.Format(Plan(HostileReason), "markdown", applied: false);

        // Outside code spans, where GitHub links mentions and issue numbers.
        var prose = System.Text.RegularExpressions.Regex.Replace(markdown, "(?<!\\\\)`[^`]*`", "");
        Assert.DoesNotMatch("@[A-Za-z0-9]", prose);
        Assert.DoesNotMatch("(?<!&)#[0-9]", prose);
        Assert.Contains("@&#8203;payments-team", markdown);
        Assert.Contains("@&#8203;alice", markdown);
        Assert.Contains("#&#8203;12", markdown);
    }

    [Fact]
    public void Markdown_HtmlAndMarkdownSyntaxInAReason_RenderAsText()
    {
        var markdown = PlanFormatter.Format(Plan(HostileReason), "markdown", applied: false);

        Assert.DoesNotContain("<img", markdown);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", markdown);
        Assert.Contains("\\`code\\`", markdown);
        Assert.Contains("\\[link\\](http://evil)", markdown);
    }

    [Fact]
    public void Markdown_TheSubjectIsCode_WithItsPipesEscapedForTheTable()
    {
        var plan = Plan("x");
        plan["changes"]![0]!["subject"] = "a|b`c";

        var markdown = PlanFormatter.Format(plan, "markdown", applied: false);

        Assert.Contains("| `a\\|b'c` |", markdown);
    }

    [Fact]
    public void Markdown_TheOrganisationLine_IsEscapedToo()
    {
        var markdown = PlanFormatter.Format(Plan("x", organisation: "org/@platform\nfile.yaml"), "markdown", applied: false);

        Assert.Contains("Organisation file: org/@&#8203;platform<br>file.yaml\n", markdown);
    }

    [Fact]
    public void Text_AMultiLineReason_StaysOnItsRow()
    {
        var text = PlanFormatter.Format(Plan("first line\nsecond line\r\nthird"), "text", applied: false);

        Assert.Equal(4, text.TrimEnd('\n').Split('\n').Length); // organisation, header, one row, summary
        Assert.Contains("first line second line third", text);
    }
}
