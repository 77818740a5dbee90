using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Gatehouse.Cli.Commands;

namespace Gatehouse.Cli;

/// <summary>Builds the command tree and runs one command line, catching everything at this edge.</summary>
internal static class GatehouseCommandLine
{
    private const string RootExamples = """
        gatehouse init --app billing --owner team:payments
        gatehouse validate
        gatehouse graph --env production
        """;

    // One entry per command: how to build it and the examples its --help ends with.
    private static readonly CommandRegistration[] Commands =
    [
        new(ValidateCommand.Create, ValidateCommand.Examples),
        new(GraphCommand.Create, GraphCommand.Examples),
        new(InitCommand.Create, InitCommand.Examples),
        new(ServeCommand.Create, null),
        new(PushCommand.CreatePlan, null),
        new(PushCommand.CreatePush, null),
        new(CheckCommand.Create, null),
        new(ListRequestsCommand.Create, null),
        new(DecideRequestCommand.CreateApprove, null),
        new(DecideRequestCommand.CreateDeny, null),
        new(RevokeGrantCommand.Create, null),
        new(WhoCanCommand.Create, null),
        new(ListExpiringGrantsCommand.Create, null),
        new(ReviewCommand.Create, null),
        new(AuditCommand.Create, null),
        new(Reports.ReportCommand.Create, null),
        new(TokenCommand.Create, null),
        new(ClientCommand.Create, null),
        new(RotateKekCommand.Create, null),
        new(ExportGatewayCommand.Create, null),
        new(NewCommand.Create, NewCommand.Examples),
        new(TemplateCommand.Create, null),
        new(Notifications.NotificationsCommand.Create, null),
    ];

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, CliContext.FromConsole(output, error));

    internal static int Run(string[] args, CliContext context)
    {
        try
        {
            var root = Build(context);
            var parseResult = root.Parse(args);
            if (parseResult.Action is ParseErrorAction)
            {
                // A mistyped command makes several parser errors; one line with the nearest commands says it better.
                var errors = CommandSuggestions.For(parseResult) is { } typo ? [typo] : parseResult.Errors.Select(e => e.Message);
                foreach (var parseError in errors)
                {
                    // Some parser messages span lines (a list of allowed values); keep one line per error.
                    context.Error.WriteLine($"gatehouse: error: {string.Join(' ', parseError.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
                }

                context.Error.WriteLine($"Run '{CommandPath(parseResult.CommandResult)} --help' for usage.");
                return ExitCodes.Usage;
            }

            return parseResult.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            return context.Fail(ExitCodes.Crashed, ex.Message);
        }
    }

    /// <summary>The words that name a command, from <c>gatehouse</c> down: <c>gatehouse token create</c>.</summary>
    internal static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: not RootCommand } command)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Add("gatehouse");
        names.Reverse();
        return string.Join(' ', names);
    }

    internal static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Gatehouse: access between apps declared in gatehouse.yaml, approved by the owners of the data, checked in CI.");
        var examples = new Dictionary<Command, string> { [root] = RootExamples };
        foreach (var registration in Commands)
        {
            var command = registration.Create(context);
            root.Subcommands.Add(command);
            if (registration.Examples is not null)
            {
                examples[command] = registration.Examples;
            }
        }

        AddAttachedExamples(root, examples);
        TypedValueParsers.Apply(root);

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, examples);
        return root;
    }

    /// <summary>Examples attached with <see cref="CommandExamples.With"/>, on any level of the tree.</summary>
    private static void AddAttachedExamples(Command command, Dictionary<Command, string> examples)
    {
        foreach (var sub in command.Subcommands)
        {
            if (CommandExamples.TryGet(sub, out var text))
            {
                examples[sub] = text;
            }

            AddAttachedExamples(sub, examples);
        }
    }

    /// <summary>A command and the examples its --help ends with (null: attached where it is built).</summary>
    private sealed record CommandRegistration(Func<CliContext, Command> Create, string? Examples);
}
