using System.CommandLine;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse init</c>: writes a starter gatehouse.yaml that validates.</summary>
internal static class InitCommand
{
    public const string Examples = """
        gatehouse init                                    # asks for the app name and owners
        gatehouse init --app billing --owner team:payments --owner user:alice
        gatehouse init --dir services/billing --app billing --owner team:payments --description "Invoices and payments"
        """;

    public static Command Create(CliContext context)
    {
        var app = new Option<string?>("--app") { Description = "The app's name, e.g. billing", HelpName = "NAME" };
        var owners = new Option<string[]>("--owner")
        {
            Description = "Who approves access to the app's scopes: team:NAME or user:NAME (repeat for several)",
            HelpName = "OWNER",
        };
        var description = new Option<string?>("--description") { Description = "One line on what the app does", HelpName = "TEXT" };
        var directory = new Option<string?>("--dir") { Description = "Where to write gatehouse.yaml [default: .]", HelpName = "DIR" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing gatehouse.yaml" };

        var command = new Command("init", "Write a starter gatehouse.yaml. Asks for missing values when run in a terminal; otherwise --app and --owner are required.")
        {
            app,
            owners,
            description,
            directory,
            force,
        };
        command.SetAction(parseResult => Run(context, new InitRequest(
            parseResult.GetValue(app),
            SplitOwners(parseResult.GetValue(owners)),
            parseResult.GetValue(description),
            parseResult.GetValue(directory),
            parseResult.GetValue(force))));
        return command;
    }

    private static int Run(CliContext context, InitRequest request)
    {
        var directory = Path.GetFullPath(request.Directory ?? ".", context.WorkingDirectory);
        var target = Path.Combine(directory, AppManifest.FileName);
        var display = Path.GetRelativePath(context.WorkingDirectory, target);
        if (File.Exists(target) && !request.Force)
        {
            return context.Fail(ExitCodes.Failed, $"{display} already exists; use --force to overwrite it");
        }

        var complete = context.IsInteractive ? InitPrompts.AskForMissing(context, request, directory) : request;
        if (complete is null)
        {
            return context.Fail(ExitCodes.Usage, "input ended before the manifest was complete");
        }

        var missing = Missing(complete);
        if (missing.Count > 0)
        {
            return context.Fail(ExitCodes.Usage,
                $"missing {string.Join(" and ", missing)}; init cannot ask because input is not a terminal");
        }

        var text = ManifestTemplate.Render(complete.App!, complete.Owners, complete.Description);
        var check = ManifestReader.ReadManifest(display, System.Text.Encoding.UTF8.GetBytes(text));
        if (check.HasErrors)
        {
            foreach (var diagnostic in check.Diagnostics)
            {
                context.Error.WriteLine($"gatehouse: error: {diagnostic.Message} [{diagnostic.Code}]");
            }

            return ExitCodes.Usage;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(target, text);
        context.Out.WriteLine($"Wrote {display}. Next: declare the scopes {complete.App} offers and the access it needs, then run 'gatehouse validate'.");
        return ExitCodes.Ok;
    }

    private static List<string> Missing(InitRequest request)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(request.App))
        {
            missing.Add("--app");
        }

        if (request.Owners.Count == 0)
        {
            missing.Add("--owner");
        }

        return missing;
    }

    // '--owner team:a,user:b' reads as two owners, like '--owner team:a --owner user:b'.
    internal static List<string> SplitOwners(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}

/// <summary>What init was told, by flags or answers.</summary>
internal sealed record InitRequest(string? App, IReadOnlyList<string> Owners, string? Description, string? Directory, bool Force);
