using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
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

    // One entry per command: its name, how to build it and the examples its --help ends with.
    private static readonly CommandRegistration[] Commands =
    [
        new("validate", ValidateCommand.Create, ValidateCommand.Examples),
        new("graph", GraphCommand.Create, GraphCommand.Examples),
        new("init", InitCommand.Create, InitCommand.Examples),
        new("serve", ServeCommand.Create, null),
        new("plan", PushCommand.CreatePlan, null),
        new("push", PushCommand.CreatePush, null),
        new("check", CheckCommand.Create, null),
        new("requests", ListRequestsCommand.Create, null),
        new("approve", DecideRequestCommand.CreateApprove, null),
        new("deny", DecideRequestCommand.CreateDeny, null),
        new("revoke", RevokeGrantCommand.Create, null),
        new("who-can", WhoCanCommand.Create, null),
        new("expiring", ListExpiringGrantsCommand.Create, null),
        new("review", ReviewCommand.Create, null),
        new("audit", AuditCommand.Create, null),
        new("report", Reports.ReportCommand.Create, null),
        new("token", TokenCommand.Create, null),
        new("client", ClientCommand.Create, null),
        new("keys", RotateKekCommand.Create, null),
        new("export", ExportGatewayCommand.Create, null),
        new("new", NewCommand.Create, NewCommand.Examples),
        new("template", TemplateCommand.Create, null),
        new("notifications", Notifications.NotificationsCommand.Create, null),
    ];

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, CliContext.FromConsole(output, error));

    internal static int Run(string[] args, CliContext context) => Run(args, context, fastPath: true);

    /// <summary>Runs one command line; <paramref name="fastPath"/> false sends even a plain <c>validate</c> through the parser (tests compare the two).</summary>
    internal static int Run(string[] args, CliContext context, bool fastPath)
    {
        try
        {
            if (fastPath && ValidateFastPath.TryParse(args, out var paths, out var format))
            {
                return ValidateCommand.Run(context, paths, format);
            }

            return RunParsed(args, context);
        }
        catch (Exception ex)
        {
            return context.Fail(ExitCodes.Crashed, ex.Message);
        }
    }

    // Apart from Run so that a fast-path run never prepares code that names the parser's types
    // (ReadyToRun resolves a method's fixups before it first runs, which would load System.CommandLine).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunParsed(string[] args, CliContext context)
    {
        var root = Build(context, args);
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

    /// <summary>The whole command tree, as <c>gatehouse --help</c> lists it.</summary>
    internal static RootCommand Build(CliContext context) => Build(context, []);

    /// <summary>
    /// The command tree for one command line: when the first word names a command, only that
    /// command is built under the root (ADR 0035). Building all of them costs a cold process more
    /// than parsing and running most commands; the one built is the same either way, so its
    /// parsing, help and errors are too. <c>--version</c> alone needs no command. Anything else (no
    /// command, another option, a typo, a response file) gets the whole tree, for the root's help
    /// and the nearest-command suggestion.
    /// </summary>
    internal static RootCommand Build(CliContext context, string[] args)
    {
        var root = new RootCommand("Gatehouse: access between apps declared in gatehouse.yaml, approved by the owners of the data, checked in CI.");
        var examples = new Dictionary<Command, string> { [root] = RootExamples };
        var only = args.Length > 0 ? Array.Find(Commands, c => c.Name == args[0]) : null;
        CommandRegistration[] built = only is not null ? [only] : args is ["--version"] ? [] : Commands;
        foreach (var registration in built)
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

    /// <summary>The names of the top-level commands, in the order they are registered.</summary>
    internal static IEnumerable<string> CommandNames => Commands.Select(c => c.Name);

    /// <summary>A command, the name it builds with, and the examples its --help ends with (null: attached where it is built).</summary>
    private sealed record CommandRegistration(string Name, Func<CliContext, Command> Create, string? Examples);
}
