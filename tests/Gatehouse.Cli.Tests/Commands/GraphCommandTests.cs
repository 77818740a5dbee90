namespace Gatehouse.Cli.Tests.Commands;

public sealed class GraphCommandTests
{
    [Fact]
    public void Graph_Default_PrintsAReadableTable()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "graph");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            CONSUMER  NEEDS                   ENVIRONMENTS  REASON
            billing   customers:profile.read  production    Print names on invoices

            2 apps, 1 consumer, 1 needed scope

            """,
            result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Graph_ForAnotherEnvironment_LeavesOutNeedsThatDoNotApply()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "graph", "--env", "staging");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2 apps; none needs access to another app in staging.\n", result.Out);
    }

    [Fact]
    public void Graph_Mermaid_PrintsAFlowchart()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "graph", "--format", "mermaid");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            flowchart LR
              app_billing["billing"]
              app_customers["customers"]
              app_billing -->|"profile.read"| app_customers

            """,
            result.Out);
    }

    [Fact]
    public void Graph_Dot_PrintsADigraph()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "graph", "services", "--format", "dot");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("digraph gatehouse {\n", result.Out);
        Assert.Contains("  \"billing\" -> \"customers\" [label=\"profile.read\"];\n", result.Out);
        Assert.EndsWith("}\n", result.Out);
    }

    [Fact]
    public void Graph_WithErrors_PrintsThemToStderrAndNoGraph_Exits1()
    {
        using var workspace = new Workspace();
        workspace.Write("services/billing/gatehouse.yaml", Workspace.Billing.Replace("reason: Print names on invoices", "reason: \"\""));

        var result = CliRunner.Run(workspace.Path, "graph", "--format", "mermaid");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("gatehouse.yaml:7:13: error: reason is blank", result.Error);
        Assert.Contains("3 files, 1 error, 0 warnings", result.Error);
    }

    [Fact]
    public void Graph_UnknownEnvironment_IsAUsageError_Exits2()
    {
        using var workspace = new Workspace();

        var result = CliRunner.Run(workspace.Path, "graph", "--env", "prod");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gatehouse: error: environment 'prod' is not defined by the organisation file (it defines: staging, production)\n", result.Error);
    }
}
