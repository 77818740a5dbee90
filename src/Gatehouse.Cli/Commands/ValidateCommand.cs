using System.CommandLine;
using Gatehouse.Cli.Output;
using Gatehouse.Core.Workspaces;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse validate [PATH...]</c>: checks manifests offline, one line per finding.</summary>
internal static class ValidateCommand
{
    public const string Examples = """
        gatehouse validate                         # every gatehouse.yaml under the current folder
        gatehouse validate services/billing        # one app's folder
        gatehouse validate . --format github       # annotations on the pull request in GitHub Actions
        gatehouse validate --format json > report.json
        gatehouse validate --format sarif > gatehouse.sarif   # for code scanning
        """;

    public static Command Create(CliContext context)
    {
        var paths = PathArgument.Create();
        var format = new Option<string>("--format")
        {
            Description = "Output: text (FILE:LINE:COLUMN: error: ...), json, github (workflow annotations) or sarif (SARIF 2.1.0, for code scanning)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "github", "sarif");

        var command = new Command("validate", "Check manifests and the organisation file offline: YAML, names, required fields, and needs against the scopes other apps declare. Exits 1 when there are errors.")
        {
            paths,
            format,
        };
        command.SetAction(parseResult => Run(context, parseResult.GetValue(paths) ?? [], parseResult.GetValue(format)));
        return command;
    }

    /// <summary>Validates and prints; the parsed command and <see cref="ValidateFastPath"/> both end here.</summary>
    internal static int Run(CliContext context, string[] paths, string? format)
    {
        if (PathArgument.Problem(context, paths) is { } problem)
        {
            return context.Fail(ExitCodes.Usage, problem);
        }

        var workspace = ManifestWorkspace.Load(paths, context.WorkingDirectory);
        var chosen = format switch
        {
            "json" => DiagnosticFormat.Json,
            "github" => DiagnosticFormat.GitHub,
            "sarif" => DiagnosticFormat.Sarif,
            _ => DiagnosticFormat.Text,
        };
        DiagnosticWriter.Write(workspace, chosen, context.Out);
        return workspace.HasErrors ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
