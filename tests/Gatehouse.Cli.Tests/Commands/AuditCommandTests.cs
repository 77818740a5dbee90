using System.Text.Json.Nodes;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Commands;

/// <summary><c>gatehouse audit</c>, <c>audit head</c> and <c>audit verify</c> against a real server on 127.0.0.1.</summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly Workspace _workspace = new();
    private TestServer _server = null!;
    private string _alice = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        Assert.Equal(0, Run(TestServer.BootstrapToken, "push", "gatehouse.org.yaml").ExitCode);
        _alice = await _server.TokenForAsync("alice"); // an admin of the workspace's organisation
        Assert.Equal(0, Run(_alice, "push", ".").ExitCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _workspace.Dispose();
    }

    private CliResult Run(string token, params string[] args) =>
        CliRunner.Run(_workspace.Path, [.. args, "--url", _server.Url.ToString(), "--token", token]);

    [Fact]
    public void Audit_lists_the_newest_events_first_and_says_how_to_see_older_ones()
    {
        var newest = Run(_alice, "audit", "--limit", "2");
        var all = Run(_alice, "audit", "--json", "--limit", "1000");
        var seqs = JsonNode.Parse(all.Out)!.AsArray().Select(e => e!["seq"]!.GetValue<long>()).ToList();
        var rows = newest.Out.Split('\n').Skip(1).Take(2).Select(line => long.Parse(line.Split(' ')[0])).ToList();

        Assert.Equal(0, newest.ExitCode);
        Assert.Equal(seqs.OrderDescending(), seqs);
        Assert.Equal(seqs.Take(2), rows);
        Assert.Contains($"The newest 2 events; older ones: gatehouse audit --before {rows[1]}", newest.Out);
        Assert.Equal(seqs.Skip(2).Take(1), [long.Parse(Run(_alice, "audit", "--before", rows[1].ToString(), "--limit", "1").Out.Split('\n')[1].Split(' ')[0])]);
    }

    [Fact]
    public void Audit_until_a_date_includes_that_whole_day_and_since_takes_a_span_back_from_now()
    {
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd");
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");

        var untilToday = Run(_alice, "audit", "--until", today);
        var untilYesterday = Run(_alice, "audit", "--until", yesterday);
        var lastHour = Run(_alice, "audit", "--since", "1h", "--action", "org.pushed");
        var future = Run(_alice, "audit", "--since", DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm"));

        Assert.Contains("org.pushed", untilToday.Out);
        Assert.Equal("No events.\n", untilYesterday.Out);
        Assert.Contains("org.pushed", lastHour.Out);
        Assert.Equal("No events.\n", future.Out);
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since: `yesterday` is not a time; use a date (2026-11-01), a date and time (2026-11-01T14:30, UTC unless it has an offset) or a span back from now (30m, 24h, 7d)")]
    [InlineData("--until", "2026-02-30", "--until: `2026-02-30` is not a time")]
    [InlineData("--limit", "0", "--limit must be from 1 to 1000, not 0")]
    public void Audit_with_a_value_it_cannot_use_is_a_usage_error_that_says_what_to_write(string option, string value, string message)
    {
        var result = Run(_alice, "audit", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"gatehouse: error: {message}", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void Audit_since_after_until_is_a_usage_error()
    {
        var result = Run(_alice, "audit", "--since", "2026-11-02", "--until", "2026-11-01");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since must be before --until", result.Error);
    }

    [Fact]
    public async Task Head_then_verify_with_the_checkpoint_passes_and_fails_naming_the_event_after_a_rechain_with_the_key()
    {
        var head = Run(_alice, "audit", "head");
        var file = _workspace.Write("audit-checkpoint.json", head.Out);
        Run(_alice, "token", "create", "--user", "carol");
        var grown = Run(_alice, "audit", "verify", "--checkpoint", file);

        await AuditTampering.ExecuteAsync(_server.DataDirectory, "UPDATE audit_events SET comment = 'looked fine' WHERE seq = 3");
        await AuditTampering.RechainWithTheAuditKeyAsync(_server.DataDirectory);
        var plain = Run(_alice, "audit", "verify");
        var anchored = Run(_alice, "audit", "verify", "--checkpoint", "audit-checkpoint.json");

        var checkpoint = JsonNode.Parse(head.Out)!;
        Assert.Equal(0, head.ExitCode);
        Assert.Contains($"Checkpoint of event {checkpoint["seq"]}", head.Error);
        Assert.Equal(0, grown.ExitCode);
        Assert.Matches($@"^OK: the audit chain of \d+ events verifies, and events 1 to {checkpoint["seq"]} are those the checkpoint of \S+ recorded\.\n$", grown.Out);
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(1, anchored.ExitCode);
        Assert.StartsWith("BROKEN: the audit chain breaks at event 3: event 3 differs from the checkpoint of", anchored.Out);
    }

    [Fact]
    public void Verify_with_an_edited_checkpoint_exits_1_with_its_code_and_with_no_file_exits_2()
    {
        var checkpoint = JsonNode.Parse(Run(_alice, "audit", "head").Out)!;
        checkpoint["seq"] = checkpoint["seq"]!.GetValue<long>() - 1;
        checkpoint["marks"]!.AsArray().RemoveAt(checkpoint["marks"]!.AsArray().Count - 1);
        _workspace.Write("edited.json", checkpoint.ToJsonString());
        _workspace.Write("broken.json", "{\"seq\": ");

        var edited = Run(_alice, "audit", "verify", "--checkpoint", "edited.json");
        var missing = Run(_alice, "audit", "verify", "--checkpoint", "nowhere.json");
        var broken = Run(_alice, "audit", "verify", "--checkpoint", "broken.json");

        Assert.Equal(1, edited.ExitCode);
        Assert.Contains("signature does not verify", edited.Error);
        Assert.Contains("[GH4142]", edited.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("gatehouse: error: cannot read the checkpoint nowhere.json", missing.Error);
        Assert.Equal(2, broken.ExitCode);
        Assert.StartsWith("gatehouse: error: broken.json:1: not JSON", broken.Error);
    }

    [Theory]
    [InlineData("audit", "gatehouse audit --since 24h")]
    [InlineData("audit head", "gatehouse audit head > audit-checkpoint-$(date +%F).json")]
    [InlineData("audit verify", "gatehouse audit verify --checkpoint /secure/audit-checkpoint.json")]
    public void Help_shows_the_audit_commands_with_examples(string command, string example)
    {
        var result = CliRunner.Run(Path.GetTempPath(), [.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(example, result.Out);
    }
}
