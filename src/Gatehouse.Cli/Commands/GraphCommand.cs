using System.CommandLine;
using Gatehouse.Cli.Output;
using Gatehouse.Core.Graph;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse graph [PATH...]</c>: who needs what, as a table, Mermaid or Graphviz dot.</summary>
internal static class GraphCommand
{
    public const string Examples = """
        gatehouse graph                                   # a table of every needed scope
        gatehouse graph --env production                  # only what applies in production
        gatehouse graph --format mermaid > access.mmd     # paste into a Markdown file
        gatehouse graph --format dot | dot -Tsvg > access.svg
        """;

    public static Command Create(CliContext context)
    {
        var paths = PathArgument.Create();
        var environment = new Option<string?>("--env")
        {
            Description = "Only needs that apply in this environment",
            HelpName = "ENVIRONMENT",
        };
        var format = new Option<string>("--format")
        {
            Description = "Output: text (a table), mermaid, or dot (Graphviz)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "mermaid", "dot");

        var command = new Command("graph", "Show who needs what: each app's needs of other apps' scopes. Validates first; findings go to stderr, the graph to stdout.")
        {
            paths,
            environment,
            format,
        };
        command.SetAction(parseResult =>
            Run(context, parseResult.GetValue(paths) ?? [], parseResult.GetValue(environment), parseResult.GetValue(format)));
        return command;
    }

    private static int Run(CliContext context, string[] paths, string? environment, string? format)
    {
        if (PathArgument.Problem(context, paths) is { } problem)
        {
            return context.Fail(ExitCodes.Usage, problem);
        }

        var workspace = ManifestWorkspace.Load(paths, context.WorkingDirectory);
        if (workspace.Diagnostics.Count > 0)
        {
            // The graph may be piped into a file: findings must not end up in it.
            DiagnosticWriter.Write(workspace, DiagnosticFormat.Text, context.Error);
        }

        if (workspace.HasErrors)
        {
            return ExitCodes.Failed;
        }

        if (environment is not null && workspace.Organisation is { } organisation
            && !organisation.Environments.Any(e => e.Name == environment))
        {
            var defined = string.Join(", ", organisation.Environments.Select(e => e.Name));
            return context.Fail(ExitCodes.Usage, $"environment '{environment}' is not defined by the organisation file (it defines: {defined})");
        }

        var graph = AccessGraph.Build(workspace.Manifests, environment);
        context.Out.Write(format switch
        {
            "mermaid" => AccessGraphMermaid.Render(graph),
            "dot" => AccessGraphDot.Render(graph),
            _ => AccessGraphText.Render(graph),
        });
        return ExitCodes.Ok;
    }
}
