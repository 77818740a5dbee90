using Gatehouse.Core.Naming;

namespace Gatehouse.Cli.Commands;

/// <summary>Asks, in a terminal, for what init was not given on the command line.</summary>
internal static class InitPrompts
{
    /// <summary>The request with every missing value answered, or null when input ended.</summary>
    public static InitRequest? AskForMissing(CliContext context, InitRequest request, string directory)
    {
        var app = request.App;
        if (string.IsNullOrWhiteSpace(app))
        {
            var suggestion = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)).ToLowerInvariant();
            app = Ask(context, NameRules.IsAppName(suggestion) ? $"App name [{suggestion}]: " : "App name (e.g. billing): ");
            if (app is null)
            {
                return null;
            }

            app = app.Length == 0 && NameRules.IsAppName(suggestion) ? suggestion : app;
        }

        var owners = request.Owners;
        if (owners.Count == 0)
        {
            var answer = Ask(context, "Owners, who approve access (e.g. team:payments, user:alice): ");
            if (answer is null)
            {
                return null;
            }

            owners = InitCommand.SplitOwners([answer]);
        }

        var description = request.Description;
        if (description is null)
        {
            description = Ask(context, "Description (optional): ");
            if (description is null)
            {
                return null;
            }
        }

        return request with { App = app, Owners = owners, Description = description.Length == 0 ? null : description };
    }

    private static string? Ask(CliContext context, string prompt)
    {
        context.Out.Write(prompt);
        context.Out.Flush();
        return context.In.ReadLine()?.Trim();
    }
}
