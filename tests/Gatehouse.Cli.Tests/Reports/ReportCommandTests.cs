using System.Text.Json.Nodes;
using Gatehouse.Cli.Tests.Infrastructure;
using Gatehouse.Server.Tests.Reports;
using Gatehouse.Testing;

namespace Gatehouse.Cli.Tests.Reports;

/// <summary>
/// <c>gatehouse report access|history</c> and <c>audit verify --head</c> against a real server: the
/// formats as an auditor opens them, the head they state, and who is refused.
/// </summary>
public sealed class ReportCommandTests : IAsyncLifetime
{
    private SeededGatehouse _gatehouse = null!;

    public async Task InitializeAsync()
    {
        _gatehouse = await SeededGatehouse.StartAsync();
        Assert.Equal(0, _gatehouse.Run(_gatehouse.Carol, null, "approve", _gatehouse.FirstRequestOfCarol()).ExitCode);
    }

    public async Task DisposeAsync() => await _gatehouse.DisposeAsync();

    private CliResult Run(string token, params string[] args) => _gatehouse.Run(token, null, args);

    private static string HeadIn(CliResult result)
    {
        const string marker = "gatehouse audit verify --head ";
        var line = result.Error.Split('\n').Single(l => l.Contains(marker, StringComparison.Ordinal));
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
    }

    [Fact]
    public void The_csv_access_report_holds_the_grant_and_its_head_verifies()
    {
        // To a file: the test runner normalises line ends on standard output, and RFC 4180 wants CRLF.
        var report = Run(_gatehouse.Alice, "report", "access", "--env", "production", "--format", "csv", "-o", "access.csv");

        Assert.True(report.ExitCode == 0, report.Error);
        var records = Rfc4180.Parse(File.ReadAllText(Path.Combine(_gatehouse.Workspace.Path, "access.csv")));
        Assert.Equal("consumer", records[0][1]);
        var billing = records.Single(r => r[1] == "billing");
        Assert.Equal(("customers", "profile.read", "carol", "none"), (billing[2], billing[3], billing[7], billing[12]));
        var head = HeadIn(report);
        Assert.Equal(head, billing[13]);

        var verified = Run(_gatehouse.Carol, "audit", "verify", "--head", head);
        Assert.Equal(0, verified.ExitCode);
        Assert.StartsWith($"OK: the audit chain of ", verified.Out, StringComparison.Ordinal);
        Assert.Contains($"holds the head {head}", verified.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_the_log_does_not_hold_fails_verification_with_exit_1_and_a_bad_one_names_the_format()
    {
        var head = HeadIn(Run(_gatehouse.Alice, "report", "access", "--env", "production"));
        var forged = head[..(head.IndexOf(':', StringComparison.Ordinal) + 1)] + new string('0', 64);

        var broken = Run(_gatehouse.Alice, "audit", "verify", "--head", forged);
        var malformed = Run(_gatehouse.Alice, "audit", "verify", "--head", "latest");

        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("BROKEN (GH4206): ", broken.Out, StringComparison.Ordinal);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("[GH4205]", malformed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_report_goes_to_the_file_named_and_states_its_head()
    {
        var report = Run(_gatehouse.Alice, "report", "access", "--env", "production", "--format", "markdown", "--output", "access.md");

        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Empty(report.Out);
        var text = File.ReadAllText(Path.Combine(_gatehouse.Workspace.Path, "access.md"));
        Assert.StartsWith("# Access report: production\n", text, StringComparison.Ordinal);
        Assert.Contains($"- Audit head: `{HeadIn(report)}`", text, StringComparison.Ordinal);
        Assert.Contains("| billing | customers | profile.read | production |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_history_report_lists_the_approval_of_the_period_as_json()
    {
        var report = Run(_gatehouse.Alice, "report", "history", "--since", "1d");

        Assert.True(report.ExitCode == 0, report.Error);
        var json = JsonNode.Parse(report.Out)!;
        Assert.Equal("history", json["report"]!.GetValue<string>());
        Assert.Contains(json["rows"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "request.approved" && r["actor"]!.GetValue<string>() == "user:carol");
        Assert.Equal(HeadIn(report), json["auditHead"]!.GetValue<string>());
    }

    [Fact]
    public void A_period_that_is_not_a_time_is_a_usage_error_naming_the_option()
    {
        var report = Run(_gatehouse.Alice, "report", "history", "--since", "last-quarter");

        Assert.Equal(2, report.ExitCode);
        Assert.Contains("--since: `last-quarter` is not a time", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deploy_token_may_not_export_and_is_told_so_with_the_code()
    {
        using var alice = _gatehouse.Server.Client(_gatehouse.Alice);
        var deploy = await LoopbackGatehouse.CreateTokenAsync(alice, "deploy", "billing");

        var report = Run(deploy, "report", "access", "--env", "production");

        Assert.Equal(1, report.ExitCode);
        Assert.Contains("[GH4201]", report.Error, StringComparison.Ordinal);
        Assert.Empty(report.Out);
    }
}
